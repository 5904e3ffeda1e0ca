/**
 * `GET /api/barcode/render/?data=…&symbology=qrcode|datamatrix|code128&format=svg|png`: draws a
 * barcode image with bwip-js for labels. The parameters are checked with Django REST
 * framework's rules and messages (a 400 with `{"<param>": ["…"]}`); the data is drawn exactly
 * as given (no trimming: separators such as GS and RS are part of a label). Images are
 * content-addressed: the ETag is a hash of the parameters and the renderer version, so a
 * request carrying a matching `If-None-Match` is answered 304 without drawing anything, and
 * recently drawn images are kept in a small in-memory cache.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type BwipJs from 'bwip-js';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationError } from '../http/errors.js';
import * as f from '../http/fields.js';
import { DetailBody, ValidationBody } from '../http/schema.js';

export const SYMBOLOGIES = ['qrcode', 'datamatrix', 'code128'] as const;
export const IMAGE_FORMATS = ['svg', 'png'] as const;
export type Symbology = (typeof SYMBOLOGIES)[number];
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** The longest text accepted, as for every barcode field of the API. */
export const RENDER_MAX_LENGTH = 4095;

const RenderQuery = f.object({
  data: f.string({ trim: false, maxLength: RENDER_MAX_LENGTH, description: 'Text to encode, exactly as it should be read back' }),
  symbology: f.choice(SYMBOLOGIES, { default: 'qrcode', description: 'Barcode symbology' }),
  format: f.choice(IMAGE_FORMATS, { default: 'svg', description: 'Image format' }),
});

