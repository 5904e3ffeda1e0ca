/**
 * The benchmark's scan floor (bench/bare-server.ts, BARE_KIND=scan): the least a scan can do on
 * the project's stack. Its figures are only a floor if it does that least for real: it reads
 * the item from the database, and it answers only once the scan's history row is stored.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Fixtures } from '../helpers/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const BARE = fileURLToPath(new URL('../../bench/bare-server.js', import.meta.url));

let t: TestDatabase;
let child: ChildProcess;
let url: string;
let item: number;

function startFloor(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const started = spawn(process.execPath, [BARE], { env: { ...process.env, BARE_KIND: 'scan', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    started.once('exit', (code) => reject(new Error(`the scan floor exited with ${code}`)));
    started.stdout?.once('data', (d: Buffer) => resolve({ child: started, url: (JSON.parse(d.toString()) as { url: string }).url }));
  });
}

async function scan(barcode: string, token = 'floor-token'): Promise<Response> {
  return fetch(`${url}/api/barcode/`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${token}` }, body: JSON.stringify({ barcode }) });
}

const historyOf = (barcode: string) => t.database.kysely.selectFrom('barcode_scan').select(['result', 'plugin', 'response']).where('data', '=', barcode).execute();

before(async () => {
  t = await createTestDatabase();
  const fx = new Fixtures(t.database);
  item = await fx.stockItem({ part_id: await fx.part({ name: 'Floor part' }), quantity: 7 });
  ({ child, url } = await startFloor({ BARE_DB: t.url, BARE_TOKEN: 'floor-token' }));
});

after(async () => {
  child.removeAllListeners('exit');
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  await t.drop();
});

test('the scan floor answers a short barcode with the item read from the database, its history row already stored', async () => {
  const res = await scan(`INV-SI${item}`);
  assert.equal(res.status, 200);
  const body = (await res.json()) as { stockitem: { pk: number; instance: { quantity: number; part_name: string } } };
  assert.equal(body.stockitem.pk, item);
  assert.equal(Number(body.stockitem.instance.quantity), 7);
  assert.equal(body.stockitem.instance.part_name, 'Floor part');
  const rows = await historyOf(`INV-SI${item}`);
  assert.equal(rows.length, 1);
  assert.ok(rows[0]!.result);
  assert.equal(rows[0]!.plugin, 'InvenTreeBarcode');
});

test('the scan floor answers an unknown item with 400 and stores the failed scan too', async () => {
  const res = await scan('INV-SI999999');
  assert.equal(res.status, 400);
  const rows = await historyOf('INV-SI999999');
  assert.equal(rows.length, 1);
  assert.ok(!rows[0]!.result);
});

test('concurrent scans are each stored once, whatever batch they were written in', async () => {
  const barcodes = Array.from({ length: 40 }, (_, i) => `INV-SI${i % 2 === 0 ? item : 900000 + i}`);
  const answers = await Promise.all(barcodes.map((b) => scan(b)));
  assert.deepEqual(
    answers.map((a) => a.status),
    barcodes.map((b) => (b === `INV-SI${item}` ? 200 : 400)),
  );
  const stored = await t.database.kysely.selectFrom('barcode_scan').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.equal(Number(stored.n), 2 + barcodes.length);
});

test('the scan floor refuses another token', async () => {
  const res = await scan(`INV-SI${item}`, 'not-the-token');
  assert.equal(res.status, 401);
});
