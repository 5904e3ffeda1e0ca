/**
 * Races between server processes (D13, D16): on PostgreSQL two separate `stockscan serve`
 * processes share the database; on SQLite (one process by design) the same requests race
 * inside one process. The invariants hold either way.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialect } from '../helpers/database.js';
import { call, installation, invariants, tmeLabel, type Installation } from './world.js';

describe('races across server processes', () => {
  let inst: Installation;
  let bases: string[];
  before(async () => {
    inst = await installation();
    if (testDialect() === 'postgres') await inst.start();
    bases = inst.servers.map((s) => s.url);
  });
  after(() => inst.close());

  /** The i-th request goes to the i-th process, round robin. */
  const on = (i: number) => bases[i % bases.length] as string;

  it(`runs ${testDialect() === 'postgres' ? 'two processes' : 'one process'}`, () => {
    assert.equal(bases.length, testDialect() === 'postgres' ? 2 : 1);
  });

  it('receives one label once, whichever process gets it', async () => {
    const label = tmeLabel(1);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => call(on(i), inst.token, 'POST', '/api/barcode/po-receive/', { barcode: label })));
    assert.equal(answers.filter((a) => a.status === 200).length, 1, JSON.stringify(answers.map((a) => a.body)));
    for (const a of answers.filter((x) => x.status !== 200)) {
      assert.equal(a.status, 400);
      assert.equal(a.body.error, 'Item has already been received');
    }
  });

  it('never allocates more than a stock item holds', async () => {
    const token = inst.token;
    const base = on(0);
    const part = (await call(base, token, 'POST', '/api/part/', { name: 'Race gadget', salable: true })).body.pk as number;
    const location = (await call(base, token, 'POST', '/api/stock/location/', { name: 'Race shelf' })).body.pk as number;
    const item = ((await call(base, token, 'POST', '/api/stock/', { part, quantity: 10, location })).body as unknown as { pk: number }[])[0]!.pk;
    const customer = (await call(base, token, 'POST', '/api/company/', { name: 'Race customer', is_customer: true })).body.pk as number;
    const so = (await call(base, token, 'POST', '/api/order/so/', { customer })).body.pk as number;
    assert.equal((await call(base, token, 'POST', '/api/order/so/shipment/', { order: so, reference: '1' })).status, 201);
    assert.equal((await call(base, token, 'POST', '/api/order/so-line/', { order: so, part, quantity: 100 })).status, 201);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call(on(i), token, 'POST', '/api/barcode/so-allocate/', { barcode: `INV-SI${item}`, sales_order: so, quantity: 1 })),
    );
    assert.equal(answers.filter((a) => a.status === 200).length, 10);
    assert.ok(answers.every((a) => a.status === 200 || (a.status === 400 && a.body.error === 'Insufficient stock available')));
    // The order's own allocate endpoint races the same way.
    const more = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        call(on(i), token, 'POST', `/api/order/so/${so}/allocate/`, { items: [{ line_item: answers[0]!.body.line_item, stock_item: item, quantity: 1 }] }),
      ),
    );
    assert.ok(more.every((a) => a.status === 400));
  });

  it('links one barcode to one object only, and link/unlink churn keeps one owner', async () => {
    const token = inst.token;
    const targets = [{ stocklocation: 1 }, { stocklocation: 2 }, { part: 1 }, { part: 2 }, { stocklocation: 3 }, { part: 3 }];
    const answers = await Promise.all(targets.map((t, i) => call(on(i), token, 'POST', '/api/barcode/link/', { barcode: 'RACE-LABEL', ...t })));
    assert.equal(answers.filter((a) => a.status === 200).length, 1);
    assert.ok(answers.every((a) => a.status === 200 || a.status === 400));
    const churn = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const target = i % 2 === 0 ? { part: 4 } : { part: 5 };
        const linked = await call(on(i), token, 'POST', '/api/barcode/link/', { barcode: 'CHURN-LABEL', ...target });
        const unlinked = await call(on(i + 1), token, 'POST', '/api/barcode/unlink/', target);
        return [linked.status, unlinked.status];
      }),
    );
    assert.ok(churn.flat().every((s) => s === 200 || s === 400));
    const database = inst.open();
    try {
      const owners = await database.kysely.selectFrom('barcode_link').select(['model_type', 'object_id']).where('data', 'in', ['RACE-LABEL', 'CHURN-LABEL']).execute();
      assert.ok(owners.filter((o) => o).length <= 2);
      const check = await invariants(database);
      assert.deepEqual(check, { receiptMismatches: [], overAllocated: [], danglingLinks: 0 });
    } finally {
      await database.close();
    }
  });
});
