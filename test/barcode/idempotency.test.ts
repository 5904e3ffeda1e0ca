/**
 * Idempotency-Key on link, unlink, po-receive, po-allocate and so-allocate: a repeat replays
 * the first answer without acting again, a different request under the same key is 409,
 * concurrent requests with one key act once (D16), keys are per user and kept 24 hours.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';
import { DIGIKEY_BARCODE } from './samples.js';

interface World {
  h: Harness;
  admin: TestUser;
  other: TestUser;
  part: number;
  line: number;
  po: number;
  sp: number;
  so: number;
  soLine: number;
  item: number;
}

async function world(): Promise<World> {
  const h = await createHarness();
  const admin = await h.user('admin', { is_superuser: true, is_staff: true });
  const other = await h.user('other', { is_superuser: true });
  const fx = h.fx;
  const loc = await fx.location({ name: 'Goods in' });
  const part = await fx.part({ name: 'Op-amp', salable: true });
  const digikey = await fx.company({ name: 'DigiKey' });
  const sp = await fx.supplierPart({ part_id: part, supplier_id: digikey, sku: '296-LM358BIDDFRCT-ND' });
  const po = await fx.purchaseOrder({ supplier_id: digikey, supplier_reference: '72991337', destination_id: loc, status: 20 });
  const line = await fx.poLine({ order_id: po, part_id: sp, quantity: 100 });
  await h.request({ method: 'POST', url: '/api/plugins/digikeyplugin/activate/', headers: admin.auth, payload: { active: true } });
  const item = await fx.stockItem({ part_id: part, quantity: 50, location_id: loc });
  const customer = await fx.company({ name: 'Customer', is_customer: true, is_supplier: false });
  const so = await fx.salesOrder({ customer_id: customer, status: 10 });
  await fx.shipment({ order_id: so });
  const soLine = await fx.soLine({ order_id: so, part_id: part, quantity: 5 });
  return { h, admin, other, part, line, po, sp, so, soLine, item };
}

describe('Idempotency-Key', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(() => w.h.close());

  const post = (url: string, payload: Record<string, unknown>, key?: string, who?: TestUser) =>
    w.h.request({ method: 'POST', url, headers: { ...(who ?? w.admin).auth, ...(key !== undefined ? { 'idempotency-key': key } : {}) }, payload });
  const kysely = () => w.h.db.database.kysely;
  const stockItems = async () => (await kysely().selectFrom('stock_item').select('id').where('supplier_part_id', '=', w.sp).execute()).length;
  const received = async () => Number((await kysely().selectFrom('purchase_order_line').select('received').where('id', '=', w.line).executeTakeFirstOrThrow()).received);
  const allocations = async () => (await kysely().selectFrom('sales_order_allocation').select('id').where('line_id', '=', w.soLine).execute()).length;
  const partHash = async () => (await w.h.request({ method: 'GET', url: `/api/part/${w.part}/`, headers: w.admin.auth })).json().barcode_hash as string;

  it('link: a repeat replays the first answer and does not link again', async () => {
    const first = await post('/api/barcode/link/', { barcode: 'RETRY-ME', part: w.part }, 'k-link');
    assert.equal(first.statusCode, 200);
    assert.equal(first.headers['idempotency-replayed'], undefined);
    // Undo the link by other means; a replay must not link again.
    await post('/api/barcode/unlink/', { part: w.part });
    assert.equal(await partHash(), '');
    const again = await post('/api/barcode/link/', { barcode: 'RETRY-ME', part: w.part }, 'k-link');
    assert.equal(again.statusCode, 200);
    assert.equal(again.headers['idempotency-replayed'], 'true');
    assert.deepEqual(again.json(), first.json());
    assert.equal(await partHash(), '');
  });

  it('the same key with a different request is refused with 409', async () => {
    assert.equal((await post('/api/barcode/link/', { barcode: 'ONE', part: w.part }, 'k-409')).statusCode, 200);
    const other = await post('/api/barcode/link/', { barcode: 'TWO', part: w.part }, 'k-409');
    assert.deepEqual([other.statusCode, other.json()], [409, { detail: 'Idempotency-Key reused with a different request' }]);
    const elsewhere = await post('/api/barcode/unlink/', { part: w.part }, 'k-409');
    assert.equal(elsewhere.statusCode, 409);
    // Key order in the body does not make a request different.
    const sameKeys = await w.h.request({
      method: 'POST',
      url: '/api/barcode/link/',
      headers: { ...w.admin.auth, 'idempotency-key': 'k-409', 'content-type': 'application/json' },
      payload: `{"part": ${w.part}, "barcode": "ONE"}`,
    });
    assert.equal(sameKeys.headers['idempotency-replayed'], 'true');
  });

  it('keys belong to their user', async () => {
    assert.equal((await post('/api/barcode/link/', { barcode: 'MINE', part: w.part }, 'shared')).statusCode, 200);
    const theirs = await post('/api/barcode/unlink/', { part: w.part }, 'shared', w.other);
    assert.equal(theirs.statusCode, 200);
    assert.equal(theirs.headers['idempotency-replayed'], undefined);
    assert.equal(await partHash(), '');
  });

  it('a refused request leaves no record: it can be retried with the key', async () => {
    const refused = await post('/api/barcode/link/', { barcode: 'LATER' }, 'k-retry');
    assert.equal(refused.statusCode, 400);
    const fixed = await post('/api/barcode/link/', { barcode: 'LATER', part: w.part }, 'k-retry');
    assert.equal(fixed.statusCode, 200);
    assert.equal(fixed.headers['idempotency-replayed'], undefined);
  });

  it('unlink: a repeat is replayed', async () => {
    await post('/api/barcode/link/', { barcode: 'GONE-SOON', part: w.part });
    assert.equal((await post('/api/barcode/unlink/', { part: w.part }, 'k-unlink')).statusCode, 200);
    await post('/api/barcode/link/', { barcode: 'BACK-AGAIN', part: w.part });
    const again = await post('/api/barcode/unlink/', { part: w.part }, 'k-unlink');
    assert.equal(again.headers['idempotency-replayed'], 'true');
    assert.deepEqual(again.json(), { success: 'Barcode unassigned from part instance' });
    assert.notEqual(await partHash(), '');
  });

  it('po-receive: a repeat replays without receiving again', async () => {
    const first = await post('/api/barcode/po-receive/', { barcode: DIGIKEY_BARCODE }, 'k-receive');
    assert.equal(first.statusCode, 200);
    assert.equal(first.json().success, 'Received purchase order line item');
    const again = await post('/api/barcode/po-receive/', { barcode: DIGIKEY_BARCODE }, 'k-receive');
    assert.deepEqual([again.statusCode, again.headers['idempotency-replayed']], [200, 'true']);
    assert.deepEqual(again.json(), first.json());
    assert.equal(await stockItems(), 1);
    assert.equal(await received(), 10);
    // Without the key, the same label is refused as already received (it is linked).
    assert.equal((await post('/api/barcode/po-receive/', { barcode: DIGIKEY_BARCODE })).json().error, 'Item has already been received');
  });

  it('po-receive: concurrent requests with one key receive once (D16)', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => post('/api/barcode/po-receive/', { barcode: DIGIKEY_BARCODE }, 'k-race')));
    assert.ok(answers.every((a) => a.statusCode === 200), JSON.stringify(answers.map((a) => [a.statusCode, a.json()])));
    assert.equal(answers.filter((a) => a.headers['idempotency-replayed'] === undefined).length, 1);
    for (const a of answers) assert.deepEqual(a.json(), answers[0]!.json());
    assert.equal(await stockItems(), 1);
    assert.equal(await received(), 10);
  });

  it('link: concurrent requests with one key link once', async () => {
    const answers = await Promise.all(Array.from({ length: 4 }, () => post('/api/barcode/link/', { barcode: 'RACE-LINK', part: w.part }, 'k-link-race')));
    assert.ok(answers.every((a) => a.statusCode === 200));
    assert.equal(answers.filter((a) => a.headers['idempotency-replayed'] === 'true').length, 3);
  });

  it('so-allocate: a repeat and concurrent repeats allocate once', async () => {
    const payload = { barcode: `INV-SI${w.item}`, sales_order: w.so, quantity: 1 };
    const answers = await Promise.all(Array.from({ length: 4 }, () => post('/api/barcode/so-allocate/', payload, 'k-so')));
    assert.ok(answers.every((a) => a.statusCode === 200 && a.json().success === 'Stock item allocated to sales order'));
    assert.equal(answers.filter((a) => a.headers['idempotency-replayed'] === undefined).length, 1);
    const later = await post('/api/barcode/so-allocate/', payload, 'k-so');
    assert.equal(later.headers['idempotency-replayed'], 'true');
    assert.equal(await allocations(), 1);
    // Without a key each request allocates.
    await post('/api/barcode/so-allocate/', payload);
    assert.equal(await allocations(), 2);
  });

  it('po-allocate: a repeat is replayed; an error answer is not recorded', async () => {
    const ok = await post('/api/barcode/po-allocate/', { barcode: `INV-SP${w.sp}`, purchase_order: w.po }, 'k-poa');
    assert.equal(ok.json().success, 'Matched supplier part');
    const again = await post('/api/barcode/po-allocate/', { barcode: `INV-SP${w.sp}`, purchase_order: w.po }, 'k-poa');
    assert.deepEqual([again.headers['idempotency-replayed'], again.json()], ['true', ok.json()]);
    const miss = await post('/api/barcode/po-allocate/', { barcode: 'nothing', purchase_order: w.po }, 'k-poa-miss');
    assert.equal(miss.statusCode, 400);
    const retried = await post('/api/barcode/po-allocate/', { barcode: 'nothing', purchase_order: w.po }, 'k-poa-miss');
    assert.deepEqual([retried.statusCode, retried.headers['idempotency-replayed']], [400, undefined]);
  });

  it('records expire after 24 hours', async () => {
    await post('/api/barcode/link/', { barcode: 'OLD-KEY', part: w.part }, 'k-old');
    await post('/api/barcode/unlink/', { part: w.part });
    const old = new Date(Date.now() - 25 * 60 * 60 * 1000).toISOString();
    await kysely().updateTable('barcode_idempotency').set({ created: old }).where('key', '=', 'k-old').execute();
    const fresh = await post('/api/barcode/link/', { barcode: 'NEW-BODY', part: w.part }, 'k-old');
    assert.deepEqual([fresh.statusCode, fresh.headers['idempotency-replayed']], [200, undefined]);
    assert.equal(fresh.json().barcode_data, 'NEW-BODY');
    // Expired records of other keys are pruned as requests come in.
    await kysely().updateTable('barcode_idempotency').set({ created: old }).where('key', '=', 'k-old').execute();
    await post('/api/barcode/unlink/', { part: w.part }, 'k-prune');
    assert.equal((await kysely().selectFrom('barcode_idempotency').select('id').where('key', '=', 'k-old').execute()).length, 0);
  });

  it('a malformed key is a 400', async () => {
    const res = await post('/api/barcode/unlink/', { part: w.part }, 'x'.repeat(256));
    assert.deepEqual([res.statusCode, res.json()], [400, { detail: 'Idempotency-Key must be between 1 and 255 characters' }]);
    const blank = await post('/api/barcode/unlink/', { part: w.part }, '   ');
    assert.equal(blank.statusCode, 400);
  });
});

describe('Idempotency-Key across origins', () => {
  it('a cross-origin client may send the key and read Idempotency-Replayed', async () => {
    const h = await createHarness({ http: { corsOrigins: ['https://app.example'] } });
    try {
      const admin = await h.user('admin', { is_superuser: true });
      const part = await h.fx.part();
      const preflight = await h.request({
        method: 'OPTIONS',
        url: '/api/barcode/link/',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'idempotency-key' },
      });
      assert.match(String(preflight.headers['access-control-allow-headers']), /Idempotency-Key/);
      const headers = { ...admin.auth, origin: 'https://app.example', 'idempotency-key': 'cors-1' };
      await h.request({ method: 'POST', url: '/api/barcode/link/', headers, payload: { barcode: 'CORS-1', part } });
      const again = await h.request({ method: 'POST', url: '/api/barcode/link/', headers, payload: { barcode: 'CORS-1', part } });
      assert.equal(again.headers['idempotency-replayed'], 'true');
      assert.equal(again.headers['access-control-expose-headers'], 'Idempotency-Replayed');
    } finally {
      await h.close();
    }
  });
});
