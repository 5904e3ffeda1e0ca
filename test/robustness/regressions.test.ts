/** One focused test per defect the robustness tests found (issue 6, hostile input). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BARCODE_PLUGINS } from '../../src/barcode/plugins/index.js';
import { eciaPlugin } from '../../src/barcode/plugins/ecia.js';
import { isSupplierPlugin } from '../../src/barcode/plugins/suppliers.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

describe('defect: isSupplierPlugin claimed the ECIA plugin, which has no parser of its own', () => {
  it('only the four plugins with a parser and a supplier are supplier plugins', () => {
    assert.equal(isSupplierPlugin(eciaPlugin), false);
    assert.deepEqual(
      BARCODE_PLUGINS.filter(isSupplierPlugin).map((p) => p.slug),
      ['digikeyplugin', 'mouserplugin', 'lcscplugin', 'tmeplugin'],
    );
  });
});

describe('prefix and settings defects', () => {
  let h: Harness;
  let admin: TestUser;
  let part: number;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
    part = await h.fx.part({ name: 'Widget' });
  });
  after(() => h.close());

  const setPlugin = (key: string, value: unknown) =>
    h.request({ method: 'PATCH', url: `/api/plugins/inventreebarcode/settings/${key}/`, headers: admin.auth, payload: { value } });
  const generate = async () => {
    const res = await h.request({ method: 'POST', url: '/api/barcode/generate/', headers: admin.auth, payload: { model: 'part', pk: part } });
    assert.equal(res.statusCode, 200);
    return res.json().barcode as string;
  };
  const scan = (barcode: string) => h.request({ method: 'POST', url: '/api/barcode/', headers: admin.auth, payload: { barcode } });

  it('defect: a prefix that looks like an AIM identifier was "repaired" away, so generated barcodes did not scan', async () => {
    assert.equal((await setPlugin('SHORT_BARCODE_PREFIX', ']d2')).statusCode, 200);
    const barcode = await generate();
    assert.equal(barcode, `]d2PA${part}`);
    const res = await scan(barcode);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().part.pk, part);
    assert.equal(res.json().barcode_data, barcode);
    assert.equal(res.json().normalization, undefined);
    // Text that is not an internal barcode is still repaired.
    const other = await scan(']d2XYZ');
    assert.equal(other.json().normalization?.normalized, 'XYZ');
    assert.equal((await setPlugin('SHORT_BARCODE_PREFIX', '␝')).statusCode, 200);
    const pictured = await scan(await generate());
    assert.equal(pictured.statusCode, 200, pictured.body);
    assert.equal(pictured.json().part.pk, part);
    await setPlugin('SHORT_BARCODE_PREFIX', 'INV-');
  });

  it('defect: string settings were trimmed with JavaScript whitespace, so a prefix could keep a leading GS the scan trims', async () => {
    const res = await setPlugin('SHORT_BARCODE_PREFIX', '\x1dA\x1e');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().value, 'A');
    const found = await scan(await generate());
    assert.equal(found.json().part?.pk, part, found.body);
    await setPlugin('SHORT_BARCODE_PREFIX', 'INV-');
  });

  it('defect: string settings stored NUL characters and lone surrogates (a 500 on PostgreSQL, silently altered text elsewhere)', async () => {
    for (const value of ['A\u0000B', 'x\ud800', '\udc00']) {
      const res = await setPlugin('SHORT_BARCODE_PREFIX', value);
      assert.equal(res.statusCode, 400, JSON.stringify(value));
      assert.ok(Array.isArray(res.json().value), res.body);
    }
    const global = await h.request({ method: 'PATCH', url: '/api/settings/global/INVENTREE_INSTANCE/', headers: admin.auth, payload: { value: 'a\u0000' } });
    assert.equal(global.statusCode, 400);
    assert.deepEqual(global.json(), { value: ['Null characters are not allowed.'] });
  });

  it('defect: a related setting accepted keys beyond the integer range', async () => {
    const res = await h.request({ method: 'PATCH', url: '/api/plugins/digikeyplugin/settings/SUPPLIER_ID/', headers: admin.auth, payload: { value: '99999999999' } });
    assert.equal(res.statusCode, 400, res.body);
    assert.deepEqual(res.json(), { value: ['Value must be a valid primary key'] });
  });
});

describe('defects the API fuzz found (500s, mostly on PostgreSQL)', () => {
  let h: Harness;
  let admin: TestUser;
  let item: number;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
    const part = await h.fx.part({ name: 'Widget' });
    const location = await h.fx.location({ name: 'Store' });
    item = await h.fx.stockItem({ part_id: part, location_id: location, quantity: 3 });
    // One scan in the history, so that bulk deletes have something they must not delete.
    await h.request({ method: 'POST', url: '/api/barcode/', headers: admin.auth, payload: { barcode: 'SOMETHING' } });
  });
  after(() => h.close());

  const get = (url: string) => h.request({ method: 'GET', url, headers: admin.auth });
  const bulkDelete = (payload: unknown) => h.request({ method: 'DELETE', url: '/api/barcode/history/', headers: admin.auth, payload: payload as object });

  it('defect: a JSON body nested thousands of levels deep overflowed the stack (500)', async () => {
    const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    const res = await h.request({
      method: 'POST',
      url: '/api/barcode/link/',
      headers: { ...admin.auth, 'content-type': 'application/json' },
      payload: `{"barcode": "x", "stockitem": ${item}, "context": ${deep(20000)}}`,
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { detail: 'JSON parse error - nested deeper than 100 levels' });
    // 100 levels are accepted (the body itself is one of them), brackets in strings do not count.
    const fine = await h.request({
      method: 'POST',
      url: '/api/barcode/',
      headers: { ...admin.auth, 'content-type': 'application/json' },
      payload: `{"barcode": "[[[{{{\\"[[", "context": ${deep(98)}}`,
    });
    assert.equal(fine.statusCode, 400, fine.body);
    assert.equal(fine.json().error, 'No match found for barcode data');
  });

  it('defect: NUL in a text filter reached PostgreSQL (invalid byte sequence, 500)', async () => {
    for (const url of ['/api/order/po/?reference=%00', '/api/build/?reference=a%00', '/api/stock/?serial=%00&limit=1']) {
      const res = await get(url);
      assert.equal(res.statusCode, 400, url);
      const key = new URL(url, 'http://x').searchParams.keys().next().value as string;
      assert.deepEqual(res.json(), { [key]: ['Null characters are not allowed.'] });
    }
    // Authentication still comes first.
    assert.equal((await h.request({ method: 'GET', url: '/api/order/po/?reference=%00' })).statusCode, 401);
  });

  it('defect: NUL in a query parameter named __proto__ was let through (found by the API fuzz, FUZZ_SEED=615786088)', async () => {
    for (const [url, keys] of [
      ['/api/part/?__proto__=%00', ['__proto__']],
      ['/api/part/?constructor=a%00&__proto__=b%00', ['__proto__', 'constructor']],
    ] as const) {
      const res = await get(url);
      assert.equal(res.statusCode, 400, url);
      // JSON.parse keeps `__proto__` as an own key, so every key and message is checked.
      const body = JSON.parse(res.body) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body).sort(), [...keys], res.body);
      for (const key of keys) assert.deepEqual(body[key], ['Null characters are not allowed.'], key);
    }
    const scan = await h.request({ method: 'POST', url: '/api/barcode/?__proto__=%00', headers: { ...admin.auth, 'content-type': 'application/json' }, payload: '{"barcode": "x"}' });
    assert.equal(scan.statusCode, 400);
    assert.deepEqual(Object.keys(JSON.parse(scan.body) as object), ['__proto__']);
  });

  it('defect: scan-history bulk delete passed keys beyond the integer range and untyped filter values to the database', async () => {
    const before = (await get('/api/barcode/history/')).json().length as number;
    assert.ok(before >= 1);
    for (const payload of [{ items: [2147483648, 99999999999999] }, { filters: { id: 2147483648 } }, { filters: { id__in: [9e15, -2147483649] } }, { filters: { user: '99999999999' } }, { filters: { data__in: ['a\u0000'] } }]) {
      const res = await bulkDelete(payload);
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      assert.deepEqual(res.json(), { non_field_errors: 'No items match the provided criteria' }, JSON.stringify(payload));
    }
    for (const payload of [{ filters: { id__in: ['abc'] } }, { filters: { id__in: [{}] } }, { filters: { user__in: [true] } }, { filters: { data: 5 } }, { filters: { result__in: ['maybe'] } }]) {
      const res = await bulkDelete(payload);
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      assert.deepEqual(res.json(), { non_field_errors: 'Invalid filters provided' }, JSON.stringify(payload));
    }
    const history = await get('/api/barcode/history/');
    assert.equal(history.json().length, before, 'nothing was deleted');
  });

  it('defect: stock list filters beyond the integer range (location, status) were a 500', async () => {
    const all = (await get('/api/stock/')).json() as unknown[];
    assert.equal(all.length, 1);
    // An unknown location with cascade leaves the list unfiltered; without cascade nothing matches.
    assert.deepEqual((await get('/api/stock/?location=2147483648')).json(), all);
    assert.deepEqual((await get('/api/stock/?location=-2147483649&cascade=false')).json(), []);
    assert.deepEqual((await get('/api/stock/?status=2147483648')).json(), []);
    assert.deepEqual((await get('/api/stock/?status=1e20')).json(), []);
  });

  it('defect: a location depth beyond the integer range was a 500', async () => {
    for (const depth of ['2147483648', '-2147483649', '99999999999999']) {
      const res = await get(`/api/stock/location/?depth=${depth}`);
      assert.equal(res.statusCode, 200, depth);
    }
    assert.equal((await get('/api/stock/location/?depth=99999999999999')).json().length, 1);
  });

  it('defect: the alias list ?pk= beyond the integer range was a 500', async () => {
    const res = await get('/api/barcode/alias/?pk=2147483648');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), []);
  });
});
