// background 'auto': the Shirley step (with a flat part) where the mean spectrum shows a step on
// the side the axis implies, the ramps otherwise; measured on fresh Mo 3d maps with and without a
// step (the position bias against the known truth; the seed is in every message).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSpectrumImage, type SpectrumImage } from '../../../src/data/types.js';
import { openEngine, type Engine } from '../../../src/engine/index.js';
import { axisKind } from '../../../src/methods/peaks/auto-background.js';
import { fitPeaks, mo3dMap, MO3D_RATIO, MO3D_SPLIT, type PeakFitResult } from '../../../src/methods/peaks/index.js';

const freshSeed = () => Math.floor(Math.random() * 0xffffffff);

function medianError(r: PeakFitResult, truth: ArrayLike<number>): number {
  const got = r.maps.Mo3d52_position!.data;
  const d = Array.from(got, (v, p) => v - truth[p]!)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  return d[Math.floor(d.length / 2)]!;
}

/** The map on a kinetic-energy axis: KE = 1486.6 - BE, ascending, so the step rises towards lower KE. */
function asKinetic(img: SpectrumImage): SpectrumImage {
  const C = img.channels;
  const energy = Float64Array.from({ length: C }, (_, n) => 1486.6 - img.energy[C - 1 - n]!);
  const data = new Float32Array(img.data.length);
  for (let p = 0; p < img.ny * img.nx; p++) for (let n = 0; n < C; n++) data[p * C + n] = img.data[p * C + C - 1 - n]!;
  return makeSpectrumImage(data, img.ny, img.nx, C, energy, { energyUnit: 'eV KE' });
}

describe("background 'auto'", () => {
  let cpu: Engine;
  beforeAll(async () => {
    cpu = await openEngine({ backend: 'cpu', log: () => undefined });
  });
  afterAll(() => cpu?.close());

  it('the axis kind: from the unit, else a descending axis is binding energy, else unknown', () => {
    const asc = Float64Array.of(1, 2, 3);
    const desc = Float64Array.of(3, 2, 1);
    expect(axisKind({ energyUnit: 'eV BE', energy: asc })).toBe('binding');
    expect(axisKind({ energyUnit: 'binding energy (eV)', energy: asc })).toBe('binding');
    expect(axisKind({ energyUnit: 'eV KE', energy: desc })).toBe('kinetic');
    expect(axisKind({ energyUnit: 'eV', energy: desc })).toBe('binding');
    expect(axisKind({ energyUnit: 'eV', energy: asc })).toBeNull();
  });

  it('Mo 3d maps with a Shirley step: shirley,uniform is chosen and removes the bias of ramps; fresh seeds', async () => {
    for (let t = 0; t < 2; t++) {
      const seed = freshSeed();
      const data = mo3dMap({ nx: 8, ny: 8, seed });
      const opts = { ...data.fitOptions };
      const auto = await fitPeaks(cpu, data.image, { ...opts, background: 'auto' });
      const ramps = await fitPeaks(cpu, data.image, { ...opts, background: ['rampUp', 'rampDown'] });
      const truth = data.truth.Mo3d52_position!.data;
      const [ea, er] = [medianError(auto, truth), medianError(ramps, truth)];
      const msg = `seed ${seed}: auto ${auto.model.background} bias ${ea.toFixed(4)} eV, ramps ${er.toFixed(4)} eV; ${auto.backgroundChoice?.reason}`;
      expect(auto.model.background, msg).toEqual(['shirley', 'uniform']);
      expect(auto.backgroundChoice!.reason, msg).toMatch(
        /^shirley,uniform: the mean spectrum has a step rising towards higher energy/,
      );
      expect(Math.abs(ea), msg).toBeLessThan(0.02);
      expect(Math.abs(ea), msg).toBeLessThan(Math.abs(er));
    }
  });

  it('Mo 3d maps without a step: the ramps are chosen (unbiased); fresh seeds', async () => {
    for (let t = 0; t < 2; t++) {
      const seed = freshSeed();
      const data = mo3dMap({ nx: 8, ny: 8, seed, step: 0 });
      const auto = await fitPeaks(cpu, data.image, { ...data.fitOptions, background: 'auto' });
      const e = medianError(auto, data.truth.Mo3d52_position!.data);
      const msg = `seed ${seed}: bias ${e.toFixed(4)} eV; ${auto.backgroundChoice?.reason}`;
      expect(auto.model.background, msg).toEqual(['rampUp', 'rampDown']);
      expect(auto.backgroundChoice!.reason, msg).toMatch(/^ramps: no step in the mean spectrum rising towards higher/);
      expect(Math.abs(e), msg).toBeLessThan(0.02);
    }
  });

  it('on a kinetic-energy axis the step is looked for on the low-energy side: uniform,shirleyKE', async () => {
    const seed = freshSeed();
    const data = mo3dMap({ nx: 8, ny: 8, seed });
    // On kinetic energy the 3d3/2 partner lies 3.13 eV below the 3d5/2.
    const peaks = [
      { name: 'Mo3d52' },
      { name: 'Mo3d32', link: { peak: 'Mo3d52', split: -MO3D_SPLIT, ratio: MO3D_RATIO } },
    ];
    const auto = await fitPeaks(cpu, asKinetic(data.image), { peaks, background: 'auto' });
    expect(auto.model.background, `seed ${seed}: ${auto.backgroundChoice?.reason}`).toEqual(['uniform', 'shirleyKE']);
    expect(Object.keys(auto.backgroundChoice!.loglik)).toEqual(['rampUp,rampDown', 'uniform,shirleyKE']);
  });
});
