import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

describe('status-code endpoints', () => {
  let h: Harness;
  let u: TestUser;
  before(async () => {
    h = await createHarness();
    u = await h.user('u');
  });
  after(() => h.close());

  const expected: Record<string, [string, Record<string, number>]> = {
    '/api/stock/status/': ['StockStatus', { OK: 10, ATTENTION: 50, DAMAGED: 55, DESTROYED: 60, REJECTED: 65, LOST: 70, QUARANTINED: 75, RETURNED: 85 }],
    '/api/order/po/status/': ['PurchaseOrderStatus', { PENDING: 10, PLACED: 20, ON_HOLD: 25, COMPLETE: 30, CANCELLED: 40, LOST: 50, RETURNED: 60 }],
    '/api/order/so/status/': ['SalesOrderStatus', { PENDING: 10, IN_PROGRESS: 15, SHIPPED: 20, ON_HOLD: 25, COMPLETE: 30, CANCELLED: 40, LOST: 50, RETURNED: 60 }],
    '/api/order/ro/status/': ['ReturnOrderStatus', { PENDING: 10, IN_PROGRESS: 20, ON_HOLD: 25, COMPLETE: 30, CANCELLED: 40 }],
    '/api/build/status/': ['BuildStatus', { PENDING: 10, PRODUCTION: 20, ON_HOLD: 25, CANCELLED: 30, COMPLETE: 40 }],
  };

  for (const [url, [cls, values]] of Object.entries(expected)) {
    it(`${url} lists ${cls}`, async () => {
      const res = await h.request({ method: 'GET', url, headers: u.auth });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.status_class, cls);
      assert.deepEqual(
        Object.fromEntries(Object.entries(body.values as Record<string, { key: number; name: string }>).map(([k, v]) => [k, v.key])),
        values,
      );
      for (const [name, v] of Object.entries(body.values as Record<string, { name: string; label: string; color: string }>)) {
        assert.equal(v.name, name);
        assert.equal(typeof v.label, 'string');
        assert.equal(typeof v.color, 'string');
      }
    });
  }

  it('/api/stock/track/status/ has the receive and ship codes', async () => {
    const body = (await h.request({ method: 'GET', url: '/api/stock/track/status/', headers: u.auth })).json();
    assert.equal(body.values.RECEIVED_AGAINST_PURCHASE_ORDER.key, 70);
    assert.equal(body.values.RECEIVED_AGAINST_PURCHASE_ORDER.label, 'Received against Purchase Order');
    assert.equal(body.values.SHIPPED_AGAINST_SALES_ORDER.key, 60);
    assert.equal(body.values.CREATED.label, 'Stock item created');
  });

  it('/api/generic/status/ has every class keyed by name', async () => {
    const body = (await h.request({ method: 'GET', url: '/api/generic/status/', headers: u.auth })).json();
    for (const cls of ['StockStatus', 'StockHistoryCode', 'PurchaseOrderStatus', 'SalesOrderStatus', 'ReturnOrderStatus', 'BuildStatus']) {
      assert.equal(body[cls].status_class, cls);
    }
  });

  it('needs authentication', async () => {
    assert.equal((await h.request({ method: 'GET', url: '/api/stock/status/' })).statusCode, 401);
  });
});
