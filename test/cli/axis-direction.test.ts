// The fit report's energy direction from what the run states about the axis (background
// orientation, unit) before the order it was saved in; the caller's explicit choice first.
import { describe, expect, it } from 'vitest';
import { energyDecreasesToRight, energyKind } from '../../src/cli/peaks/axis-direction.js';

const ascending = Float64Array.from({ length: 5 }, (_, i) => 280 + i);
const descending = ascending.slice().reverse();
const axis = (energy: Float64Array, energyUnit = 'eV') => ({ energy, energyUnit });

describe('energyKind', () => {
  it('the background orientation names the kind; the ramps and uniform do not', () => {
    expect(energyKind(axis(ascending), ['shirley', 'uniform'])).toBe('binding');
    expect(energyKind(axis(ascending), ['tougaard'])).toBe('binding');
    expect(energyKind(axis(descending), ['shirleyKE'])).toBe('kinetic');
    expect(energyKind(axis(descending), ['rampUp', 'tougaardKE'])).toBe('kinetic');
    expect(energyKind(axis(descending), ['rampUp', 'rampDown'])).toBeNull();
    expect(energyKind(axis(descending))).toBeNull();
  });

  it('else a unit that says binding or kinetic energy; plain eV, keV or channel say neither', () => {
    for (const u of ['eV BE', 'binding energy (eV)', 'B.E. eV', 'eV (Binding)'])
      expect(energyKind(axis(ascending, u)), u).toBe('binding');
    for (const u of ['eV KE', 'kinetic energy / eV', 'K.E.'])
      expect(energyKind(axis(descending, u)), u).toBe('kinetic');
    for (const u of ['eV', 'keV', 'meV', 'channel', 'BEAM eV']) expect(energyKind(axis(ascending, u)), u).toBeNull();
    // The background's statement wins over the unit's.
    expect(energyKind(axis(ascending, 'eV KE'), ['shirley'])).toBe('binding');
  });
});

describe('energyDecreasesToRight', () => {
  it('binding energy decreases to the right on either axis order, kinetic increases, an unstated axis follows its order', () => {
    expect(energyDecreasesToRight(axis(ascending), ['shirley'])).toBe(true);
    expect(energyDecreasesToRight(axis(ascending, 'eV BE'))).toBe(true);
    expect(energyDecreasesToRight(axis(descending), ['tougaardKE'])).toBe(false);
    expect(energyDecreasesToRight(axis(descending, 'eV KE'))).toBe(false);
    expect(energyDecreasesToRight(axis(descending))).toBe(true);
    expect(energyDecreasesToRight(axis(ascending), ['uniform'])).toBe(false);
  });

  it("the caller's explicit choice wins", () => {
    expect(energyDecreasesToRight(axis(ascending), ['shirleyKE'], true)).toBe(true);
    expect(energyDecreasesToRight(axis(descending, 'eV BE'), ['shirley'], false)).toBe(false);
  });
});
