import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

describe('settings', () => {
  let h: Harness;
  let staff: TestUser;
  let plain: TestUser;
  before(async () => {
    h = await createHarness();
    staff = await h.user('staff', { is_staff: true });
    plain = await h.user('plain');
  });
  after(() => h.close());

  it('lists global settings as a plain array with InvenTree\'s keys', async () => {
    const res = await h.request({ method: 'GET', url: '/api/settings/global/', headers: plain.auth });
    assert.equal(res.statusCode, 200);
    const list = res.json() as Record<string, unknown>[];
    assert.ok(Array.isArray(list));
    const store = list.find((s) => s.key === 'BARCODE_STORE_RESULTS')!;
    assert.deepEqual(Object.keys(store).sort(), ['api_url', 'choices', 'description', 'key', 'model_name', 'name', 'pk', 'type', 'typ', 'units', 'value'].sort());
  });

  it('has Stockscan\'s barcode defaults (D6)', async () => {
    const get = async (key: string) => (await h.request({ method: 'GET', url: `/api/settings/global/${key}/`, headers: plain.auth })).json();
    assert.equal((await get('BARCODE_STORE_RESULTS')).value, 'True');
    assert.equal((await get('BARCODE_RESULTS_MAX_NUM')).value, '100000');
    assert.equal((await get('BARCODE_ENABLE')).value, 'True');
    assert.equal((await get('BARCODE_WEBCAM_SUPPORT')).value, 'True');
    assert.equal((await get('BARCODE_SHOW_TEXT')).value, 'False');
    assert.equal((await get('BARCODE_INPUT_DELAY')).value, '50');
    assert.equal((await get('BARCODE_GENERATION_PLUGIN')).value, 'inventreebarcode');
    assert.equal((await get('BARCODE_STORE_RESULTS')).type, 'boolean');
  });

  it('answers 404 for an unknown key', async () => {
    const res = await h.request({ method: 'GET', url: '/api/settings/global/NO_SUCH_KEY/', headers: plain.auth });
    assert.equal(res.statusCode, 404);
  });

  it('lets staff change a global setting and stores it in canonical form', async () => {
    const res = await h.request({ method: 'PATCH', url: '/api/settings/global/BARCODE_STORE_RESULTS/', headers: staff.auth, payload: { value: 'false' } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().value, 'False');
    const again = await h.request({ method: 'GET', url: '/api/settings/global/BARCODE_STORE_RESULTS/', headers: plain.auth });
    assert.equal(again.json().value, 'False');
    const back = await h.request({ method: 'PATCH', url: '/api/settings/global/BARCODE_STORE_RESULTS/', headers: staff.auth, payload: { value: true } });
    assert.equal(back.json().value, 'True');
  });

  it('refuses global writes from non-staff', async () => {
    const res = await h.request({ method: 'PATCH', url: '/api/settings/global/BARCODE_RESULTS_MAX_NUM/', headers: plain.auth, payload: { value: '5' } });
    assert.equal(res.statusCode, 403);
  });

  it('validates values by type', async () => {
    const bad = async (key: string, value: unknown) =>
      (await h.request({ method: 'PATCH', url: `/api/settings/global/${key}/`, headers: staff.auth, payload: { value } })).json();
    assert.deepEqual(await bad('BARCODE_RESULTS_MAX_NUM', 'many'), { value: ['Value must be an integer value'] });
    assert.deepEqual(await bad('BARCODE_RESULTS_MAX_NUM', '0'), { value: ['Value must be at least 1'] });
    assert.deepEqual(await bad('BARCODE_STORE_RESULTS', 'maybe'), { value: ['Value must be a boolean'] });
    assert.deepEqual(await bad('BARCODE_GENERATION_PLUGIN', 'nope'), { value: ['Chosen value is not a valid option'] });
    assert.deepEqual(await bad('PURCHASEORDER_REFERENCE_PATTERN', 'PO-'), { value: ['Reference pattern must contain a {ref} placeholder'] });
    const missing = await h.request({ method: 'PATCH', url: '/api/settings/global/BARCODE_STORE_RESULTS/', headers: staff.auth, payload: {} });
    assert.deepEqual([missing.statusCode, missing.json()], [400, { value: ['This field is required.'] }]);
  });

  it('keeps user settings per user', async () => {
    const set = await h.request({ method: 'PATCH', url: '/api/settings/user/BARCODE_IN_FORM_FIELDS/', headers: plain.auth, payload: { value: 'true' } });
    assert.equal(set.statusCode, 200);
    assert.equal(set.json().value, 'True');
    assert.equal(set.json().user, plain.user.id);
    const mine = await h.request({ method: 'GET', url: '/api/settings/user/BARCODE_IN_FORM_FIELDS/', headers: plain.auth });
    const theirs = await h.request({ method: 'GET', url: '/api/settings/user/BARCODE_IN_FORM_FIELDS/', headers: staff.auth });
    assert.equal(mine.json().value, 'True');
    assert.equal(theirs.json().value, 'False');
    const list = (await h.request({ method: 'GET', url: '/api/settings/user/', headers: plain.auth })).json() as { key: string }[];
    assert.ok(list.some((s) => s.key === 'BARCODE_IN_FORM_FIELDS'));
  });

  it('needs authentication', async () => {
    assert.equal((await h.request({ method: 'GET', url: '/api/settings/global/' })).statusCode, 401);
  });
});

describe('settings written by another process', () => {
  it('are seen at once, although this process caches them', async () => {
    const { openDatabase } = await import('../../src/db/connection.js');
    const h = await createHarness();
    try {
      const u = await h.user('u');
      const read = async () => (await h.request({ method: 'GET', url: '/api/settings/global/BARCODE_RESULTS_MAX_NUM/', headers: u.auth })).json().value;
      assert.equal(await read(), '100000');
      const other = openDatabase(h.db.url);
      try {
        await other.kysely.insertInto('setting_global').values({ key: 'BARCODE_RESULTS_MAX_NUM', value: '77' }).execute();
      } finally {
        await other.close();
      }
      assert.equal(await read(), '77');
      const plugins = await h.request({ method: 'GET', url: '/api/plugins/digikeyplugin/', headers: u.auth });
      assert.equal(plugins.json().active, false);
      const again = openDatabase(h.db.url);
      try {
        await again.kysely.insertInto('plugin_config').values({ key: 'digikeyplugin', active: true }).execute();
      } finally {
        await again.close();
      }
      assert.equal((await h.request({ method: 'GET', url: '/api/plugins/digikeyplugin/', headers: u.auth })).json().active, true);
    } finally {
      await h.close();
    }
  });
});
