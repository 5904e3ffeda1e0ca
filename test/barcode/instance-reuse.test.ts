/**
 * A scan by an internal barcode looks its object up once: the plugin's look-up by id serialises
 * the object's instance when the caller will answer with it (`withInstances`), and the matched
 * block reuses that instance instead of reading the object again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import type { BarcodeModel } from '../../src/barcode/model-types.js';
import { internalBarcodePlugin } from '../../src/barcode/plugins/internal.js';
import type { FoundObject, PluginContext } from '../../src/barcode/plugins/types.js';
import { answerBody, scanAcrossPlugins } from '../../src/barcode/scan.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

describe('one look-up per internal barcode hit', () => {
  let h: Harness;
  let admin: TestUser;
  let item: number;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
    item = await h.fx.stockItem({ part_id: await h.fx.part({ name: 'Reused' }) });
  });
  after(() => h.close());

  /** What the scan endpoint's handler has of a request: its server and its log. */
  const request = () => ({ server: h.app, log: h.app.log }) as unknown as FastifyRequest;
  const detail = async (pk: number) => (await h.request({ method: 'GET', url: `/api/stock/${pk}/`, headers: admin.auth })).json();

  it('the internal plugin finds objects through its context and keeps the instance it was given', async () => {
    const asked: string[] = [];
    const ctx: PluginContext = {
      db: h.db.database.kysely,
      setting: async (key) => (key === 'SHORT_BARCODE_PREFIX' ? 'INV-' : ''),
      setSetting: async () => undefined,
      linkOf: async () => undefined,
      objectOf: async (model: BarcodeModel, pk: number): Promise<FoundObject | undefined> => {
        asked.push(`${model.type} ${pk}`);
        return pk === 7 ? { instance: { sentinel: pk } } : undefined;
      },
    };
    assert.deepEqual((await internalBarcodePlugin.scan(ctx, 'INV-SI7'))?.objects, [{ type: 'stockitem', pk: 7, via: 'internal-short', instance: { sentinel: 7 } }]);
    assert.deepEqual((await internalBarcodePlugin.scan(ctx, '{"stockitem": 7}'))?.objects, [{ type: 'stockitem', pk: 7, via: 'internal-json', instance: { sentinel: 7 } }]);
    assert.equal(await internalBarcodePlugin.scan(ctx, 'INV-SI8'), undefined);
    assert.deepEqual(asked, ['stockitem 7', 'stockitem 7', 'stockitem 8']);
  });

  it('with instances asked for, the matched object comes with its instance as its detail endpoint answers it', async () => {
    const { plugins } = h.app.ctx;
    for (const barcode of [`INV-SI${item}`, `{"stockitem": ${item}}`]) {
      const answer = await scanAcrossPlugins(plugins, [internalBarcodePlugin], barcode, h.db.database.kysely, { request: request(), withInstances: true });
      assert.deepEqual(answer.outcome?.objects[0]?.instance, await detail(item));
    }
    const plain = await scanAcrossPlugins(plugins, [internalBarcodePlugin], `INV-SI${item}`, h.db.database.kysely, { request: request() });
    assert.deepEqual(plain.outcome?.objects, [{ type: 'stockitem', pk: item, via: 'internal-short' }], 'without: found, not serialised');
    const missing = await scanAcrossPlugins(plugins, [internalBarcodePlugin], `INV-SI${item + 1000}`, h.db.database.kysely, { request: request(), withInstances: true });
    assert.equal(missing.plugin, null);
  });

  it('the matched block reuses the instance of the look-up', async () => {
    const body = await answerBody(
      h.db.database.kysely,
      { plugin: internalBarcodePlugin, outcome: { objects: [{ type: 'stockitem', pk: item, instance: { sentinel: item } }] } },
      `INV-SI${item}`,
      request(),
    );
    assert.deepEqual((body.stockitem as { instance?: unknown }).instance, { sentinel: item });
    assert.equal((body.stockitem as { pk?: unknown }).pk, item);
  });

  it('the scan endpoint answers a short barcode with the item as its detail endpoint does', async () => {
    const res = await h.request({ method: 'POST', url: '/api/barcode/', headers: admin.auth, payload: { barcode: `INV-SI${item}` } });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().stockitem.instance, await detail(item));
  });
});
