/**
 * GET /api/barcode/render/: barcode images for labels. Parameters are checked with DRF's
 * rules and messages; SVG and PNG come out readable (PNGs are decoded back here with
 * zxing-wasm, the decoder the web app uses); the ETag makes a repeated request a 304.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { DIGIKEY_LABEL } from '../../src/demo/labels.js';
import { ImageCache, etagMatches, renderEtag } from '../../src/web/render.js';
import { zxingWasm } from '../../src/web/static.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

prepareZXingModule({ overrides: { wasmBinary: readFileSync(zxingWasm().file).buffer as ArrayBuffer }, fireImmediately: false });

async function decode(png: Buffer): Promise<{ text: string; format: string }> {
  const results = await readBarcodes(new Uint8Array(png), { textMode: 'Plain', tryHarder: true });
  const first = results.find((r) => r.isValid);
  assert.ok(first, 'the image holds a readable barcode');
  return { text: first.text, format: first.format };
}

const url = (params: Record<string, string>) => `/api/barcode/render/?${new URLSearchParams(params).toString()}`;

describe('GET /api/barcode/render/', () => {
  let h: Harness;
  let u: TestUser;
  before(async () => {
    h = await createHarness();
    u = await h.user('printer', { roles: {} });
  });
  after(() => h.close());

  const get = (params: Record<string, string> | string, headers: Record<string, string> = {}) =>
    h.request({ method: 'GET', url: typeof params === 'string' ? params : url(params), headers: { ...u.auth, ...headers } });

  it('needs a signed-in user (any role)', async () => {
    const res = await h.request({ method: 'GET', url: url({ data: 'INV-PA1' }) });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(res.json(), { detail: 'Authentication credentials were not provided.' });
    assert.equal((await get({ data: 'INV-PA1' })).statusCode, 200);
  });

  it('answers DRF field errors for bad parameters, all at once', async () => {
    let res = await get('/api/barcode/render/');
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { data: ['This field is required.'] });
    res = await get({ data: '' });
    assert.deepEqual(res.json(), { data: ['This field may not be blank.'] });
    res = await get({ data: 'x', symbology: 'aztec', format: 'gif' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { symbology: ['"aztec" is not a valid choice.'], format: ['"gif" is not a valid choice.'] });
    res = await get({ data: 'x'.repeat(4096) });
    assert.deepEqual(res.json(), { data: ['Ensure this field has no more than 4095 characters.'] });
    res = await get({ data: 'a\u0000b' });
    assert.deepEqual(res.json(), { data: ['Null characters are not allowed.'] });
  });

  it('refuses data a symbology cannot hold, in words', async () => {
    let res = await get({ data: 'Größe', symbology: 'code128' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { data: ['Code 128 can only hold ASCII characters.'] });
    res = await get({ data: 'x'.repeat(4000), symbology: 'qrcode' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { data: ['This data cannot be encoded as a QR code: Maximum length exceeded or invalid content.'] });
  });

  it('draws an SVG by default: sized, crisp, and unable to run scripts', async () => {
    const res = await get({ data: 'INV-SL5' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'image/svg+xml');
    assert.match(res.body, /^<svg viewBox="0 0 (\d+) \1" width="\1" height="\1" shape-rendering="crispEdges" xmlns="http:\/\/www\.w3\.org\/2000\/svg">/);
    assert.doesNotMatch(res.body, /<script|<text/);
    assert.equal(res.headers['content-security-policy'], "default-src 'none'; style-src 'unsafe-inline'");
    assert.equal(res.headers['cache-control'], 'private, max-age=86400');
  });

  it('draws PNGs that read back as the exact data: QR code, Data Matrix with GS/RS/EOT, Code 128', async () => {
    const cases: [string, string, string][] = [
      ['INV-SL5', 'qrcode', 'QRCode'],
      ['Größe 10 µF · 25 V', 'qrcode', 'QRCode'],
      [DIGIKEY_LABEL, 'datamatrix', 'DataMatrix'],
      ['[)>\x1e06\x1dKP0-1337\x1d1PMC34063ADR\x1dQ3\x1e\x04', 'datamatrix', 'DataMatrix'],
      ['A\x1dB-123', 'code128', 'Code128'],
    ];
    for (const [data, symbology, format] of cases) {
      const res = await get({ data, symbology, format: 'png' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], 'image/png');
      assert.deepEqual(res.rawPayload.subarray(0, 8), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      const read = await decode(res.rawPayload);
      assert.equal(read.text, data, `${symbology}: ${JSON.stringify(data)}`);
      assert.equal(read.format, format);
    }
  });

  it('takes the last value of a repeated parameter, as Django does', async () => {
    const res = await get('/api/barcode/render/?data=first&data=INV-PA7&format=png');
    assert.equal((await decode(res.rawPayload)).text, 'INV-PA7');
  });

  it('answers 304 to a matching If-None-Match, and a new image for other parameters', async () => {
    const first = await get({ data: 'INV-SI42', symbology: 'datamatrix' });
    const etag = first.headers.etag as string;
    assert.match(etag, /^"[\w-]{32}"$/);
    assert.equal(etag, renderEtag('INV-SI42', 'datamatrix', 'svg'));
    assert.equal((await get({ data: 'INV-SI42', symbology: 'datamatrix' })).headers.etag, etag, 'the same image, the same ETag');
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await get({ data: 'INV-SI42', symbology: 'datamatrix' }, { 'if-none-match': header });
      assert.equal(again.statusCode, 304, header);
      assert.equal(again.body, '');
      assert.equal(again.headers.etag, etag);
    }
    const stale = await get({ data: 'INV-SI42', symbology: 'datamatrix' }, { 'if-none-match': '"something-else"' });
    assert.equal(stale.statusCode, 200);
    const other = await get({ data: 'INV-SI42', symbology: 'qrcode' }, { 'if-none-match': etag });
    assert.equal(other.statusCode, 200);
    assert.notEqual(other.headers.etag, etag);
    assert.notEqual((await get({ data: 'INV-SI42', symbology: 'datamatrix', format: 'png' })).headers.etag, etag);
  });

  it('is GET only', async () => {
    const res = await h.request({ method: 'POST', url: url({ data: 'x' }), headers: u.auth, payload: {} });
    assert.equal(res.statusCode, 405);
    assert.deepEqual(res.json(), { detail: 'Method "POST" not allowed.' });
  });
});

describe('render helpers', () => {
  it('etagMatches compares weakly and understands lists and *', () => {
    assert.equal(etagMatches(undefined, '"a"'), false);
    assert.equal(etagMatches('"a"', '"a"'), true);
    assert.equal(etagMatches('W/"a"', '"a"'), true);
    assert.equal(etagMatches('"b" , "a"', '"a"'), true);
    assert.equal(etagMatches('"b"', '"a"'), false);
    assert.equal(etagMatches('*', '"a"'), true);
  });

  it('ImageCache keeps the most recently used images within its size', () => {
    const cache = new ImageCache(10);
    const image = (etag: string, size: number) => ({ etag, contentType: 'image/png', body: Buffer.alloc(size) });
    cache.set(image('a', 4));
    cache.set(image('b', 4));
    assert.ok(cache.get('a'));
    cache.set(image('c', 4));
    assert.equal(cache.get('b'), undefined, 'the least recently used image went first');
    assert.ok(cache.get('a'));
    assert.ok(cache.get('c'));
    cache.set(image('huge', 11));
    assert.equal(cache.get('huge'), undefined, 'an image larger than the cache is not kept');
    assert.equal(cache.size, 2);
  });
});
