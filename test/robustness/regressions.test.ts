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
