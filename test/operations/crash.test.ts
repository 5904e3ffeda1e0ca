/**
 * Crash safety and graceful shutdown: a server killed with SIGKILL in the middle of a receive
 * and allocate load restarts on a consistent database that keeps every answered write; SIGTERM
 * lets the requests in flight finish.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { testDialect } from '../helpers/database.js';
import { call, installation, invariants, tmeLabel, type Answer, type Installation } from './world.js';

describe('a server killed with SIGKILL under load', () => {
  let inst: Installation;
  before(async () => {
    inst = await installation();
  });
  after(() => inst.close());

  it('restarts on a consistent database that kept every write it answered', async () => {
    const server = inst.servers[0]!;
    const token = inst.token;
    const base = server.url;
    // A sales order to allocate to, with stock of 30 and a line of 1000.
    const part = (await call(base, token, 'POST', '/api/part/', { name: 'Crash gadget', salable: true })).body.pk as number;
    const location = (await call(base, token, 'POST', '/api/stock/location/', { name: 'Crash shelf' })).body.pk as number;
    const item = ((await call(base, token, 'POST', '/api/stock/', { part, quantity: 30, location })).body as unknown as { pk: number }[])[0]!.pk;
    const customer = (await call(base, token, 'POST', '/api/company/', { name: 'Crash customer', is_customer: true })).body.pk as number;
    const so = (await call(base, token, 'POST', '/api/order/so/', { customer })).body.pk as number;
    await call(base, token, 'POST', '/api/order/so/shipment/', { order: so, reference: '1' });
    await call(base, token, 'POST', '/api/order/so-line/', { order: so, part, quantity: 1000 });

    const received: string[] = [];
    const answered: Answer[] = [];
    let stop = false;
    let n = 0;
    const worker = async () => {
      while (!stop) {
        const k = n++;
        if (k % 2 === 0) {
          const label = tmeLabel(1000 + k);
          const a = await call(base, token, 'POST', '/api/barcode/po-receive/', { barcode: label });
          if (a.status === 200) received.push(label);
          answered.push(a);
        } else {
          answered.push(await call(base, token, 'POST', '/api/barcode/so-allocate/', { barcode: `INV-SI${item}`, sales_order: so, quantity: 1 }));
        }
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, worker));
    await new Promise((r) => setTimeout(r, 1500));
    await server.stop('SIGKILL');
    stop = true;
    await load;
    assert.ok(received.length > 0, 'some receipts were answered before the crash');
    assert.ok(answered.every((a) => a.status === 0 || a.status === 200 || a.status === 400), JSON.stringify(answered.filter((a) => a.status >= 500).slice(0, 3)));

    const database = inst.open();
    try {
      if (testDialect() === 'sqlite') {
        const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(database.kysely);
        assert.deepEqual(check.rows, [{ integrity_check: 'ok' }]);
      }
      assert.deepEqual(await invariants(database), { receiptMismatches: [], overAllocated: [], danglingLinks: 0 });
      // Every receipt answered with 200 before the crash is still there.
      const links = await database.kysely.selectFrom('barcode_link').select('data').where('model_type', '=', 'stockitem').execute();
      const stored = new Set(links.map((l) => l.data));
      for (const label of received) assert.ok(stored.has(label), `lost the receipt of ${label}`);
    } finally {
      await database.close();
    }

    const restarted = await inst.start();
    const again = await call(restarted.url, token, 'POST', '/api/barcode/po-receive/', { barcode: received[0] });
    assert.equal(again.body.error, 'Item has already been received');
    const info = await call(restarted.url, token, 'GET', '/api/');
    assert.equal(info.status, 200);
  });
});

describe('SIGTERM', () => {
  let inst: Installation;
  before(async () => {
    inst = await installation();
  });
  after(() => inst.close());

  it('lets the requests in flight finish, then exits 0', async () => {
    const server = inst.servers[0]!;
    const inFlight = Array.from({ length: 30 }, (_, i) => call(server.url, inst.token, 'POST', '/api/barcode/po-receive/', { barcode: tmeLabel(5000 + i) }));
    // Let the requests reach the server, then ask it to stop.
    await new Promise((r) => setTimeout(r, 30));
    const exit = server.stop('SIGTERM');
    const answers = await Promise.all(inFlight);
    assert.equal(await exit, 0);
    const accepted = answers.filter((a) => a.status !== 0);
    assert.ok(accepted.length > 0);
    // Every request the server accepted got a complete answer.
    assert.ok(accepted.every((a) => a.status === 200 || a.status === 400 || a.status === 503));
    const database = inst.open();
    try {
      assert.deepEqual(await invariants(database), { receiptMismatches: [], overAllocated: [], danglingLinks: 0 });
    } finally {
      await database.close();
    }
  });
});
