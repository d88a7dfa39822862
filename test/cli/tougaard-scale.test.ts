// `specmap fit --background tougaard` on an energy axis whose unit does not fit C (default 1643 eV²):
// a keV axis read as eV (a .npy axis has no unit), an axis labelled keV, and the channel index are
// each named in one warning; an eV axis gets none. The summary table keeps the axis' resolution
// (a keV axis' positions to 1e-6, not rounded to the eV's 3 decimals), and the report's C carries
// the axis' unit.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mo3dMap } from '../../src/data/synth/mo3d.js';
import { errors, runCli, tempDir, writeNpy } from './run-cli.js';

const NY = 2;
const NX = 3;
const data = mo3dMap({ nx: NX, ny: NY, seed: 11 });
const C = data.image.channels;
const dir = tempDir('specmap-tougaard-scale-');
const mapFile = writeNpy(join(dir, 'map.npy'), data.image.data, [NY, NX, C]);
const quick = ['--backend', 'cpu', '-q', '--max-iter', '60', '--starts', '2'];
const scaleWarnings = (err: string[]) => err.filter((l) => /warning: --background tougaard: /.test(l));

async function fit(name: string, args: string[]) {
  const out = join(dir, name);
  const r = await runCli(['fit', mapFile, ...args, '--background', 'tougaard,uniform', '--out', out, ...quick]);
  expect(errors(r), r.err.join('\n')).toEqual([]);
  expect(r.code).toBe(0);
  return { r, html: readFileSync(join(out, 'index.html'), 'utf8') };
}

describe('specmap fit --background tougaard: the energy unit against C', () => {
  it('an eV axis: no scale warning; C in eV² in the report', async () => {
    const { r, html } = await fit('ev', [
      '--e0',
      '225',
      '--de',
      '0.05',
      '--peaks',
      'Mo=228.0',
      '--doublet',
      '3.13:0.667',
    ]);
    expect(scaleWarnings(r.err)).toEqual([]);
    expect(html).toContain('C = 1643 eV²');
  });

  it('a keV axis read as eV (.npy axis, no unit): the window is named as too short for C, with both ways out; positions keep their digits', async () => {
    const { r } = await fit('kev-as-ev', [
      '--e0',
      '0.225',
      '--de',
      '0.00005',
      '--peaks',
      'Mo=0.228',
      '--doublet',
      '0.00313:0.667',
    ]);
    const w = scaleWarnings(r.err);
    expect(w, r.err.join('\n')).toHaveLength(1);
    expect(w[0]).toMatch(
      /^specmap: warning: --background tougaard: the energy axis spans only 0\.014 eV, .*C = 1643 eV².*if the axis is in keV, give it in eV \(× 1000\) or pass --tougaard-c 0\.001643 \(C in keV²\)$/,
    );
    // The Mo row: the position to the axis' resolution (0.05 eV = 5e-5 keV: 6 decimals), not '0.228'.
    const row = r.out.split('\n').find((l) => /^Mo\s/.test(l))!;
    expect(row).toMatch(/^Mo\s+0\.22\d{4}\s+0\.000\d{3}\s+\d+$/);
  });

  it('an axis labelled keV with the default C: told to pass C in keV²; the report says keV²', async () => {
    const axisFile = join(dir, 'axis-kev.txt');
    writeFileSync(
      axisFile,
      ['Energy (keV)', ...Array.from(data.image.energy, (e) => String(e / 1000))].join('\n') + '\n',
    );
    const { r, html } = await fit('kev', ['--energy', axisFile, '--peaks', 'Mo=0.228', '--doublet', '0.00313:0.667']);
    const w = scaleWarnings(r.err);
    expect(w, r.err.join('\n')).toHaveLength(1);
    expect(w[0]).toMatch(
      /^specmap: warning: --background tougaard: the energy axis is in keV, but C = 1643 is the universal value in eV²: pass --tougaard-c 0\.001643 \(C in keV²\) or give the axis in eV$/,
    );
    expect(html).toContain('C = 1643 keV²');
    // C = 1643 given on the keV axis: the window is too short for it, and the keV² value is named.
    const given = await fit('kev-1643', [
      '--energy',
      axisFile,
      '--peaks',
      'Mo=0.228',
      '--doublet',
      '0.00313:0.667',
      '--tougaard-c',
      '1643',
    ]);
    const g = scaleWarnings(given.r.err);
    expect(g, given.r.err.join('\n')).toHaveLength(1);
    expect(g[0]).toMatch(
      /^specmap: warning: --background tougaard: the energy axis spans only 0\.014 keV, .*C = 1643 keV².*; the universal value in keV² is 0\.001643 \(--tougaard-c 0\.001643\)$/,
    );
    // With C in keV², nothing to say.
    const ok = await fit('kev-c', [
      '--energy',
      axisFile,
      '--peaks',
      'Mo=0.228',
      '--doublet',
      '0.00313:0.667',
      '--tougaard-c',
      '0.001643',
    ]);
    expect(scaleWarnings(ok.r.err)).toEqual([]);
    expect(ok.html).toContain('C = 0.001643 keV²');
  });

  it('no energy axis (channel index): named, with the options that give one', async () => {
    const { r } = await fit('channel', ['--peaks', '60', '--doublet', '62.6:0.667']);
    const w = scaleWarnings(r.err);
    expect(w, r.err.join('\n')).toHaveLength(1);
    expect(w[0]).toMatch(
      /^specmap: warning: --background tougaard: no energy axis was given \(--energy, or --e0 and --de\): C = 1643 eV² is applied to the channel index as if it were eV$/,
    );
  });
});
