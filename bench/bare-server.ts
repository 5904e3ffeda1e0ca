/**
 * The floor for any Node.js endpoint: node:http, read the POST body, answer a fixed JSON object
 * of the size of a real scan answer. Run as a child process by the benchmark.
 *
 * With BARE_KIND=fastify the same answer comes from a minimal Fastify application instead (one
 * POST route, its JSON body parsed, no hooks, no logging): the floor of the framework
 * Stockscan is built on (`npm run bench -- --floor`).
 */
import { createServer, type Server } from 'node:http';
import Fastify from 'fastify';

const body = process.env.BARE_BODY ?? '{}';

function announce(server: Server): void {
  const address = server.address();
  if (address !== null && typeof address === 'object') process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${address.port}` })}\n`);
}

async function fastifyServer(): Promise<Server> {
  const app = Fastify({ logger: false });
  app.post('/*', async (_request, reply) => reply.type('application/json').send(body));
  app.server.keepAliveTimeout = 72_000;
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app.server;
}

function httpServer(): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 72_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const server = await (process.env.BARE_KIND === 'fastify' ? fastifyServer() : httpServer());
announce(server);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
