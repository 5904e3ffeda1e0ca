/**
 * Generate → scan round trips for every barcodable model (D12 order) in both internal formats:
 * the pure functions for many runs (any prefix, any key up to PostgreSQL's integer limit), and
 * the real API — `POST /api/barcode/generate/` then `POST /api/barcode/` — for fewer runs with
 * arbitrary SHORT_BARCODE_PREFIX values set through the plugin-settings endpoint.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { generateJsonBarcode, generateShortBarcode, parseJsonObject, parseShortBarcode, pythonInt } from '../../src/barcode/formats/internal.js';
import { BARCODE_MODELS, BARCODE_MODEL_TYPES, barcodeModelByCode, type BarcodeModelType } from '../../src/barcode/model-types.js';
import { internalCheck } from '../../src/barcode/prepare.js';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';
import { check, hostileUnit } from './arbitraries.js';

const MAX_PK = 2147483647;
const model = fc.constantFrom(...BARCODE_MODELS);
const pk = fc.oneof(fc.integer({ min: 1, max: MAX_PK }), fc.constantFrom(1, 9, 10, MAX_PK));
/** Any prefix text at all (the pure functions take it literally). */
const anyPrefix = fc.string({ unit: hostileUnit, maxLength: 24 });

describe('internal barcodes round-trip through the pure functions', () => {
  it('the models are the ten of D12, in that order, with distinct codes', () => {
    assert.deepEqual(BARCODE_MODEL_TYPES, ['build', 'manufacturerpart', 'supplierpart', 'purchaseorder', 'salesorder', 'salesordershipment', 'returnorder', 'part', 'stocklocation', 'stockitem']);
    assert.equal(new Set(BARCODE_MODELS.map((m) => m.code)).size, BARCODE_MODELS.length);
  });

  it('short format: the code and key come back for any prefix', () => {
    check(
      fc.property(model, pk, anyPrefix, (m, n, prefix) => {
        const text = generateShortBarcode(prefix, m.code, n);
        assert.deepEqual(parseShortBarcode(text, prefix), { code: m.code, pk: n });
        assert.equal(barcodeModelByCode(m.code), m);
        assert.equal(internalCheck(prefix)(text), true);
      }),
      5000,
    );
  });

  it('JSON format: the model key and the key come back', () => {
    check(
      fc.property(model, pk, anyPrefix, (m, n, prefix) => {
        const text = generateJsonBarcode(m.type, n);
        assert.equal(text, `{"${m.type}": ${n}}`);
        const json = parseJsonObject(text);
        assert.ok(json !== undefined);
        assert.deepEqual(Object.keys(json), [m.type]);
        assert.equal(pythonInt(json[m.type]), n);
        assert.equal(internalCheck(prefix)(text), true);
      }),
      5000,
    );
  });
});

describe('internal barcodes round-trip through the API', () => {
  let h: Harness;
  let admin: TestUser;
  const objects = {} as Record<BarcodeModelType, number[]>;

  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true, is_staff: true });
    const fx = h.fx;
    const company = await fx.company({ name: 'Acme', is_supplier: true, is_customer: true, is_manufacturer: true });
    const part = await fx.part({ name: 'Widget', salable: true, purchaseable: true });
    const location = await fx.location({ name: 'Store' });
    const order = await fx.salesOrder({ customer_id: company });
    // A small key and the largest key a PostgreSQL integer holds, for every model.
    const make: Record<BarcodeModelType, (id?: number) => Promise<number>> = {
      build: (id) => fx.build({ part_id: part, ...(id ? { id } : {}) }),
      manufacturerpart: (id) => fx.manufacturerPart({ part_id: part, manufacturer_id: company, ...(id ? { id } : {}) }),
      supplierpart: (id) => fx.supplierPart({ part_id: part, supplier_id: company, ...(id ? { id } : {}) }),
      purchaseorder: (id) => fx.purchaseOrder({ supplier_id: company, ...(id ? { id } : {}) }),
      salesorder: (id) => fx.salesOrder({ customer_id: company, ...(id ? { id } : {}) }),
      salesordershipment: (id) => fx.shipment({ order_id: order, ...(id ? { id } : {}) }),
      returnorder: (id) => fx.returnOrder({ customer_id: company, ...(id ? { id } : {}) }),
      part: (id) => fx.part({ name: `Part ${id ?? 'x'}`, ...(id ? { id } : {}) }),
      stocklocation: (id) => fx.location({ name: `Bin ${id ?? 'x'}`, ...(id ? { id } : {}) }),
      stockitem: (id) => fx.stockItem({ part_id: part, location_id: location, ...(id ? { id } : {}) }),
    };
    for (const type of BARCODE_MODEL_TYPES) objects[type] = [await make[type](), await make[type](MAX_PK)];
  });
  after(() => h.close());

  const setPlugin = (key: string, value: string) =>
    h.request({ method: 'PATCH', url: `/api/plugins/inventreebarcode/settings/${key}/`, headers: admin.auth, payload: { value } });

  it('generate then scan finds the object, for any accepted prefix, in both formats', async () => {
    let accepted = 0;
    await check(
      fc.asyncProperty(
        fc.constantFrom(...BARCODE_MODEL_TYPES),
        fc.boolean(),
        fc.constantFrom<'short' | 'json'>('short', 'json'),
        fc.oneof(anyPrefix, fc.constantFrom('INV-', '', 'TEST', ']d2', ']C1X', '␝', '{', 'x\ny', '\x1dA', 'ß@', '“')),
        async (type, large, format, prefix) => {
          const set = await setPlugin('SHORT_BARCODE_PREFIX', prefix);
          assert.ok(set.statusCode === 200 || set.statusCode === 400, `setting the prefix answered ${set.statusCode}: ${set.body}`);
          if (set.statusCode === 400) {
            assert.equal(typeof set.json(), 'object');
            return;
          }
          accepted += 1;
          assert.equal((await setPlugin('INTERNAL_BARCODE_FORMAT', format)).statusCode, 200);
          const stored = set.json().value as string;
          const id = (objects[type] as number[])[large ? 1 : 0] as number;
          const gen = await h.request({ method: 'POST', url: '/api/barcode/generate/', headers: admin.auth, payload: { model: type, pk: id } });
          assert.equal(gen.statusCode, 200, gen.body);
          const barcode = gen.json().barcode as string;
          if (format === 'json') assert.equal(barcode, `{"${type}": ${id}}`);
          else assert.equal(barcode, `${stored}${BARCODE_MODELS.find((m) => m.type === type)?.code}${id}`);
          const scan = await h.request({ method: 'POST', url: '/api/barcode/', headers: admin.auth, payload: { barcode } });
          assert.equal(scan.statusCode, 200, `${JSON.stringify(barcode)} answered ${scan.statusCode}: ${scan.body}`);
          assert.equal(scan.json()[type]?.pk, id, scan.body);
          assert.equal(scan.json().plugin, 'InvenTreeBarcode');
        },
      ),
      120,
    );
    assert.ok(accepted > 60, `only ${accepted} prefixes were accepted`);
  });
});
