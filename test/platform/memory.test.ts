import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_HEAP_GROWTH_PERCENT, loadConfig } from '../../src/config.js';
import { heapGrowthFlag } from '../../src/memory.js';

describe('the heap growth of serve', () => {
  it('defaults to 50% and reads STOCKSCAN_HEAP_GROWTH', () => {
    assert.equal(DEFAULT_HEAP_GROWTH_PERCENT, 50);
    assert.equal(loadConfig({}).heapGrowthPercent, 50);
    assert.equal(loadConfig({ STOCKSCAN_HEAP_GROWTH: '' }).heapGrowthPercent, 50);
    assert.equal(loadConfig({ STOCKSCAN_HEAP_GROWTH: '0' }).heapGrowthPercent, 0);
    assert.equal(loadConfig({ STOCKSCAN_HEAP_GROWTH: '120' }).heapGrowthPercent, 120);
  });

  it('refuses a value that is not a whole number from 0 to 1000', () => {
    for (const bad of ['-1', '1.5', 'lots', '1001']) {
      assert.throws(() => loadConfig({ STOCKSCAN_HEAP_GROWTH: bad }), /STOCKSCAN_HEAP_GROWTH must be a whole number from 0 to 1000/);
    }
  });

  it("sets V8's growth flag, unless it is 0 or node was started with the flag", () => {
    assert.equal(heapGrowthFlag(50, []), '--heap-growing-percent=50');
    assert.equal(heapGrowthFlag(50, ['--enable-source-maps']), '--heap-growing-percent=50');
    assert.equal(heapGrowthFlag(0, []), undefined);
    assert.equal(heapGrowthFlag(50, ['--heap-growing-percent=20']), undefined);
    assert.equal(heapGrowthFlag(50, ['--heap_growing_percent=20']), undefined);
  });
});
