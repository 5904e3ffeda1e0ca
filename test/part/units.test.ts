import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PackQuantityError, packQuantityNative, parseQuantity, resolveUnit } from '../../src/part/units.js';

describe('pack quantities in part units', () => {
  it('resolves units with SI prefixes, case-insensitive words and case-sensitive symbols', () => {
    assert.deepEqual(resolveUnit('mm'), { dim: 'length', factor: 0.001 });
    assert.deepEqual(resolveUnit('Meter'), { dim: 'length', factor: 1 });
    assert.deepEqual(resolveUnit('kg'), { dim: 'mass', factor: 1 });
    assert.deepEqual(resolveUnit('mL'), { dim: 'volume', factor: 0.000001 });
    assert.deepEqual(resolveUnit('min'), { dim: 'time', factor: 60 });
    assert.deepEqual(resolveUnit('kΩ'), { dim: 'resistance', factor: 1000 });
    assert.equal(resolveUnit('Mm')?.factor, 1e6);
    assert.equal(resolveUnit('furlongs'), undefined);
    assert.equal(resolveUnit('kin'), undefined);
  });

  it('parses numbers, units and imperial shorthand', () => {
    assert.deepEqual(parseQuantity('2.5 m'), { magnitude: 2.5, unitText: 'm', unit: { dim: 'length', factor: 1 } });
    assert.deepEqual(parseQuantity('1e3'), { magnitude: 1000, unitText: '', unit: { dim: 'dimensionless', factor: 1 } });
    assert.equal(parseQuantity('dozen')?.magnitude, 1);
    assert.equal(parseQuantity('2"')?.unitText, 'inches');
    assert.equal(parseQuantity(''), undefined);
  });

  it('converts to the part units', () => {
    assert.equal(packQuantityNative('', ''), 1);
    assert.equal(packQuantityNative('100', ''), 100);
    assert.equal(packQuantityNative('2 dozen', ''), 24);
    assert.equal(packQuantityNative('100', 'm'), 100);
    assert.equal(packQuantityNative('250 mm', 'm'), 0.25);
    assert.equal(packQuantityNative('1 l', 'ml'), 1000);
    assert.equal(packQuantityNative('1.5 kg', 'g'), 1500);
    assert.equal(packQuantityNative('5 widgets', 'widgets'), 5);
    assert.equal(packQuantityNative('7', 'widgets'), 7);
  });

  it('reports InvenTree messages for bad pack quantities', () => {
    const message = (text: string, units: string) => {
      try {
        packQuantityNative(text, units);
      } catch (e) {
        assert.ok(e instanceof PackQuantityError);
        return e.message;
      }
      return undefined;
    };
    assert.equal(message('3 V', 'm'), 'Could not convert 3 V to m');
    assert.equal(message('3 gadgets', 'widgets'), 'Could not convert 3 gadgets to widgets');
    assert.equal(message('3 m', ''), 'Pack units must be compatible with the base part units');
    assert.equal(message('many', ''), 'Invalid quantity provided');
    assert.equal(message('0 m', 'm'), 'Pack units must be greater than zero');
    assert.equal(message('-1', ''), 'Pack units must be greater than zero');
  });
});
