/** Bad input to the catalogue endpoints always gets a 4xx, never a server error. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness, type TestUser } from '../helpers/app.js';

const LISTS = ['/api/part/', '/api/part/category/', '/api/company/', '/api/company/part/', '/api/company/part/manufacturer/', '/api/part/category/tree/'];

const QUERIES = [
  '?ordering=',
  '?ordering=-',
  '?ordering=,,-name,foo',
  '?limit=abc',
  '?limit=-1&offset=x',
  '?search=%27%22%5C%25',
  '?search=%00',
  '?category=1.5',
  '?category=99999999999999',
  '?parent=',
  '?cascade=maybe&category=1',
  '?ancestor=1&exclude_tree=1',
  '?low_stock=false&has_stock=true',
  '?IPN=',
  '?part=0',
  '?supplier=-1',
  '?MPN=%25',
  '?SKU=_',
  '?company=1&manufacturer=1',
  '?limit=1&offset=100000',
];

const BODIES: unknown[] = [
  [],
  'text',
  5,
  null,
  { name: null },
  { name: 5 },
  { name: ['a'] },
  { name: 'x', category: true },
  { name: 'x', part: {}, supplier: [1] },
  { name: 'x', minimum_stock: 'NaN' },
  { name: 'x', default_expiry: 1e20 },
  { name: 'x', pack_quantity: 5, part: 1, supplier: 1, SKU: 3 },
  { name: '\ud800' },
];

describe('catalogue endpoints never answer bad input with a 500', () => {
  let h: Harness;
  let admin: TestUser;
  before(async () => {
    h = await createHarness();
    admin = await h.user('admin', { is_superuser: true });
    await h.fx.part({ ipn: null });
    await h.fx.category();
    await h.fx.company();
  });
  after(() => h.close());

  it('odd filters get 2xx or 4xx answers', async () => {
    for (const url of LISTS) {
      for (const query of QUERIES) {
        const res = await h.request({ method: 'GET', url: url + query, headers: admin.auth });
        assert.ok(res.statusCode < 500, `${url}${query}: ${res.statusCode} ${res.body}`);
      }
    }
  });

  it('odd bodies get 2xx or 4xx answers', async () => {
    for (const list of LISTS.slice(0, 5)) {
      for (const body of BODIES) {
        for (const method of ['POST', 'PATCH', 'PUT'] as const) {
          const url = method === 'POST' ? list : `${list}1/`;
          const res = await h.request({ method, url, headers: { ...admin.auth, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
          assert.ok(res.statusCode < 500, `${method} ${url} ${JSON.stringify(body)}: ${res.statusCode} ${res.body}`);
          assert.ok(res.statusCode >= 200, `${method} ${url}`);
        }
      }
    }
  });
});
