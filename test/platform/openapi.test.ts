import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, type Harness } from '../helpers/app.js';

describe('GET /api/schema/', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('serves an OpenAPI 3 document of the API', async () => {
    const res = await h.request({ method: 'GET', url: '/api/schema/' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/json');
    const doc = res.json();
    assert.match(doc.openapi, /^3\./);
    for (const path of ['/api/', '/api/user/me/', '/api/user/token/', '/api/user/roles/', '/api/settings/global/', '/api/stock/status/']) {
      assert.ok(doc.paths[path], `missing ${path}`);
    }
    const tokenBody = doc.paths['/api/user/tokens/'].post.requestBody.content['application/json'].schema;
    assert.equal(tokenBody.properties.name.maxLength, 100);
    assert.equal(doc.paths['/api/user/tokens/{pk}/'].delete !== undefined, true);
    assert.ok(doc.components.securitySchemes.tokenAuth);
  });
});
