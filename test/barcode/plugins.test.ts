import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

describe('plugins API', () => {
  let h: Harness;
  let root: TestUser;
  let staff: TestUser;
  let plain: TestUser;
  before(async () => {
    h = await createHarness();
    root = await h.user('root', { is_superuser: true, is_staff: true });
    staff = await h.user('staff', { is_staff: true });
    plain = await h.user('plain');
  });
  after(() => h.close());

  it('lists the built-in barcode plugin with InvenTree\'s keys', async () => {
    const res = await h.request({ method: 'GET', url: '/api/plugins/', headers: plain.auth });
    assert.equal(res.statusCode, 200);
    const plugin = (res.json() as Record<string, any>[]).find((p) => p.key === 'inventreebarcode')!;
    assert.equal(plugin.name, 'InvenTreeBarcode');
    assert.equal(plugin.active, true);
    assert.equal(plugin.is_builtin, true);
    assert.equal(plugin.meta.human_name, 'InvenTree Barcodes');
    assert.deepEqual(plugin.mixins.barcode, { key: 'barcode', human_name: 'Barcode' });
    const detail = await h.request({ method: 'GET', url: '/api/plugins/inventreebarcode/', headers: plain.auth });
    assert.equal(detail.json().key, 'inventreebarcode');
    assert.equal((await h.request({ method: 'GET', url: '/api/plugins/nope/', headers: plain.auth })).statusCode, 404);
  });

  it('filters the list by mixin and active', async () => {
    const barcode = (await h.request({ method: 'GET', url: '/api/plugins/?mixin=barcode&active=True', headers: plain.auth })).json() as { key: string }[];
    assert.ok(barcode.some((p) => p.key === 'inventreebarcode'));
    const inactive = (await h.request({ method: 'GET', url: '/api/plugins/?active=false', headers: plain.auth })).json() as { key: string }[];
    assert.ok(!inactive.some((p) => p.key === 'inventreebarcode'));
  });

  it('is reported by GET /api/ as active', async () => {
    const info = (await h.request({ method: 'GET', url: '/api/' })).json();
    assert.deepEqual(info.active_plugins.find((p: { slug: string }) => p.slug === 'inventreebarcode'), { name: 'InvenTreeBarcode', slug: 'inventreebarcode', version: '2.2.0' });
  });

  it('keeps the mandatory internal plugin active and lets only superusers activate', async () => {
    const denied = await h.request({ method: 'POST', url: '/api/plugins/inventreebarcode/activate/', headers: staff.auth, payload: { active: false } });
    assert.equal(denied.statusCode, 403);
    const res = await h.request({ method: 'POST', url: '/api/plugins/inventreebarcode/activate/', headers: root.auth, payload: { active: false } });
    assert.deepEqual([res.statusCode, res.json()], [200, { active: true }]);
  });

  it('reads and changes plugin settings with validation; writes need staff', async () => {
    const list = (await h.request({ method: 'GET', url: '/api/plugins/inventreebarcode/settings/', headers: plain.auth })).json() as { key: string; value: string; plugin: string }[];
    assert.deepEqual(
      list.map((s) => [s.key, s.value, s.plugin]),
      [
        ['INTERNAL_BARCODE_FORMAT', 'short', 'inventreebarcode'],
        ['SHORT_BARCODE_PREFIX', 'INV-', 'inventreebarcode'],
      ],
    );
    const one = (await h.request({ method: 'GET', url: '/api/plugins/inventreebarcode/settings/INTERNAL_BARCODE_FORMAT/', headers: plain.auth })).json();
    assert.deepEqual(one.choices.map((c: { value: string }) => c.value), ['json', 'short']);
    assert.equal((await h.request({ method: 'PATCH', url: '/api/plugins/inventreebarcode/settings/INTERNAL_BARCODE_FORMAT/', headers: plain.auth, payload: { value: 'json' } })).statusCode, 403);
    const bad = await h.request({ method: 'PATCH', url: '/api/plugins/inventreebarcode/settings/INTERNAL_BARCODE_FORMAT/', headers: staff.auth, payload: { value: 'xml' } });
    assert.deepEqual([bad.statusCode, bad.json()], [400, { value: ['Chosen value is not a valid option'] }]);
    const ok = await h.request({ method: 'PATCH', url: '/api/plugins/inventreebarcode/settings/INTERNAL_BARCODE_FORMAT/', headers: staff.auth, payload: { value: 'json' } });
    assert.equal(ok.json().value, 'json');
    const missing = await h.request({ method: 'GET', url: '/api/plugins/inventreebarcode/settings/NOPE/', headers: plain.auth });
    assert.equal(missing.statusCode, 404);
  });

  it('offers the generating plugins as choices of BARCODE_GENERATION_PLUGIN', async () => {
    const setting = (await h.request({ method: 'GET', url: '/api/settings/global/BARCODE_GENERATION_PLUGIN/', headers: plain.auth })).json();
    assert.deepEqual(setting.choices, [{ value: 'inventreebarcode', display_name: 'InvenTree Barcodes' }]);
  });
});
