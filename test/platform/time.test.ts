/** util/time.ts: `today()` is kept between calls, never past the end of its day. */
import assert from 'node:assert/strict';
import { afterEach, describe, it, mock } from 'node:test';
import { today } from '../../src/util/time.js';

describe('today', () => {
  afterEach(() => mock.timers.reset());

  it('turns at midnight UTC, and follows a clock set back', () => {
    mock.timers.enable({ apis: ['Date'], now: Date.parse('2026-11-28T23:59:59.500Z') });
    assert.equal(today(), '2026-11-28');
    assert.equal(today(), '2026-11-28');
    mock.timers.tick(499);
    assert.equal(today(), '2026-11-28');
    mock.timers.tick(1);
    assert.equal(today(), '2026-11-29');
    mock.timers.setTime(Date.parse('2026-11-27T12:00:00Z'));
    assert.equal(today(), '2026-11-27');
  });

  it('answers for a given instant', () => {
    assert.equal(today(new Date('2024-02-29T23:00:00Z')), '2024-02-29');
  });
});
