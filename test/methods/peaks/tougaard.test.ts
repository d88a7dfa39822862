// Tougaard's universal background in the float64 reference: the template (a delta spectrum gives the
// kernel itself on the loss side; binding- and kinetic-energy orientations mirror; the normalisation
// on a non-uniform axis; invariance to the energy unit, which the GPU's scaled axis relies on), a
// spectrum without a template, accuracy on spectra whose background is the Tougaard integral of
// their peaks, modelComponents, and option checks. (GPU = CPU parity: test/parity/peaks.parity.ts.)
import { beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../../src/engine/index.js';
import { fitPeaks, modelComponents } from '../../../src/methods/peaks/index.js';
import { fitSpectrum, makeAxis, spectrumAxis } from '../../../src/methods/peaks/em.js';
import { channelWidths, TOUGAARD_C, tougaardKernel, tougaardTemplate } from '../../../src/methods/peaks/components.js';
import { resolvePeaks, type BackgroundComponent } from '../../../src/methods/peaks/model.js';
import { userStart } from '../../../src/methods/peaks/init.js';
import { PhiloxStream } from '../../../src/random/index.js';
import { axis } from './exact-data.js';
import { tougaardData, tougaardErrors } from './tougaard-data.js';

let cpu: Engine;
beforeAll(async () => {
  cpu = await openEngine({ backend: 'cpu', log: () => undefined });
});

const sum = (a: ArrayLike<number>, w: ArrayLike<number>) => Array.from(a).reduce((s, v, n) => s + v * w[n]!, 0);

describe('Tougaard template', () => {
  const E = axis(100, 0.1, 201); // 100 .. 120 eV
  const W = channelWidths(E);

  it('of a one-channel spectrum is K(x_n - x_0) on the loss side (higher x for tougaard, lower for tougaardKE), 0 on the other, normalised over the window', () => {
    const m0 = 80;
    const y = new Float64Array(E.length);
    y[m0] = 37;
    for (const sign of [1, -1] as const) {
      const t = tougaardTemplate(E, y, sign, TOUGAARD_C);
      const k = E.map((x) => (sign * (x - E[m0]!) > 0 ? tougaardKernel(sign * (x - E[m0]!), TOUGAARD_C) : 0));
      const norm = sum(k, W);
      for (let n = 0; n < E.length; n++) {
        if (sign * (n - m0) <= 0) expect(t[n]).toBe(0);
        else expect(Math.abs(t[n]! / (k[n]! / norm) - 1)).toBeLessThan(1e-12);
      }
      expect(Math.abs(sum(t, W) - 1)).toBeLessThan(1e-12);
    }
    // K(T) = T / (C + T^2)^2: its maximum at T = sqrt(C / 3), 23.4 eV for C = 1643 eV^2.
    const peak = Math.sqrt(TOUGAARD_C / 3);
    expect(tougaardKernel(peak, TOUGAARD_C)).toBeGreaterThan(tougaardKernel(peak * 0.99, TOUGAARD_C));
    expect(tougaardKernel(peak, TOUGAARD_C)).toBeGreaterThan(tougaardKernel(peak * 1.01, TOUGAARD_C));
  });

  it('tougaard on an axis equals tougaardKE on the mirrored axis, and storage order does not matter', () => {
    const rng = new PhiloxStream(5, 1);
    const y = E.map(() => rng.poisson(50));
    const be = tougaardTemplate(E, y, 1, TOUGAARD_C);
    const ke = tougaardTemplate(
      E.map((x) => -x),
      y,
      -1,
      TOUGAARD_C,
    );
    const reversed = tougaardTemplate(E.slice().reverse(), y.slice().reverse(), 1, TOUGAARD_C).reverse();
    for (let n = 0; n < E.length; n++) {
      expect(Math.abs(ke[n]! - be[n]!)).toBeLessThanOrEqual(1e-14 * be[n]!);
      expect(Math.abs(reversed[n]! - be[n]!)).toBeLessThanOrEqual(1e-14 * be[n]!);
    }
    expect(be[0]).toBe(0); // nothing below the lowest channel
    expect(be[E.length - 1]).toBeGreaterThan(0);
  });

  it('on a non-uniform axis: counts = density x channel width give the quadrature of the Tougaard integral, normalised by sum t_n width_n = 1', () => {
    // A smooth spectral density j (a peak on a slope), counts y_m = j(x_m) width_m on an axis whose
    // channels widen from 0.1 to 0.74 eV.
    const x = Float64Array.from({ length: 161 }, (_, n) => 200 + 0.1 * n + 0.002 * n * n);
    const w = channelWidths(x);
    const j = (e: number) => 30 + 2 * (e - 200) + 4000 * Math.exp(-0.5 * ((e - 212) / 1.5) ** 2);
    const y = x.map((e, n) => j(e) * w[n]!);
    const t = tougaardTemplate(x, y, 1, TOUGAARD_C);
    expect(Math.abs(sum(t, w) - 1)).toBeLessThan(1e-12);
    // The integral from the window's lower edge up to x_n by Simpson's rule on a fine grid.
    const lo = x[0]! - w[0]! / 2;
    const exact = x.map((e) => {
      const n = 4000;
      const h = (e - lo) / n;
      let s = 0;
      for (let i = 0; i <= n; i++)
        s +=
          ((i === 0 || i === n ? 1 : i % 2 ? 4 : 2) *
            h *
            tougaardKernel(e - (lo + i * h), TOUGAARD_C) *
            j(lo + i * h)) /
          3;
      return s;
    });
    const norm = sum(exact, w);
    // Above the peak's own width (where the midpoint sum resolves the integrand): measured 2.6e-5;
    // weighting the counts by the widths once more (y_m width_m) is off by 20 % on this axis.
    let worst = 0;
    for (let n = 0; n < x.length; n++)
      if (x[n]! > 218) worst = Math.max(worst, Math.abs(t[n]! / (exact[n]! / norm) - 1));
    expect(worst).toBeLessThan(1e-3);
    const wrong = tougaardTemplate(
      x,
      y.map((v, n) => v * w[n]!),
      1,
      TOUGAARD_C,
    );
    let worstWrong = 0;
    for (let n = 0; n < x.length; n++)
      if (x[n]! > 218) worstWrong = Math.max(worstWrong, Math.abs(wrong[n]! / (exact[n]! / norm) - 1));
    expect(worstWrong).toBeGreaterThan(0.1);
  });

  it('does not depend on the energy unit once C is in that unit squared (the GPU works on a scaled axis)', () => {
    const rng = new PhiloxStream(3, 3);
    const y = E.map(() => rng.poisson(80));
    const s = 1 / 7.3;
    const a = tougaardTemplate(E, y, 1, TOUGAARD_C);
    const b = tougaardTemplate(
      E.map((x) => (x - 110) * s),
      y,
      1,
      TOUGAARD_C * s * s,
    );
    for (let n = 0; n < E.length; n++) expect(Math.abs(b[n]! * s - a[n]!)).toBeLessThanOrEqual(1e-12 * a[n]! + 1e-300);
  });

  it('is all zero when nothing lies on a loss side (every count in the last channel); the fit then gives it weight 0, no NaN', () => {
    const y = new Float64Array(E.length);
    y[E.length - 1] = 25;
    expect(Array.from(tougaardTemplate(E, y, 1, TOUGAARD_C)).every((v) => v === 0)).toBe(true);
    // A real spectrum with it: peaks on a flat background except its last channel. The template of a
    // spectrum with counts only there is zero; the fit keeps the other components.
    const m = resolvePeaks(
      { peaks: [{ position: 110, fwhm: 1 }], background: ['tougaard', 'uniform'], init: 'user' },
      E,
    );
    const fit = fitSpectrum(m, makeAxis(m, E), y, userStart(m));
    expect(fit.params.weight[1]).toBe(0);
    expect(Number.isFinite(fit.loglik)).toBe(true);
    expect(fit.params.position.every(Number.isFinite) && fit.params.sigma.every(Number.isFinite)).toBe(true);
    expect(spectrumAxis(m, makeAxis(m, E), y).logBg[0]!.every((v) => v === -Infinity)).toBe(true);
  });
});

describe('Tougaard background: accuracy', () => {
  it('on spectra whose background is the Tougaard integral of their peaks: positions within 0.01 eV (median), better likelihood and background than a linear one', async () => {
    const seed = Math.floor(Math.random() * 0xffffffff);
    const d = tougaardData(seed, 16);
    const fit = (background: BackgroundComponent[]) => fitPeaks(cpu, d.image, { peaks: 2, background });
    const tg = await fit(['tougaard', 'uniform']);
    const ramps = await fit(['rampUp', 'rampDown']);
    const [et, er] = [tougaardErrors(d, tg), tougaardErrors(d, ramps)];
    const e = et.position;
    const msg = `seed ${seed}: tougaard position errors median ${e[e.length >> 1]}, max ${e.at(-1)}; background error median ${et.background[8]} (ramps ${er.background[8]})`;
    expect(tg.summary.converged, msg).toBe(16);
    expect(e[e.length >> 1]!, msg).toBeLessThan(0.01);
    expect(e.at(-1)!, msg).toBeLessThan(0.05);
    // Every pixel's likelihood is higher with the model of the data (measured: by 60-330 nats per pixel on average).
    const llT = tg.maps.loglik!.data;
    const llR = ramps.maps.loglik!.data;
    for (let p = 0; p < 16; p++) expect(llT[p]! - llR[p]!, msg).toBeGreaterThan(10);
    // The background's counts (median relative error): measured 0.002-0.004, ramps 0.04.
    expect(et.background[8]!, msg).toBeLessThan(0.5 * er.background[8]!);
  });
});

describe('Tougaard background: modelComponents and options', () => {
  it("modelComponents: the Tougaard curve is the pixel's template times its area, summing to it", async () => {
    const d = tougaardData(11, 2);
    const r = await fitPeaks(cpu, d.image, { peaks: 2, background: ['tougaard', 'uniform'] });
    expect(r.spectra?.length).toBe(2 * d.image.channels); // kept for the Tougaard component
    const mc = modelComponents(r, 1);
    const i = mc.names.indexOf('background_tougaard');
    const area = r.maps.background_tougaard!.data[1]!;
    expect(Math.abs(mc.components[i]!.reduce((a, b) => a + b, 0) / area - 1)).toBeLessThan(1e-6);
    const C = d.image.channels;
    const t = tougaardTemplate(d.image.energy, d.image.data.subarray(C, 2 * C), 1, TOUGAARD_C);
    const w = channelWidths(d.image.energy);
    for (let n = 0; n < C; n += 37) expect(mc.components[i]![n]!).toBeCloseTo(area * t[n]! * w[n]!, 6);
    // The model's counts add up to the pixel's (the areas are shares of them; the peaks' midpoint sums
    // differ from their window integrals by ~h^2).
    const counts = d.image.data.subarray(C, 2 * C).reduce((a, b) => a + b, 0);
    expect(Math.abs(mc.total.reduce((a, b) => a + b, 0) / counts - 1)).toBeLessThan(1e-4);
    expect(() =>
      modelComponents(
        r,
        0,
        d.image.energy.map((e) => e + 0.01),
      ),
    ).toThrow(/fitted energy axis only/);
  });

  it('refuses both orientations, a Shirley step with it, and a bad C, in one line naming the option', () => {
    const E = axis(100, 0.1, 50);
    const model = (background: BackgroundComponent[], tougaardC?: number) => () =>
      resolvePeaks({ peaks: 1, background, tougaardC }, E);
    expect(model(['tougaard', 'tougaardKE'])).toThrow(
      /^background: 'tougaard' \(losses towards higher energy: binding energy\) and 'tougaardKE' \(towards lower energy: kinetic energy\) are two orientations of one background: use one$/,
    );
    expect(model(['shirley', 'tougaard', 'uniform'])).toThrow(
      /^background: 'shirley' and 'tougaard' both model the inelastic losses of the peaks: use one$/,
    );
    expect(model(['tougaardKE', 'shirleyKE'])).toThrow(/'tougaardKE' and 'shirleyKE' both model/);
    for (const c of [0, -5, NaN, Infinity, '1643' as unknown as number])
      expect(model(['tougaard'], c)).toThrow(/^tougaardC must be (> 0|a number), not (0|-5|NaN|Infinity|'1643')$/);
    expect(resolvePeaks({ peaks: 1, background: ['tougaard', 'uniform'] }, E).tougaardC).toBe(1643);
    expect(resolvePeaks({ peaks: 1, background: ['tougaard'], tougaardC: 900 }, E).tougaardC).toBe(900);
  });
});
