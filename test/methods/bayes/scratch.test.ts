import { it } from 'vitest';
import { openEngine } from '../../../src/engine/index.js';
import { bayesPeaks } from '../../../src/methods/bayes/index.js';
import { axis, PAPER_PRIORS, PAPER_TRUTH, synthSpectra } from '../../../src/methods/bayes/synth.js';

it('scratch', async () => {
  const engine = await openEngine({ backend: process.env.BK === 'gpu' ? 'webgpu' : 'cpu', log: () => undefined });
  const img = synthSpectra(axis(301, 0, 3), [PAPER_TRUTH], 12345);
  const t0 = performance.now();
  const r = await bayesPeaks(engine, img, {
    ...PAPER_PRIORS,
    kmax: 4,
    burnIn: Number(process.env.B ?? 300),
    sweeps: Number(process.env.S ?? 300),
    chains: 2,
  });
  console.log(engine.description, 'ms', performance.now() - t0);
  const s = r.spectra[0]!;
  console.log(
    'F',
    Array.from(s.free).map((v) => v.toFixed(2)),
    'pK',
    Array.from(s.pK).map((v) => v.toFixed(3)),
    'K',
    s.kSelected,
    'noise',
    s.noise,
    Array.from(s.noiseByK),
  );
  for (const p of s.peaks)
    console.log(
      p.height.mean.toFixed(3),
      p.height.sd.toFixed(3),
      p.position.mean.toFixed(4),
      p.position.sd.toFixed(4),
      p.b.mean.toFixed(1),
      p.b.sd.toFixed(1),
      'rhat',
      p.position.rhat.toFixed(3),
    );
  console.log(
    'exch',
    Array.from(s.diagnostics[2]!.exchange)
      .map((v) => v.toFixed(2))
      .join(' '),
    'trips',
    s.diagnostics[2]!.roundTrips,
  );
  console.log(
    'acc top',
    Array.from(s.diagnostics[2]!.acceptance.slice(23 * 9))
      .map((v) => v.toFixed(2))
      .join(' '),
  );
  console.log(r.warnings);
  engine.close();
}, 600000);