export interface RenderedImage {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** Human-readable names in error messages. */
const NAMES: Record<Symbology, string> = { qrcode: 'a QR code', datamatrix: 'a Data Matrix', code128: 'Code 128' };

/** Quiet zones (in modules) each symbology's standard asks for: QR 4, Data Matrix 1, Code 128 10. */
const QUIET_ZONE: Record<Symbology, number> = { qrcode: 4, datamatrix: 2, code128: 10 };

/** bwip-js is large: it is loaded when the first image is drawn, not at start-up. */
let bwipModule: Promise<typeof BwipJs> | undefined;
function bwip(): Promise<typeof BwipJs> {
  return (bwipModule ??= import('bwip-js').then((loaded) => loaded.default));
}

/** bwip-js's version, read from its package.json (without loading the library). */
function bwipVersion(): string {
  const main = createRequire(import.meta.url).resolve('bwip-js');
  return (JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** Changes whenever the drawing changes (options here, or the bwip-js version). */
const RENDERER_VERSION = `stockscan-render-1/bwip-js-${bwipVersion()}`;

export function renderEtag(data: string, symbology: Symbology, format: ImageFormat): string {
  const digest = createHash('sha256').update(`${RENDERER_VERSION}\0${symbology}\0${format}\0${data}`).digest('base64url');
  return `"${digest.slice(0, 32)}"`;
}

/**
 * Text for bwip-js, which encodes each character as one byte: characters beyond Latin-1 are
 * sent as their UTF-8 bytes (what scanners read QR and Data Matrix byte data as).
 */
function byteText(data: string): string {
  if (!/[^\u0000-\u00ff]/.test(data)) return data;
  return String.fromCharCode(...new TextEncoder().encode(data));
}

function bwipOptions(data: string, symbology: Symbology) {
  const quiet = QUIET_ZONE[symbology];
  switch (symbology) {
    case 'qrcode':
      return { bcid: 'qrcode', text: byteText(data), eclevel: 'M', paddingwidth: quiet, paddingheight: quiet };
    case 'datamatrix':
      return { bcid: 'datamatrix', text: byteText(data), paddingwidth: quiet, paddingheight: quiet };
    case 'code128':
      return { bcid: 'code128', text: data, height: 12, paddingwidth: quiet, paddingheight: 1 };
  }
}

/** bwip-js's SVG has only a viewBox: add a size (1 module = 1 px at scale 1) and crisp edges. */
function finishSvg(svg: string): string {
  return svg.replace(/^<svg viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"/, (_m, w: string, h: string) => {
    return `<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" shape-rendering="crispEdges"`;
  });
}

/** Draws one barcode; throws a ValidationError (400) when the data cannot be encoded. */
export async function renderBarcode(data: string, symbology: Symbology, format: ImageFormat): Promise<RenderedImage> {
  if (symbology === 'code128' && /[^\u0000-\u007f]/.test(data)) {
    throw new ValidationError({ data: ['Code 128 can only hold ASCII characters.'] });
  }
  const options = bwipOptions(data, symbology);
  const etag = renderEtag(data, symbology, format);
  const bwipjs = await bwip();
  try {
    if (format === 'svg') {
      return { body: Buffer.from(finishSvg(bwipjs.toSVG(options)), 'utf8'), contentType: 'image/svg+xml', etag };
    }
    // White behind the bars: a transparent PNG reads as black on black in many viewers and decoders.
    const png = await bwipjs.toBuffer({ ...options, scale: symbology === 'code128' ? 3 : 6, backgroundcolor: 'FFFFFF' });
    return { body: png, contentType: 'image/png', etag };
  } catch (error) {
    const reason = String((error as Error)?.message ?? error);
    // bwip-js reports e.g. "bwipp.qrcodeNoValidSymbol#27236: Maximum length exceeded or invalid content".
    const detail = reason.replace(/^(Error: )?bwipp?\.[\w#]+:\s*/, '').trim();
    throw new ValidationError({ data: [`This data cannot be encoded as ${NAMES[symbology]}${detail === '' ? '' : `: ${detail}`}.`.replace(/\.\.$/, '.')] });
  }
}

/** Keeps the most recently used images, up to a total size. */
export class ImageCache {
  private readonly entries = new Map<string, RenderedImage>();
  private bytes = 0;
  constructor(private readonly maxBytes = 8 * 1024 * 1024) {}

  get(etag: string): RenderedImage | undefined {
    const hit = this.entries.get(etag);
    if (hit !== undefined) {
      this.entries.delete(etag);
      this.entries.set(etag, hit);
    }
    return hit;
  }

  set(image: RenderedImage): void {
    if (image.body.length > this.maxBytes || this.entries.has(image.etag)) return;
    this.entries.set(image.etag, image);
    this.bytes += image.body.length;
    for (const [key, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(key);
      this.bytes -= old.body.length;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Whether an `If-None-Match` header names this ETag (weak comparison, lists and `*`). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((part) => {
    const tag = part.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

/** Django's QueryDict gives the last value of a repeated parameter. */
function lastValues(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, string | string[]>)) {
    const v = Array.isArray(value) ? value[value.length - 1] : value;
    if (v !== undefined) out[key] = v;
  }
  return out;
}

const CACHE_CONTROL = 'private, max-age=86400';

export async function renderRoutes(app: FastifyInstance): Promise<void> {
  const cache = new ImageCache();
  app.get(
    '/api/barcode/render/',
    {
      schema: {
        tags: ['barcode'],
        summary: 'Draw a barcode image (SVG or PNG) for a label',
        description:
          'Encodes `data` exactly as given. Answers with an ETag derived from the parameters; a request with a matching If-None-Match is answered 304.',
        querystring: Type.Object({
          data: Type.String({ maxLength: RENDER_MAX_LENGTH, description: 'Text to encode' }),
          symbology: Type.Optional(Type.String({ enum: [...SYMBOLOGIES], default: 'qrcode' })),
          format: Type.Optional(Type.String({ enum: [...IMAGE_FORMATS], default: 'svg' })),
        }),
        response: {
          200: Type.String({ description: 'The image (image/svg+xml or image/png)' }),
          400: ValidationBody,
          401: DetailBody,
        },
      },
    },
    async (request: FastifyRequest, reply) => {
      const query = await f.parseBody(RenderQuery, lastValues(request.query), { db: app.ctx.db });
      const etag = renderEtag(query.data, query.symbology, query.format);
      reply.header('Cache-Control', CACHE_CONTROL).header('ETag', etag).header('Vary', 'Cookie, Authorization');
      if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
      let image = cache.get(etag);
      if (image === undefined) {
        image = await renderBarcode(query.data, query.symbology, query.format);
        cache.set(image);
      }
      reply.header('Content-Type', image.contentType);
      // An SVG opened on its own must not run anything (bwip-js draws paths only).
      if (image.contentType === 'image/svg+xml') reply.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
      return reply.send(image.body);
    },
  );
}
