import { describe, expect, it } from 'vitest';
import { applyDoublets, parseBackground, parsePeaks } from '../../src/cli/peaks/peak-spec.js';
import { energyLoadOptions, numberOption } from '../../src/cli/options.js';
import { InputError } from '../../src/engine/index.js';

describe('--peaks syntax', () => {
  it('reads positions, names, fixed, bounds and FWHM', () => {
    expect(parsePeaks(['228.0,231.1'])).toEqual([{ position: 228 }, { position: 231.1 }]);
    expect(parsePeaks(['228.0:227.5-228.5'])).toEqual([{ position: 228, bounds: [227.5, 228.5] }]);
    expect(parsePeaks(['228.0:227.5..228.5'])).toEqual([{ position: 228, bounds: [227.5, 228.5] }]);
    expect(parsePeaks(['228.0!'])).toEqual([{ position: 228, fixed: true }]);
    expect(parsePeaks(['Mo=228.0@0.9'])).toEqual([{ name: 'Mo', position: 228, fwhm: 0.9 }]);
    expect(parsePeaks(['-5.5:-6--5'])).toEqual([{ position: -5.5, bounds: [-6, -5] }]);
    expect(parsePeaks(['1e2', '2.5e1'])).toEqual([{ position: 100 }, { position: 25 }]);
  });

  it('auto:K asks for K free peaks', () => {
    expect(parsePeaks(['auto:3'])).toEqual([{}, {}, {}]);
  });

  it('refuses what it cannot read, naming the item', () => {
    expect(() => parsePeaks(['228,abc'])).toThrow(/--peaks: cannot read 'abc'/);
    expect(() => parsePeaks(['228,'])).toThrow(InputError);
    expect(() => parsePeaks(['auto'])).toThrow(/auto needs a peak count/);
    expect(() => parsePeaks(['auto:2,228'])).toThrow(/cannot be combined/);
    expect(() => parsePeaks(['228!:227-229'])).toThrow(/both fixed and bounded/);
  });
});

describe('--doublet', () => {
  it('one value gives every peak a partner', () => {
    const peaks = applyDoublets([{ position: 228 }, { name: 'S', position: 162 }], ['3.13:0.667']);
    expect(peaks).toEqual([
      { name: 'p1', position: 228 },
      { name: 'S', position: 162 },
      { name: 'p1_doublet', link: { peak: 'p1', split: 3.13, ratio: 0.667 } },
      { name: 'S_doublet', link: { peak: 'S', split: 3.13, ratio: 0.667 } },
    ]);
  });

  it('one value per peak pairs them in order; PEAK= targets one peak and names the partner', () => {
    const pairs = applyDoublets([{ position: 228 }, { position: 162 }], ['3.13:0.667', '1.18:0.5']);
    expect(pairs.slice(2).map((p) => p.link)).toEqual([
      { peak: 'p1', split: 3.13, ratio: 0.667 },
      { peak: 'p2', split: 1.18, ratio: 0.5 },
    ]);
    const named = applyDoublets([{ name: 'Mo', position: 228 }, { position: 232 }], ['Mo=3.13:0.667:Mo32']);
    expect(named).toHaveLength(3);
    expect(named[2]).toEqual({ name: 'Mo32', link: { peak: 'Mo', split: 3.13, ratio: 0.667 } });
    expect(applyDoublets([{ position: 1 }, { position: 2 }], ['2=0.5:1'])[2]!.link!.peak).toBe('p2');
  });

  it('refuses bad doublets', () => {
    expect(() => applyDoublets([{ position: 1 }], ['3.13'])).toThrow(/--doublet: cannot read '3.13'/);
    expect(() => applyDoublets([{ position: 1 }], ['1:0'])).toThrow(/ratio must be > 0/);
    expect(() => applyDoublets([{ position: 1 }], ['X=1:1'])).toThrow(/no peak 'X'/);
    expect(() => applyDoublets([{ position: 1 }, { position: 2 }, { position: 3 }], ['1:1', '2:1'])).toThrow(
      /given 2 times for 3 peaks/,
    );
    expect(() => applyDoublets([{ position: 1 }], ['1=1:1', 'p1=2:1'])).toThrow(/two doublet partners/);
  });
});

describe('--background', () => {
  it('reads component lists and none', () => {
    expect(parseBackground('ramps')).toEqual(['rampUp', 'rampDown']);
    expect(parseBackground('uniform,ramps')).toEqual(['uniform', 'rampUp', 'rampDown']);
    expect(parseBackground('none')).toEqual([]);
    expect(parseBackground('up')).toEqual(['rampUp']);
    expect(parseBackground('shirley,uniform')).toEqual(['shirley', 'uniform']);
    expect(parseBackground('Shirley-KE')).toEqual(['shirleyKE']);
    expect(parseBackground('tougaard,uniform')).toEqual(['tougaard', 'uniform']);
    expect(parseBackground('uniform,Tougaard-KE')).toEqual(['uniform', 'tougaardKE']);
    expect(parseBackground('tougaardke')).toEqual(['tougaardKE']);
    expect(() => parseBackground('tougard')).toThrow(
      /unknown component 'tougard' \(use .*shirley, shirleyKE, tougaard, tougaardKE, none, or auto alone\)/,
    );
  });
});

describe('option values', () => {
  it('numbers are checked with the option named', () => {
    expect(numberOption({ 'max-iter': '20' }, 'max-iter', { integer: true, min: 1 })).toBe(20);
    expect(numberOption({}, 'max-iter')).toBeUndefined();
    expect(() => numberOption({ 'max-iter': '2.5' }, 'max-iter', { integer: true })).toThrow(
      /--max-iter must be an integer, not '2.5'/,
    );
    expect(() => numberOption({ tol: 'x' }, 'tol')).toThrow(/--tol must be a number/);
    expect(() => numberOption({ tol: '-1' }, 'tol', { min: 0, max: 1 })).toThrow(/--tol must be >= 0 and <= 1, not -1/);
  });

  it('energy axis options: a file, or e0 with de', () => {
    expect(energyLoadOptions({ energy: 'e.npy' })).toEqual({ energyFile: 'e.npy' });
    expect(energyLoadOptions({ e0: '225', de: '0.05' })).toEqual({ e0: 225, de: 0.05 });
    expect(() => energyLoadOptions({ e0: '225' })).toThrow(/--e0 needs --de too/);
    expect(() => energyLoadOptions({ energy: 'e.npy', de: '1' })).toThrow(/either --energy FILE or --e0 and --de/);
  });
});
