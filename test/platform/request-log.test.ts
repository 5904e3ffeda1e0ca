/**
 * The request log (docs/operations.md "Health and logs"): one JSON line per request, written
 * when it is answered, with the request, the status and the response time.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createHarness, type Harness } from '../helpers/app.js';

describe('request log', () => {
  let h: Harness;
  let lines: Record<string, unknown>[];
  beforeEach(async () => {
    lines = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    h = await createHarness({ logger: { level: 'info', stream } });
  });
  afterEach(() => h.close());

  const requestLines = () => lines.filter((l) => l.reqId !== undefined);

  it('writes one line per answered request, with method, URL, status and response time', async () => {
    assert.equal((await h.request({ method: 'GET', url: '/api/?x=1' })).statusCode, 200);
    assert.equal((await h.request({ method: 'POST', url: '/api/barcode/', payload: { barcode: 'X' } })).statusCode, 401);
    const logged = requestLines();
    assert.equal(logged.length, 2, JSON.stringify(logged));
    const [first, second] = logged as [Record<string, any>, Record<string, any>];
    assert.equal(first.msg, 'request completed');
    assert.deepEqual([first.req.method, first.req.url, first.res.statusCode], ['GET', '/api/?x=1', 200]);
    assert.equal(typeof first.responseTime, 'number');
    assert.equal(first.level, 30);
    assert.deepEqual([second.req.method, second.req.url, second.res.statusCode], ['POST', '/api/barcode/', 401]);
    assert.notEqual(first.reqId, second.reqId);
    assert.equal(lines.filter((l) => l.msg === 'incoming request').length, 0);
  });

  it('a request that is not answered by a route (404) is logged once too', async () => {
    assert.equal((await h.request({ method: 'GET', url: '/api/no-such-thing/' })).statusCode, 404);
    const completed = requestLines().filter((l) => l.msg === 'request completed');
    assert.equal(completed.length, 1, JSON.stringify(lines));
    assert.equal((completed[0] as Record<string, any>).res.statusCode, 404);
  });

  it('writes nothing per request above info', async () => {
    await h.close();
    lines = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push({ raw: chunk.toString('utf8') });
        done();
      },
    });
    h = await createHarness({ logger: { level: 'warn', stream } });
    await h.request({ method: 'GET', url: '/api/' });
    assert.deepEqual(lines, []);
  });
});
