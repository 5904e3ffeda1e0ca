/**
 * The barcode API cases of barcode-api.md §9.1, §9.2 and §9.4 (InvenTree's pks kept by the
 * fixtures; quirks adapted to the decisions D4–D13).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { barcodeHash } from '../../src/barcode/formats/hash.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';
import { barcodeFixtures } from './fixtures.js';

const VIEW_ROLES = { stock: { can_view: true }, stock_location: { can_view: true }, part: { can_view: true } };

describe('barcode API (§9.1)', () => {
  let h: Harness;
  let user: TestUser;
  let admin: TestUser;
  before(async () => {
    h = await createHarness();
    await barcodeFixtures(h);
    user = await h.user('tester', { roles: VIEW_ROLES });
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
  });
  after(() => h.close());

  const post = (url: string, payload: unknown, who: TestUser = user) => h.request({ method: 'POST', url, headers: who.auth, payload: payload as object });
  const scan = (barcode: unknown, who?: TestUser) => post('/api/barcode/', { barcode }, who);

  it('1. test_invalid: empty bodies and bad links are 400', async () => {
    assert.equal((await post('/api/barcode/', {})).statusCode, 400);
    assert.deepEqual((await post('/api/barcode/', {})).json(), { barcode: ['This field is required.'] });
    assert.equal((await post('/api/barcode/link/', {})).statusCode, 400);
    const missing = await post('/api/barcode/link/', { barcode: '123' });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.json().error, /^Missing data: provide one of /);
    const bad = await post('/api/barcode/link/', { barcode: '123', stockitem: '123' });
    assert.deepEqual([bad.statusCode, bad.json()], [400, { stockitem: ['Invalid pk "123" - object does not exist.'] }]);
  });

  it('2. test_empty: a blank barcode is a field error', async () => {
    const res = await scan('');
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { barcode: ['This field may not be blank.'] });
  });

  it('3. test_find_part: the JSON form finds a part', async () => {
    const res = await scan('{"part": 1}');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.part.pk, 1);
    assert.equal(body.barcode_data, '{"part": 1}');
    assert.equal(body.success, 'Match found for barcode data');
    assert.equal(body.plugin, 'InvenTreeBarcode');
  });

  it('4, 6, 8. unknown pks in the JSON form are no match', async () => {
    for (const text of ['{"part": 999999999}', '{"stockitem": 999999999}', '{"stocklocation": 999999999}']) {
      const res = await scan(text);
      assert.equal(res.statusCode, 400, text);
      assert.equal(res.json().error, 'No match found for barcode data');
    }
  });

  it('5. test_find_stock_item: a scan is stored in the history', async () => {
    const count = async () => Number((await h.db.database.kysely.selectFrom('barcode_scan').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const generated = (await post('/api/barcode/generate/', { model: 'stockitem', pk: 1 })).json().barcode as string;
    const res = await scan(generated);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().stockitem.pk, 1);
    assert.equal(await count(), before + 1);
    const newest = await h.db.database.kysely.selectFrom('barcode_scan').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(Boolean(newest.result), true);
    assert.equal(newest.data, generated);
    assert.equal(newest.plugin, 'InvenTreeBarcode');
    const stored = JSON.parse(newest.response as string);
    assert.equal(stored.plugin, 'InvenTreeBarcode');
    for (const key of ['barcode_data', 'stockitem', 'success']) assert.ok(key in stored, key);
  });

  it('7. test_find_location', async () => {
    const body = (await scan('{"stocklocation": 1}')).json();
    assert.equal(body.stocklocation.pk, 1);
    assert.ok(body.barcode_data);
  });

  it('9, 10. a number or a list is not an internal barcode', async () => {
    for (const text of ['123456789', "['foo', 'bar']"]) {
      const res = await scan(text);
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error, 'No match found for barcode data');
    }
  });

  it('11. test_barcode_scan of item 522', async () => {
    const generated = (await post('/api/barcode/generate/', { model: 'stockitem', pk: 522 })).json().barcode;
    assert.equal((await scan(generated)).json().stockitem.pk, 522);
  });

  it('12. test_barcode_generation: short by default; 403 without view permission (D5)', async () => {
    const res = await post('/api/barcode/generate/', { model: 'stockitem', pk: 522 });
    assert.deepEqual([res.statusCode, res.json()], [200, { barcode: 'INV-SI522' }]);
    const noRoles = await h.user('noroles');
    assert.equal((await post('/api/barcode/generate/', { model: 'stockitem', pk: 522 }, noRoles)).statusCode, 403);
  });

  it('13. test_barcode_generation_invalid', async () => {
    const badModel = await post('/api/barcode/generate/', { model: 'invalidmodel', pk: 1 });
    assert.deepEqual([badModel.statusCode, badModel.json()], [400, { model: ['Model is not supported'] }]);
    const missing = await post('/api/barcode/generate/', { model: 'stockitem', pk: 99999999 });
    assert.deepEqual([missing.statusCode, missing.json()], [400, { error: 'Model instance not found' }]);
    const fields = await post('/api/barcode/generate/', {});
    assert.deepEqual(fields.json(), { model: ['This field is required.'], pk: ['This field is required.'] });
    const badPk = await post('/api/barcode/generate/', { model: 'stockitem', pk: 'x' });
    assert.deepEqual(badPk.json(), { pk: ['A valid integer is required.'] });
  });

  it('14. test_association: link, refuse a second link, unlink', async () => {
    const changer = await h.user('changer', { roles: { ...VIEW_ROLES, stock: { can_view: true, can_change: true } } });
    const item = await h.request({ method: 'GET', url: '/api/barcode/history/', headers: changer.auth });
    assert.equal(item.statusCode, 200);
    const res = await post('/api/barcode/link/', { barcode: 'A-TEST-BARCODE-STRING', stockitem: 522 }, changer);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.success, 'Assigned barcode to stockitem instance');
    assert.deepEqual(body.stockitem, { pk: 522 });
    assert.equal(body.barcode_hash, '3d59ca755c793639dd69da2cd077a54f');
    const link = await h.db.database.kysely.selectFrom('barcode_link').selectAll().where('model_type', '=', 'stockitem').where('object_id', '=', 522).executeTakeFirstOrThrow();
    assert.equal(link.data, 'A-TEST-BARCODE-STRING');
    assert.equal(link.hash, body.barcode_hash);

    const again = await post('/api/barcode/link/', { barcode: 'A-TEST-BARCODE-STRING', stockitem: 521 }, changer);
    assert.equal(again.statusCode, 400);
    assert.equal(again.json().error, 'Barcode matches existing item');
    assert.equal(again.json().success, undefined);

    const unlink = await post('/api/barcode/unlink/', { stockitem: 522 }, changer);
    assert.deepEqual([unlink.statusCode, unlink.json()], [200, { success: 'Barcode unassigned from stockitem instance' }]);
    assert.equal(await h.db.database.kysely.selectFrom('barcode_link').select('id').where('object_id', '=', 522).where('model_type', '=', 'stockitem').executeTakeFirst(), undefined);
    const missing = await post('/api/barcode/unlink/', { stockitem: 999999999 }, changer);
    assert.equal(missing.statusCode, 400);
  });

  it('15. test_unassign_endpoint: unknown keys and unknown pks', async () => {
    for (const key of ['cat', 'dog', 'fish']) {
      const res = await post('/api/barcode/unlink/', { [key]: 123 });
      assert.equal(res.statusCode, 400);
      assert.match(res.json().error, /Missing data: Provide one of/);
    }
    for (const key of ['build', 'salesorder', 'part']) {
      const res = await post('/api/barcode/unlink/', { [key]: 999999999 });
      assert.equal(res.statusCode, 400);
      assert.match(res.json()[key][0], /object does not exist/);
    }
  });

  it('returns a matched block with api_url, web_url and the pk as an integer', async () => {
    const body = (await scan('{"stocklocation": 5}')).json();
    assert.deepEqual(
      { pk: body.stocklocation.pk, api_url: body.stocklocation.api_url, web_url: body.stocklocation.web_url },
      { pk: 5, api_url: '/api/stock/location/5/', web_url: '/web/stock/location/5' },
    );
    assert.equal(typeof body.stocklocation.pk, 'number');
  });

  it('sends exactly application/json on scan answers (D2) and null plugin on no match (D4)', async () => {
    const res = await scan('nothing-here');
    assert.equal(res.headers['content-type'], 'application/json');
    assert.deepEqual(res.json(), {
      plugin: null,
      barcode_data: 'nothing-here',
      barcode_hash: barcodeHash('nothing-here'),
      error: 'No match found for barcode data',
    });
  });

  it('refuses anonymous callers with 401 and wrong methods with 405', async () => {
    const anon = await h.request({ method: 'POST', url: '/api/barcode/', payload: { barcode: 'x' } });
    assert.deepEqual([anon.statusCode, anon.json()], [401, { detail: 'Authentication credentials were not provided.' }]);
    const get = await h.request({ method: 'GET', url: '/api/barcode/', headers: user.auth });
    assert.deepEqual([get.statusCode, get.json()], [405, { detail: 'Method "GET" not allowed.' }]);
    assert.match(String(get.headers.allow), /POST/);
    const noSlash = await h.request({ method: 'POST', url: '/api/barcode', headers: user.auth, payload: { barcode: 'x' } });
    assert.equal(noSlash.statusCode, 404);
  });

  it('validates the barcode field with InvenTree\'s messages', async () => {
    assert.deepEqual((await scan(null)).json(), { barcode: ['This field may not be null.'] });
    assert.deepEqual((await scan(true)).json(), { barcode: ['Not a valid string.'] });
    assert.deepEqual((await scan({ a: 1 })).json(), { barcode: ['Not a valid string.'] });
    assert.deepEqual((await scan(['a'])).json(), { barcode: ['Not a valid string.'] });
    assert.deepEqual((await scan('x'.repeat(4096))).json(), { barcode: ['Ensure this field has no more than 4095 characters.'] });
    assert.equal((await scan(`  ${'x'.repeat(4095)}  `)).json().error, 'No match found for barcode data');
    assert.deepEqual((await scan('a\u0000b')).json(), { barcode: ['Null characters are not allowed.'] });
    assert.deepEqual((await scan(' \t ')).json(), { barcode: ['This field may not be blank.'] });
  });

  it('takes a number as its text form, never a server error (D20)', async () => {
    const res = await scan(123456789);
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().barcode_data, '123456789');
    const newest = await h.db.database.kysely.selectFrom('barcode_scan').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(newest.data, '123456789');
  });

  it('logs failed validation in the history', async () => {
    await scan('');
    const newest = await h.db.database.kysely.selectFrom('barcode_scan').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(Boolean(newest.result), false);
    assert.equal(newest.endpoint, '/api/barcode/');
    assert.deepEqual(JSON.parse(newest.response as string), { error: { barcode: ['This field may not be blank.'] } });
  });

  it('refuses a match on a model the user may not view (D5)', async () => {
    const stockOnly = await h.user('stockonly', { roles: { stock: { can_view: true } } });
    const res = await scan('{"part": 1}', stockOnly);
    assert.deepEqual([res.statusCode, res.json()], [403, { detail: 'User does not have permission to view this model' }]);
    assert.equal((await scan('{"stockitem": 1}', stockOnly)).statusCode, 200);
    assert.equal((await scan('{"part": 1}', admin)).statusCode, 200);
  });
});

describe('InvenTreeBarcode plugin (§9.2)', () => {
  let h: Harness;
  let user: TestUser;
  let admin: TestUser;
  before(async () => {
    h = await createHarness();
    await barcodeFixtures(h);
    user = await h.user('tester');
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
  });
  after(() => h.close());

  const post = (url: string, payload: unknown, who: TestUser = user) => h.request({ method: 'POST', url, headers: who.auth, payload: payload as object });
  const setPlugin = (key: string, value: string) =>
    h.request({ method: 'PATCH', url: `/api/plugins/inventreebarcode/settings/${key}/`, headers: admin.auth, payload: { value } });
  const grant = async (roles: Parameters<Harness['user']>[1] extends infer O ? (O extends { roles?: infer R } ? R : never) : never) => {
    const { grantRoles } = await import('../../src/users/admin.js');
    await grantRoles(h.db.database, user.user.id, `g-${Math.random()}`, roles as never);
  };

  it('28. test_assign_errors: existing internal barcodes are refused before permissions', async () => {
    for (const barcode of ['{"stockitem": 521}', '{"stocklocation": 7}', '{"part": 10004}']) {
      const res = await post('/api/barcode/link/', { barcode, stockitem: 521 });
      assert.equal(res.statusCode, 400, barcode);
      assert.equal(res.json().error, 'Barcode matches existing item');
      assert.equal(res.json().plugin, 'InvenTreeBarcode');
      assert.equal(res.json().barcode_data, barcode);
      assert.equal(res.json().barcode_hash, undefined);
    }
  });

  it('29. test_unassign_errors', async () => {
    let res = await post('/api/barcode/unlink/', {});
    assert.equal(res.json().error, 'Missing data: Provide one of \'build, manufacturerpart, supplierpart, purchaseorder, salesorder, salesordershipment, returnorder, part, stocklocation, stockitem\'');
    res = await post('/api/barcode/unlink/', { stockitem: 1, part: 1 });
    assert.equal(res.json().error, 'Multiple conflicting fields: \'build, manufacturerpart, supplierpart, purchaseorder, salesorder, salesordershipment, returnorder, part, stocklocation, stockitem\'');
    res = await post('/api/barcode/unlink/', { stockitem: 'invalid' });
    assert.deepEqual(res.json(), { stockitem: ['Incorrect type. Expected pk value, received str.'] });
    res = await post('/api/barcode/unlink/', { part: 99999999999 });
    assert.match(res.json().part[0], /object does not exist/);
    res = await post('/api/barcode/unlink/', { part: null });
    assert.deepEqual([res.statusCode, res.json()], [400, { error: 'Could not unassign barcode' }]);
  });

  it('30. test_assign_to_stock_item: part wins over stockitem; JSON-looking custom barcodes', async () => {
    let res = await post('/api/barcode/link/', { barcode: 'abcde' });
    assert.match(res.body, /Missing data:/);
    assert.equal(res.json().error, "Missing data: provide one of '['build', 'manufacturerpart', 'supplierpart', 'purchaseorder', 'salesorder', 'salesordershipment', 'returnorder', 'part', 'stocklocation', 'stockitem']'");
    res = await post('/api/barcode/link/', { barcode: 'abcdefg', part: 1, stockitem: 1 });
    assert.equal(res.statusCode, 403);
    assert.match(res.json().error, /do not have the required permissions/);
    assert.equal(res.json().error, "You do not have the required permissions for <class 'part.models.Part'>");
    await grant({ part: { can_view: true, can_change: true }, stock: { can_view: true, can_change: true } });
    res = await post('/api/barcode/link/', { barcode: 'abcdefg', part: 1, stockitem: 1 });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Assigned barcode to part instance/);
    assert.equal(res.json().part.pk, 1);

    res = await post('/api/barcode/link/', { barcode: '{"blbla": 10007}', stockitem: 521 });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().barcode_data, '{"blbla": 10007}');
    assert.equal(res.json().stockitem.pk, 521);
    const link = await h.db.database.kysely.selectFrom('barcode_link').selectAll().where('model_type', '=', 'stockitem').where('object_id', '=', 521).executeTakeFirstOrThrow();
    assert.equal(link.data, '{"blbla": 10007}');
    assert.equal(link.hash, '2f5dba5c83a360599ba7665b2a4131c6');
    res = await post('/api/barcode/link/', { barcode: '{"blbla": 10007}', stockitem: 1 });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Barcode matches existing item/);
    res = await post('/api/barcode/unlink/', { stockitem: 521 });
    assert.equal(res.statusCode, 200);
    assert.equal(await h.db.database.kysely.selectFrom('barcode_link').select('id').where('model_type', '=', 'stockitem').where('object_id', '=', 521).executeTakeFirst(), undefined);
    await post('/api/barcode/unlink/', { part: 1 });
  });

  it('31. test_assign_to_part', async () => {
    let res = await post('/api/barcode/', { barcode: 'xyz-123' });
    assert.equal(res.statusCode, 400);
    res = await post('/api/barcode/link/', { barcode: 'xyz-123', part: 99999999 });
    assert.match(res.json().part[0], /object does not exist/);
    res = await post('/api/barcode/link/', { barcode: 'xyz-123', part: 1 });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().part.pk, 1);
    assert.equal(res.json().success, 'Assigned barcode to part instance');
    const link = await h.db.database.kysely.selectFrom('barcode_link').selectAll().where('model_type', '=', 'part').where('object_id', '=', 1).executeTakeFirstOrThrow();
    assert.equal(link.data, 'xyz-123');
    assert.equal(link.hash, 'bc39d07e9a395c7b5658c231bf910fae');
    res = await post('/api/barcode/', { barcode: 'xyz-123' });
    assert.equal(res.statusCode, 200);
    assert.ok(res.json().success);
    assert.equal(res.json().plugin, 'InvenTreeBarcode');
    assert.equal(res.json().part.pk, 1);
    res = await post('/api/barcode/link/', { barcode: 'xyz-123', part: 2 });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error, /Barcode matches existing item/);
    res = await post('/api/barcode/unlink/', { part: 1 });
    assert.equal(res.statusCode, 200);
    assert.equal(await h.db.database.kysely.selectFrom('barcode_link').select('id').where('model_type', '=', 'part').where('object_id', '=', 1).executeTakeFirst(), undefined);
  });

  it('32. test_assign_to_location', async () => {
    const locUser = await h.user('locuser');
    let res = await post('/api/barcode/link/', { barcode: '555555555555555555555555', stocklocation: 1 }, locUser);
    assert.equal(res.statusCode, 403);
    const { grantRoles } = await import('../../src/users/admin.js');
    await grantRoles(h.db.database, locUser.user.id, 'loc-change', { stock_location: { can_change: true } });
    res = await post('/api/barcode/link/', { barcode: '555555555555555555555555', stocklocation: 1 }, locUser);
    assert.equal(res.statusCode, 200);
    assert.ok(res.json().success);
    assert.equal(res.json().stocklocation.pk, 1);
    assert.equal(res.json().barcode_hash, '4aa63f5e55e85c1f842796bf74896dbb');
    res = await post('/api/barcode/link/', { barcode: '555555555555555555555555', stocklocation: 2 }, locUser);
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error, /Barcode matches existing item/);
    res = await post('/api/barcode/unlink/', { stocklocation: 1 }, locUser);
    assert.equal(res.statusCode, 200);
  });

  it('33. test_scan_third_party: linked barcodes are found; unknown ones are not', async () => {
    let res = await post('/api/barcode/', { barcode: 'blbla=10008' }, admin);
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'No match found for barcode data');
    res = await post('/api/barcode/', { barcode: 'blbla=10004' }, admin);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().barcode_data, 'blbla=10004');
    assert.equal(res.json().plugin, 'InvenTreeBarcode');
    for (const barcode of ['abcde', 'ABCDE', '12345']) {
      await h.fx.link('stockitem', 1, barcode);
      res = await post('/api/barcode/', { barcode }, admin);
      assert.equal(res.statusCode, 200, barcode);
      assert.ok(res.json().success);
      assert.equal(res.json().stockitem.pk, 1);
    }
    await post('/api/barcode/unlink/', { stockitem: 1 }, admin);
  });

  it('34. test_scan_inventree_json', async () => {
    let res = await post('/api/barcode/', { barcode: '{"stockitem": 5}' }, admin);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /No match found for barcode data/);
    res = await post('/api/barcode/', { barcode: '{"stockitem": 1}' }, admin);
    assert.ok(res.json().success);
    assert.equal(res.json().stockitem.pk, 1);
    res = await post('/api/barcode/', { barcode: '{"stocklocation": 5}' }, admin);
    const body = res.json();
    assert.ok(body.success);
    assert.equal(body.stocklocation.pk, 5);
    assert.equal(body.stocklocation.api_url, '/api/stock/location/5/');
    assert.equal(body.stocklocation.web_url, '/web/stock/location/5');
    assert.equal(body.plugin, 'InvenTreeBarcode');
    assert.equal((await post('/api/barcode/', { barcode: '{"part": 5}' }, admin)).json().part.pk, 5);
    res = await post('/api/barcode/', { barcode: '{"supplierpart": 1}' }, admin);
    assert.equal(res.json().supplierpart.pk, 1);
    assert.equal(res.json().plugin, 'InvenTreeBarcode');
    for (const key of ['success', 'barcode_data', 'barcode_hash']) assert.ok(key in res.json(), key);
    assert.equal(res.json().supplierpart.web_url, '/web/purchasing/supplier-part/1');
  });

  it('35. test_scan_inventree_short, with prefixes INV-, TEST and ""', async () => {
    let res = await post('/api/barcode/', { barcode: 'INV-SI5' }, admin);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /No match found for barcode data/);
    res = await post('/api/barcode/', { barcode: 'INV-SI1' }, admin);
    assert.ok(res.json().success);
    assert.equal(res.json().stockitem.pk, 1);
    res = await post('/api/barcode/', { barcode: 'INV-SL5' }, admin);
    assert.equal(res.json().stocklocation.api_url, '/api/stock/location/5/');
    assert.equal(res.json().stocklocation.web_url, '/web/stock/location/5');
    assert.equal(res.json().plugin, 'InvenTreeBarcode');
    assert.equal((await post('/api/barcode/', { barcode: 'INV-PA5' }, admin)).json().part.pk, 5);
    assert.equal((await setPlugin('SHORT_BARCODE_PREFIX', 'TEST')).statusCode, 200);
    res = await post('/api/barcode/', { barcode: 'TESTSP1' }, admin);
    assert.equal(res.json().supplierpart.pk, 1);
    for (const key of ['plugin', 'success', 'barcode_data', 'barcode_hash']) assert.ok(key in res.json(), key);
    assert.equal((await setPlugin('SHORT_BARCODE_PREFIX', '')).statusCode, 200);
    res = await post('/api/barcode/', { barcode: 'SP1' }, admin);
    assert.equal(res.json().supplierpart.pk, 1);
    await setPlugin('SHORT_BARCODE_PREFIX', 'INV-');
  });

  it('36. test_generation_inventree_json', async () => {
    await setPlugin('INTERNAL_BARCODE_FORMAT', 'json');
    const res = await post('/api/barcode/generate/', { model: 'stocklocation', pk: 5 }, admin);
    assert.deepEqual([res.statusCode, res.json()], [200, { barcode: '{"stocklocation": 5}' }]);
    await setPlugin('INTERNAL_BARCODE_FORMAT', 'short');
  });

  it('37. test_generation_inventree_short', async () => {
    const gen = async () => (await post('/api/barcode/generate/', { model: 'stocklocation', pk: 5 }, admin)).json().barcode;
    assert.equal(await gen(), 'INV-SL5');
    await setPlugin('SHORT_BARCODE_PREFIX', 'TEST');
    assert.equal(await gen(), 'TESTSL5');
    await setPlugin('SHORT_BARCODE_PREFIX', '');
    assert.equal(await gen(), 'SL5');
    await setPlugin('SHORT_BARCODE_PREFIX', 'INV-');
  });
});

describe('additional acceptance cases (§9.4)', () => {
  let h: Harness;
  let admin: TestUser;
  before(async () => {
    h = await createHarness();
    await barcodeFixtures(h);
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
  });
  after(() => h.close());

  const scan = (barcode: string) => h.request({ method: 'POST', url: '/api/barcode/', headers: admin.auth, payload: { barcode } });

  it('trims the barcode with Python\'s whitespace set (D9)', async () => {
    const res = await scan('  INV-PA5  ');
    assert.equal(res.json().part.pk, 5);
    assert.equal(res.json().barcode_data, 'INV-PA5');
    const gs = await scan('\x1dINV-PA5\x1e\x85');
    assert.equal(gs.json().barcode_data, 'INV-PA5');
    const bom = await scan('\ufeffINV-PA5');
    assert.equal(bom.statusCode, 400);
    assert.equal(bom.json().barcode_data, '\ufeffINV-PA5');
  });

  it('an unknown short code stops the search even when a linked barcode matches', async () => {
    await h.fx.link('part', 1, 'INV-ZZ5');
    const res = await scan('INV-ZZ5');
    assert.equal(res.statusCode, 400);
  });

  it('a short barcode for a missing object falls through to the linked hash', async () => {
    await h.fx.link('part', 5, 'INV-SI5');
    const res = await scan('INV-SI5');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().part.pk, 5);
  });

  it('converts JSON values the Python way', async () => {
    assert.equal((await scan('{"part": "5"}')).json().part.pk, 5);
    assert.equal((await scan('{"part": 5.7}')).json().part.pk, 5);
    assert.equal((await scan('{"part": true}')).json().part.pk, 1);
    assert.equal((await scan('{"part": null}')).statusCode, 400);
  });

  it('uses the fixed model order for JSON keys (D12): part before stockitem', async () => {
    const body = (await scan('{"stockitem": 1, "part": 2}')).json();
    assert.equal(body.part.pk, 2);
    assert.equal(body.stockitem, undefined);
  });

  it('gives every hash vector of §3.5 through link and the response', async () => {
    const vectors: [string, string][] = [
      ['xyz-123', 'bc39d07e9a395c7b5658c231bf910fae'],
      ['A-TEST-BARCODE-STRING', '3d59ca755c793639dd69da2cd077a54f'],
      ['abc\x1Ddef', 'e80b5017098950fc58aad83c8c14978e'],
      ['{"blbla": 10007}', '2f5dba5c83a360599ba7665b2a4131c6'],
    ];
    for (const [barcode, hash] of vectors) {
      const res = await h.request({ method: 'POST', url: '/api/barcode/link/', headers: admin.auth, payload: { barcode, stockitem: 522 } });
      assert.equal(res.json().barcode_hash, hash, barcode);
      await h.request({ method: 'POST', url: '/api/barcode/unlink/', headers: admin.auth, payload: { stockitem: 522 } });
    }
  });

  it('keeps a linked barcode in full, up to 4095 characters (D20)', async () => {
    const long = `L${'x'.repeat(4094)}`;
    const res = await h.request({ method: 'POST', url: '/api/barcode/link/', headers: admin.auth, payload: { barcode: long, stocklocation: 7 } });
    assert.equal(res.statusCode, 200);
    const found = await scan(long);
    assert.equal(found.json().stocklocation.pk, 7);
    assert.equal(found.json().barcode_data.length, 4095);
  });

  it('accepts pks sent as strings, as the mobile app sends them', async () => {
    const res = await h.request({ method: 'POST', url: '/api/barcode/link/', headers: admin.auth, payload: { barcode: 'xyz-app', part: '2' } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().part.pk, 2);
    const un = await h.request({ method: 'POST', url: '/api/barcode/unlink/', headers: admin.auth, payload: { part: '2' } });
    assert.equal(un.statusCode, 200);
  });

  it('unlink succeeds when nothing was linked', async () => {
    const res = await h.request({ method: 'POST', url: '/api/barcode/unlink/', headers: admin.auth, payload: { stocklocation: 2 } });
    assert.deepEqual([res.statusCode, res.json()], [200, { success: 'Barcode unassigned from stocklocation instance' }]);
  });

  it('a barcode belongs to one object across all models (D13)', async () => {
    const a = await h.request({ method: 'POST', url: '/api/barcode/link/', headers: admin.auth, payload: { barcode: 'shared-label', stocklocation: 2 } });
    assert.equal(a.statusCode, 200);
    const b = await h.request({ method: 'POST', url: '/api/barcode/link/', headers: admin.auth, payload: { barcode: 'shared-label', supplierpart: 1 } });
    assert.equal(b.statusCode, 400);
    // Control characters do not make it another barcode: the hash ignores them.
    const c = await h.request({ method: 'POST', url: '/api/barcode/link/', headers: admin.auth, payload: { barcode: 'shared\x1d-label', part: 5 } });
    assert.equal(c.statusCode, 400);
    assert.equal(c.json().stocklocation.pk, 2);
  });

  it('concurrent links of one barcode to different objects: exactly one wins (D13)', async () => {
    const targets = [{ part: 10004 }, { stockitem: 521 }, { stocklocation: 5 }, { supplierpart: 1 }, { part: 1 }, { stockitem: 1 }];
    const results = await Promise.all(
      targets.map((t) => h.request({ method: 'POST', url: '/api/barcode/link/', headers: admin.auth, payload: { barcode: 'race-label', ...t } })),
    );
    assert.equal(results.filter((r) => r.statusCode === 200).length, 1);
    assert.ok(results.every((r) => r.statusCode === 200 || r.statusCode === 400));
    const rows = await h.db.database.kysely.selectFrom('barcode_link').selectAll().where('data', '=', 'race-label').execute();
    assert.equal(rows.length, 1);
  });

  it('concurrent links of different barcodes to one object all succeed, each replacing the last: one primary barcode remains', async () => {
    const labels = Array.from({ length: 8 }, (_, i) => `same-object-${i}`);
    const results = await Promise.all(
      labels.map((barcode) => h.request({ method: 'POST', url: '/api/barcode/link/', headers: admin.auth, payload: { barcode, stocklocation: 5 } })),
    );
    assert.deepEqual(
      results.map((r) => [r.statusCode, r.json().success ?? r.body]),
      labels.map(() => [200, 'Assigned barcode to stocklocation instance']),
    );
    const rows = await h.db.database.kysely.selectFrom('barcode_link').select('data').where('model_type', '=', 'stocklocation').where('object_id', '=', 5).execute();
    assert.equal(rows.length, 1);
    assert.ok(labels.includes(rows[0]!.data));
  });
});

describe('generate → scan round trip for every model type', () => {
  let h: Harness;
  let admin: TestUser;
  const objects: Record<string, number> = {};
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
    const fx = h.fx;
    const supplier = await fx.company({ is_supplier: true, is_customer: true, is_manufacturer: true });
    const part = await fx.part({ assembly: true, salable: true });
    objects.part = part;
    objects.stocklocation = await fx.location();
    objects.stockitem = await fx.stockItem({ part_id: part });
    objects.manufacturerpart = await fx.manufacturerPart({ part_id: part, manufacturer_id: supplier });
    objects.supplierpart = await fx.supplierPart({ part_id: part, supplier_id: supplier });
    objects.purchaseorder = await fx.purchaseOrder({ supplier_id: supplier });
    objects.salesorder = await fx.salesOrder({ customer_id: supplier });
    objects.salesordershipment = await fx.shipment({ order_id: objects.salesorder });
    objects.returnorder = await fx.returnOrder({ customer_id: supplier });
    objects.build = await fx.build({ part_id: part });
    // Each object has a linked barcode, so that its instance carries a barcode_hash.
    for (const [model, pk] of Object.entries(objects)) {
      const link = await h.request({ method: 'POST', url: '/api/barcode/link/', headers: admin.auth, payload: { barcode: `ROUND-TRIP-${model}`, [model]: pk } });
      assert.equal(link.statusCode, 200, model);
    }
  });
  after(() => h.close());

  const setPlugin = (key: string, value: string) =>
    h.request({ method: 'PATCH', url: `/api/plugins/inventreebarcode/settings/${key}/`, headers: admin.auth, payload: { value } });

  for (const [format, prefix] of [
    ['short', 'INV-'],
    ['short', 'TEST'],
    ['short', ''],
    ['json', 'INV-'],
  ] as const) {
    it(`${format} format, prefix ${JSON.stringify(prefix)}`, async () => {
      await setPlugin('INTERNAL_BARCODE_FORMAT', format);
      await setPlugin('SHORT_BARCODE_PREFIX', prefix);
      for (const [model, pk] of Object.entries(objects)) {
        const gen = await h.request({ method: 'POST', url: '/api/barcode/generate/', headers: admin.auth, payload: { model, pk } });
        assert.equal(gen.statusCode, 200, model);
        const barcode = gen.json().barcode as string;
        if (format === 'json') assert.equal(barcode, `{"${model}": ${pk}}`);
        else assert.ok(barcode.startsWith(prefix) && barcode.endsWith(String(pk)), barcode);
        const res = await h.request({ method: 'POST', url: '/api/barcode/', headers: admin.auth, payload: { barcode } });
        assert.equal(res.statusCode, 200, `${model}: ${barcode}`);
        assert.equal(res.json()[model].pk, pk, model);
        if (format === 'short' && prefix === 'INV-') {
          // The instance is the object as its own detail endpoint answers it.
          const detail = await h.request({ method: 'GET', url: res.json()[model].api_url, headers: admin.auth });
          assert.equal(detail.statusCode, 200, model);
          assert.deepEqual(res.json()[model].instance, detail.json(), model);
          assert.equal(res.json()[model].instance.barcode_hash, barcodeHash(`ROUND-TRIP-${model}`), model);
        }
      }
    });
  }
});

describe('scan history', () => {
  let h: Harness;
  let staff: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let own: number;
  let other: number;
  beforeEach(async () => {
    h = await createHarness();
    staff = await h.user('staff', { is_staff: true });
    alice = await h.user('alice');
    bob = await h.user('bob');
    const db = h.db.database.kysely;
    const insert = async (data: string, userId: number, result = false) =>
      (
        await db
          .insertInto('barcode_scan')
          .values({ data, user_id: userId, timestamp: new Date().toISOString(), endpoint: '/api/barcode/', result, plugin: result ? 'InvenTreeBarcode' : null, context: '{}', response: '{}' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    own = await insert('own-barcode', alice.user.id);
    other = await insert('other-barcode', bob.user.id, true);
  });
  const close = () => h.close();

  it('16–20: non-staff users see only their own rows; staff see all (D5)', async () => {
    try {
      const list = (await h.request({ method: 'GET', url: '/api/barcode/history/', headers: alice.auth })).json() as { pk: number; data: string }[];
      assert.deepEqual(list.map((r) => r.data), ['own-barcode']);
      const all = (await h.request({ method: 'GET', url: '/api/barcode/history/', headers: staff.auth })).json() as { data: string }[];
      assert.deepEqual(all.map((r) => r.data).sort(), ['other-barcode', 'own-barcode']);
      assert.equal((await h.request({ method: 'GET', url: `/api/barcode/history/${own}/`, headers: alice.auth })).statusCode, 200);
      const hidden = await h.request({ method: 'GET', url: `/api/barcode/history/${other}/`, headers: alice.auth });
      assert.deepEqual([hidden.statusCode, hidden.json()], [404, { detail: 'No BarcodeScanResult matches the given query.' }]);
      assert.equal((await h.request({ method: 'GET', url: `/api/barcode/history/${other}/`, headers: staff.auth })).statusCode, 200);
    } finally {
      await close();
    }
  });

  it('serialises rows with the keys the web UI reads', async () => {
    try {
      const row = (await h.request({ method: 'GET', url: `/api/barcode/history/${other}/`, headers: staff.auth })).json();
      assert.equal(row.pk, other);
      assert.equal(row.data, 'other-barcode');
      assert.equal(row.result, true);
      assert.equal(row.user, bob.user.id);
      assert.deepEqual(row.user_detail, { pk: bob.user.id, username: 'bob', first_name: '', last_name: '', email: '' });
      assert.deepEqual(row.context, {});
      assert.equal(row.plugin, 'InvenTreeBarcode');
      assert.match(row.timestamp, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    } finally {
      await close();
    }
  });

  it('filters by user and result, searches and orders by plugin (D6), pages', async () => {
    try {
      const get = async (q: string) => (await h.request({ method: 'GET', url: `/api/barcode/history/${q}`, headers: staff.auth })).json();
      assert.deepEqual((await get(`?user=${bob.user.id}`)).map((r: { data: string }) => r.data), ['other-barcode']);
      assert.deepEqual((await get('?result=true')).map((r: { data: string }) => r.data), ['other-barcode']);
      assert.deepEqual((await get('?result=0')).map((r: { data: string }) => r.data), ['own-barcode']);
      assert.deepEqual((await get('?search=inventree')).map((r: { data: string }) => r.data), ['other-barcode']);
      const up = (await get('?ordering=plugin')).map((r: { data: string }) => r.data);
      const down = (await get('?ordering=-plugin')).map((r: { data: string }) => r.data);
      assert.equal(up.length, 2);
      assert.deepEqual(down, [...up].reverse());
      const page = await get('?limit=1');
      assert.equal(page.count, 2);
      assert.equal(page.results.length, 1);
      const bad = await h.request({ method: 'GET', url: '/api/barcode/history/?user=9999', headers: staff.auth });
      assert.deepEqual([bad.statusCode, bad.json()], [400, { user: ['Select a valid choice. That choice is not one of the available choices.'] }]);
    } finally {
      await close();
    }
  });

  it('38–40 and §2.8: bulk delete errors', async () => {
    try {
      const del = (payload: unknown, q = '') => h.request({ method: 'DELETE', url: `/api/barcode/history/${q}`, headers: staff.auth, payload: payload as object });
      assert.deepEqual((await del({})).json(), { non_field_errors: 'List of items or filters must be provided for bulk operation' });
      assert.deepEqual((await del({ items: [] })).json(), { non_field_errors: 'List of items or filters must be provided for bulk operation' });
      assert.deepEqual((await del({ items: { hello: 'world' } })).json(), { non_field_errors: 'Items must be provided as a list' });
      assert.deepEqual((await del({ items: ['x'] })).json(), { non_field_errors: 'Invalid items list provided' });
      assert.deepEqual((await del({ filters: [1, 2, 3] })).json(), { non_field_errors: 'Filters must be provided as a dict' });
      assert.deepEqual((await del({ filters: { colour: 'red' } })).json(), { non_field_errors: 'Invalid filters provided' });
      assert.deepEqual((await del({}, '?all=nope')).json(), { non_field_errors: 'All filter must only be used with true' });
      assert.deepEqual((await del({ items: [999999] })).json(), { non_field_errors: 'No items match the provided criteria' });
      assert.equal((await del({})).statusCode, 400);
    } finally {
      await close();
    }
  });

  it('bulk delete by filters, items (ANDed) and all; staff only', async () => {
    try {
      const del = (who: TestUser, payload: unknown, q = '') => h.request({ method: 'DELETE', url: `/api/barcode/history/${q}`, headers: who.auth, payload: payload as object });
      assert.equal((await del(alice, { filters: { result: false } })).statusCode, 403);
      const none = await del(staff, { items: [own], filters: { result: true } });
      assert.deepEqual(none.json(), { non_field_errors: 'No items match the provided criteria' });
      const res = await del(staff, { filters: { result: false } });
      assert.deepEqual([res.statusCode, res.json()], [200, { success: 'Deleted 1 items' }]);
      const all = await del(staff, {}, '?all=true');
      assert.deepEqual(all.json(), { success: 'Deleted 1 items' });
    } finally {
      await close();
    }
  });

  it('deletes one row for staff only (204), never for others', async () => {
    try {
      assert.equal((await h.request({ method: 'DELETE', url: `/api/barcode/history/${own}/`, headers: alice.auth })).statusCode, 403);
      assert.equal((await h.request({ method: 'DELETE', url: `/api/barcode/history/${own}/`, headers: staff.auth })).statusCode, 204);
      assert.equal((await h.request({ method: 'PATCH', url: `/api/barcode/history/${other}/`, headers: staff.auth, payload: {} })).statusCode, 405);
    } finally {
      await close();
    }
  });

  it('keeps at most BARCODE_RESULTS_MAX_NUM rows: the newest', async () => {
    try {
      const db = h.db.database.kysely;
      await db.deleteFrom('barcode_scan').execute();
      await h.request({ method: 'PATCH', url: '/api/settings/global/BARCODE_RESULTS_MAX_NUM/', headers: staff.auth, payload: { value: 2 } });
      for (const barcode of ['first', 'second', 'third']) {
        await h.request({ method: 'POST', url: '/api/barcode/', headers: alice.auth, payload: { barcode } });
      }
      const rows = await db.selectFrom('barcode_scan').select('data').orderBy('id').execute();
      assert.deepEqual(rows.map((r) => r.data), ['second', 'third']);
    } finally {
      await close();
    }
  });

  it('concurrent scans: each answer comes only once its own row is stored', async () => {
    try {
      const db = h.db.database.kysely;
      await db.deleteFrom('barcode_scan').execute();
      const barcodes = Array.from({ length: 40 }, (_, i) => `burst-${i}`);
      const stored = await Promise.all(
        barcodes.map(async (barcode) => {
          const res = await h.request({ method: 'POST', url: '/api/barcode/', headers: alice.auth, payload: { barcode } });
          assert.equal(res.statusCode, 400);
          // Read as soon as this answer arrives, while other scans of the burst are still running.
          return db.selectFrom('barcode_scan').select(['data', 'endpoint', 'plugin']).where('data', '=', barcode).executeTakeFirst();
        }),
      );
      assert.deepEqual(
        stored,
        barcodes.map((data) => ({ data, endpoint: '/api/barcode/', plugin: null })),
      );
    } finally {
      await close();
    }
  });

  it('concurrent scans: the history keeps exactly the newest BARCODE_RESULTS_MAX_NUM rows', async () => {
    try {
      const db = h.db.database.kysely;
      await db.deleteFrom('barcode_scan').execute();
      await h.request({ method: 'PATCH', url: '/api/settings/global/BARCODE_RESULTS_MAX_NUM/', headers: staff.auth, payload: { value: 25 } });
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => h.request({ method: 'POST', url: '/api/barcode/', headers: alice.auth, payload: { barcode: `capped-${i}` } })),
      );
      const ids = (await db.selectFrom('barcode_scan').select('id').orderBy('id').execute()).map((r) => r.id);
      assert.equal(ids.length, 25);
      const newest = ids[24] as number;
      assert.deepEqual(ids, Array.from({ length: 25 }, (_, i) => newest - 24 + i));
    } finally {
      await close();
    }
  });

  it('the count of the whole history stays exact through scans, pruning and deletes', async () => {
    try {
      const db = h.db.database.kysely;
      const counted = async () => (await h.request({ method: 'GET', url: '/api/barcode/history/?limit=1', headers: staff.auth })).json().count as number;
      const actual = async () => (await db.selectFrom('barcode_scan').select('id').execute()).length;
      assert.equal(await counted(), await actual());
      await Promise.all(Array.from({ length: 12 }, (_, i) => h.request({ method: 'POST', url: '/api/barcode/', headers: alice.auth, payload: { barcode: `count-${i}` } })));
      assert.equal(await counted(), await actual());
      await h.request({ method: 'PATCH', url: '/api/settings/global/BARCODE_RESULTS_MAX_NUM/', headers: staff.auth, payload: { value: 5 } });
      await h.request({ method: 'POST', url: '/api/barcode/', headers: alice.auth, payload: { barcode: 'count-pruned' } });
      assert.equal(await actual(), 5);
      assert.equal(await counted(), 5);
      const one = (await db.selectFrom('barcode_scan').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
      assert.equal((await h.request({ method: 'DELETE', url: `/api/barcode/history/${one}/`, headers: staff.auth })).statusCode, 204);
      assert.equal(await counted(), 4);
      // Filtered lists count what they show.
      const mine = (await h.request({ method: 'GET', url: '/api/barcode/history/?limit=1', headers: alice.auth })).json().count;
      assert.equal(mine, (await db.selectFrom('barcode_scan').select('id').where('user_id', '=', alice.user.id).execute()).length);
      await h.request({ method: 'DELETE', url: '/api/barcode/history/?all=true', headers: staff.auth, payload: {} });
      assert.equal(await counted(), 0);
    } finally {
      await close();
    }
  });

  it('stores nothing when BARCODE_STORE_RESULTS is off', async () => {
    try {
      const db = h.db.database.kysely;
      await h.request({ method: 'PATCH', url: '/api/settings/global/BARCODE_STORE_RESULTS/', headers: staff.auth, payload: { value: false } });
      const before = (await db.selectFrom('barcode_scan').select('id').execute()).length;
      await h.request({ method: 'POST', url: '/api/barcode/', headers: alice.auth, payload: { barcode: 'quiet' } });
      assert.equal((await db.selectFrom('barcode_scan').select('id').execute()).length, before);
    } finally {
      await close();
    }
  });
});
