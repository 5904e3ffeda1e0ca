/**
 * The InvenTree Python client (inventree-python 0.23.2) against a running server, over a real
 * socket: its exact requests (clients.md §1) and the assertions of its own barcode tests
 * (§1.5: PartBarcodeTest.test_barcode_assign, StockTest.test_barcode_support).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness } from '../helpers/app.js';

/** What the client's `api.request` does: JSON body always, `?format=json` on writes, exact content type. */
class PythonClient {
  private auth: string;
  constructor(
    readonly base: string,
    username: string,
    password: string,
  ) {
    this.auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  async connect(): Promise<{ details: Record<string, unknown>; username: string }> {
    const info = await fetch(`${this.base}/api/`);
    if (info.status !== 200) throw new Error('Could not connect to InvenTree server');
    const details = (await info.json()) as Record<string, unknown>;
    if (Number(details.apiVersion) < 206) throw new Error('API version too old');
    const me = await this.request('GET', 'user/me/');
    const token = await this.request('GET', 'user/token/?name=python-test');
    assert.ok(token.token, 'the reply must contain token');
    this.auth = `Token ${token.token as string}`;
    return { details, username: me.username as string };
  }

  async request(method: string, path: string, data: Record<string, unknown> = {}): Promise<Record<string, any>> {
    const write = method === 'POST' || method === 'PATCH' || method === 'PUT';
    const url = `${this.base}/api/${path}${write ? (path.includes('?') ? '&' : '?') + 'format=json' : ''}`;
    const res = await fetch(url, {
      method,
      headers: { AUTHORIZATION: this.auth, 'Content-Type': 'application/json' },
      body: method === 'GET' ? undefined : JSON.stringify(data),
    });
    if (res.status >= 300) {
      const error = new Error(`HTTPError ${res.status}`) as Error & { status: number; body: unknown };
      error.status = res.status;
      error.body = await res.json().catch(() => undefined);
      throw error;
    }
    if (method === 'DELETE') return {};
    // InvalidJSONError on anything but exactly application/json.
    assert.equal(res.headers.get('content-type'), 'application/json', `${method} ${path}`);
    return (await res.json()) as Record<string, any>;
  }

  scanBarcode(data: string | Record<string, unknown>) {
    const barcode = typeof data === 'string' ? data : JSON.stringify(data).replace(/":/g, '": ');
    return this.request('POST', 'barcode/', { barcode });
  }

  assignBarcode(modelType: string, pk: number, barcode: string) {
    return this.request('POST', 'barcode/link/', { barcode, [modelType]: pk });
  }

  unassignBarcode(modelType: string, pk: number) {
    return this.request('POST', 'barcode/unlink/', { [modelType]: pk });
  }
}

describe('the InvenTree Python client', () => {
  let h: Harness;
  let base: string;
  let client: PythonClient;
  const items: number[] = [];
  before(async () => {
    h = await createHarness();
    const fx = h.fx;
    await h.user('testuser', { password: 'testpassword', is_superuser: true, is_staff: true });
    for (const id of [1, 2]) await fx.part({ id, name: `Part ${id}` });
    const loc = await fx.location();
    for (let i = 0; i < 3; i++) items.push(await fx.stockItem({ part_id: 1, quantity: 5 + i, location_id: loc }));
    base = await h.app.listen({ port: 0, host: '127.0.0.1' });
    client = new PythonClient(base, 'testuser', 'testpassword');
  });
  after(() => h.close());

  it('connects: /api/, user/me/ with Basic, then user/token/ (test_details)', async () => {
    const { details, username } = await client.connect();
    assert.equal(String(details.server).toLowerCase(), 'inventree');
    for (const key of ['server', 'instance', 'apiVersion']) assert.ok(key in details, key);
    assert.equal(username, 'testuser');
  });

  it('rejects bad credentials (LoginTests.test_failed_logins)', async () => {
    const bad = new PythonClient(base, 'testuser', 'wrong');
    await assert.rejects(bad.connect(), /HTTPError 401/);
  });

  it('test_barcode_assign on parts 1 and 2', async () => {
    await client.unassignBarcode('part', 1);
    const assigned = await client.assignBarcode('part', 1, 'ABCD-1234-XYZ');
    assert.equal(assigned.success, 'Assigned barcode to part instance');
    assert.equal(assigned.barcode_data, 'ABCD-1234-XYZ');
    await client.request('GET', 'part/1/');

    await client.unassignBarcode('part', 2);
    await assert.rejects(client.assignBarcode('part', 2, 'ABCD-1234-XYZ'), /HTTPError 400/);

    let scan = await client.scanBarcode('ABCD-1234-XYZ');
    assert.equal(scan.barcode_data, 'ABCD-1234-XYZ');
    assert.equal(scan.part.pk, 1);
    assert.equal(typeof scan.part.pk, 'number');

    await client.unassignBarcode('part', 1);
    const second = await client.assignBarcode('part', 2, 'ABCD-1234-XYZ');
    assert.ok('barcode_data' in second);
    scan = await client.scanBarcode('ABCD-1234-XYZ');
    assert.equal(scan.part.pk, 2);

    await client.unassignBarcode('part', 2);
    await assert.rejects(client.scanBarcode('ABCD-1234-XYZ'), /HTTPError 400/);
  });

  it('test_barcode_support on stock items', async () => {
    const page = await client.request('GET', 'stock/?limit=10');
    assert.ok(Array.isArray(page.results));
    for (const item of page.results as { pk: number }[]) {
      await client.unassignBarcode('stockitem', item.pk);
      let scan = await client.scanBarcode({ stockitem: item.pk });
      assert.equal(scan.stockitem.pk, item.pk);
      assert.equal(scan.plugin, 'InvenTreeBarcode');
      await client.assignBarcode('stockitem', item.pk, `custom-stock-item-${item.pk}`);
      scan = await client.scanBarcode(`custom-stock-item-${item.pk}`);
      assert.equal(scan.stockitem.pk, item.pk);
      assert.equal(scan.plugin, 'InvenTreeBarcode');
      assert.equal(scan.barcode_data, `custom-stock-item-${item.pk}`);
      await client.unassignBarcode('stockitem', item.pk);
    }
    assert.equal((page.results as unknown[]).length, items.length);
  });

  it('counts with limit=1 and lists with plain arrays (Model.count / Model.list)', async () => {
    const count = await client.request('GET', 'stock/?limit=1');
    assert.equal(count.count, items.length);
    const res = await fetch(`${base}/api/part/`, { headers: { authorization: `Basic ${Buffer.from('testuser:testpassword').toString('base64')}` } });
    assert.ok(Array.isArray(await res.json()));
  });

  it('refuses unauthenticated access to user/me/ (Unauthenticated)', async () => {
    const res = await fetch(`${base}/api/user/me/`, { headers: { authorization: `Basic ${Buffer.from('hello:world').toString('base64')}` } });
    assert.equal(res.status, 401);
  });
});
