/**
 * Stockscan's own web app and the server endpoints it needs: browser sign-in (allauth-style
 * session endpoints), barcode images for labels, and the app's static files under `/web/`.
 */
import type { FastifyInstance } from 'fastify';
import { renderRoutes } from './render.js';
import { sessionRoutes } from './session-routes.js';
import { staticRoutes } from './static.js';

export async function webRoutes(app: FastifyInstance): Promise<void> {
  await app.register(sessionRoutes);
  await app.register(renderRoutes);
  await app.register(staticRoutes);
}
