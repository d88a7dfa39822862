// `specmap fit` end to end, in-process: outputs, the report, refusal to overwrite, and every
// bad-input case of issue #2 as one line with exit code 2. The CPU backend keeps these quick;
// one case runs the WebGPU path (never skipped: no adapter = failure).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mo3dMap } from '../../src/data/synth/mo3d.js';
import { errors, readNpy, runCli, tempDir, writeNpy } from './run-cli.js';

const NY = 4;
const NX = 5;
const data = mo3dMap({ nx: NX, ny: NY, seed: 3 });
const C = data.image.channels;
let dir: string;
let mapFile: string;

/** A copy of the map's counts with `edit` applied, saved as a .npy; returns its path. */
function variant(name: string, edit: (d: Float32Array) => void): string {
  const d = Float32Array.from(data.image.data);
  edit(d);
  return writeNpy(join(dir, name), d, [NY, NX, C]);
}

const axis = ['--e0', '225', '--de', '0.05'];
const doublet = ['--peaks', 'Mo=228.0', '--doublet', '3.13:0.667'];

beforeAll(() => {
  dir = tempDir();
  mapFile = writeNpy(join(dir, 'map.npy'), data.image.data, [NY, NX, C]);
});

describe('specmap fit', () => {
  it('writes one .npy per map, maps.csv, summary.json and index.html, and prints the summary', async () => {
    const out = join(dir, 'out-cpu');
    const r = await runCli(['fit', mapFile, ...axis, ...doublet, '--out', out, '--backend', 'cpu', '-q']);
    expect(errors(r)).toEqual([]);
    expect(r.code).toBe(0);
    for (const f of [
      'Mo_position',
      'Mo_fwhm',
      'Mo_area',
      'Mo_doublet_area',
      'background',
      'loglik',
      'converged',
      'iterations',
    ]) {
      const npy = readNpy(join(out, `${f}.npy`));
      expect(npy.shape).toEqual([NY, NX]);
    }
    const pos = readNpy(join(out, 'Mo_position.npy')).data;
    const truth = data.truth.Mo3d52_position!.data;
    for (let p = 0; p < NY * NX; p++) expect(Math.abs(pos[p]! - truth[p]!)).toBeLessThan(0.1);
    const csv = readFileSync(join(out, 'maps.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(NY * NX + 1);
    expect(csv[0]!.split(',').slice(0, 3)).toEqual(['y', 'x', 'Mo_position']);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.backend).toBe('cpu');
    expect(summary.pixels).toBe(NY * NX);
    expect(summary.converged + summary.notConverged + summary.empty).toBe(NY * NX);
    expect(summary.spectraPerSecond).toBeGreaterThan(0);
    expect(summary.options.peaks).toEqual(['Mo=228.0']);
    expect(summary.medians.map((m: { peak: string }) => m.peak)).toEqual(['Mo', 'Mo_doublet']);
    expect(Math.abs(summary.medians[1].position - summary.medians[0].position - 3.13)).toBeLessThan(1e-4);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    for (const s of [
      'Summary',
      'Maps',
      'Position histograms',
      'Pixel spectra',
      'Mean-spectrum fit',
      'Options',
      'Mo_doublet',
    ])
      expect(html).toContain(s);
    expect(r.out).toMatch(/\nMo_doublet\s+23\d\.\d{3}\s+0\.\d{3}\s+\d+\n/);
    expect(r.out).toMatch(/spectra\/s · cpu/);
  });

  it('runs on WebGPU and agrees with the CPU run', async () => {
    const out = join(dir, 'out-gpu');
    const r = await runCli(['fit', mapFile, ...axis, ...doublet, '--out', out, '--backend', 'webgpu', '-q']);
    expect(errors(r)).toEqual([]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.backend).toBe('webgpu');
    const gpu = readNpy(join(out, 'Mo_position.npy')).data;
    const cpu = readNpy(join(dir, 'out-cpu', 'Mo_position.npy')).data;
    // f32 kernel vs f64 reference from the same start: well within a channel (0.05 eV).
    for (let p = 0; p < NY * NX; p++) expect(Math.abs(gpu[p]! - cpu[p]!)).toBeLessThan(0.005);
  });

  it('passes the fitting options through to the model it records', async () => {
    const out = join(dir, 'out-options');
    const argv = [
      'fit',
      mapFile,
      ...axis,
      '--peaks',
      'a=228.0:227.5-228.5,b=231.1!',
      '--shared-width',
      '--background',
      'uniform',
    ];
    const r = await runCli([
      ...argv,
      '--tol',
      '1e-6',
      '--ll-floor',
      '0',
      '--max-iter',
      '40',
      '--starts',
      '2',
      '--seed',
      '9',
      '--out',
      out,
      '--backend',
      'cpu',
      '-q',
    ]);
    expect(r.code).toBe(0);
    const m = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).model;
    expect([m.tol, m.llFloor, m.maxIterations, m.starts, m.seed, m.sharedWidth]).toEqual([1e-6, 0, 40, 2, 9, true]);
    expect(m.background).toEqual(['uniform']);
    expect(m.groupBounds[0]).toEqual([227.5, 228.5]);
    expect(m.groupFixed).toEqual([false, true]);
    expect(readNpy(join(out, 'b_position.npy')).data[0]).toBeCloseTo(231.1, 4);
  });

  it('--background shirley,uniform fits the active Shirley step: maps, summary model and the report name it', async () => {
    const out = join(dir, 'out-shirley');
    const r = await runCli([
      'fit',
      mapFile,
      ...axis,
      ...doublet,
      '--background',
      'shirley,uniform',
      '--out',
      out,
      '--backend',
      'cpu',
      '-q',
    ]);
    expect(errors(r)).toEqual([]);
    expect(r.code).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.model.background).toEqual(['shirley', 'uniform']);
    expect(s.options.background).toBe('shirley,uniform');
    const step = readNpy(join(out, 'background_shirley.npy')).data;
    const bg = readNpy(join(out, 'background.npy')).data;
    const flat = readNpy(join(out, 'background_uniform.npy')).data;
    const trueBg = data.truth.background!.data;
    for (let p = 0; p < NY * NX; p++) {
      expect(step[p]! + flat[p]!).toBeCloseTo(bg[p]!, 0);
      // The generator's background (flat 25 counts per channel plus its step) comes back within 3 %,
      // a third or more of it in the step.
      expect(Math.abs(bg[p]! / trueBg[p]! - 1)).toBeLessThan(0.03);
      expect(step[p]! / bg[p]!).toBeGreaterThan(0.3);
    }
    const pos = readNpy(join(out, 'Mo_position.npy')).data;
    const truth = data.truth.Mo3d52_position!.data;
    for (let p = 0; p < NY * NX; p++) expect(Math.abs(pos[p]! - truth[p]!)).toBeLessThan(0.03);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('background_shirley');
    expect(html).toContain('active Shirley step of the fitted peaks, rising towards higher energy');
    const bad = await runCli([
      'fit',
      mapFile,
      ...axis,
      ...doublet,
      '--background',
      'shirley,shirleyKE',
      '--out',
      join(dir, 'out-two'),
      '--backend',
      'cpu',
      '-q',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.err).toHaveLength(1);
    expect(bad.err[0]).toBe(
      "specmap: background: 'shirley' (the step rising towards higher energy: binding energy) and 'shirleyKE' (towards lower energy: kinetic energy) are two orientations of one step: use one",
    );
  });

  it('a Shirley step on the wrong side of the peaks is named in a warning (binding- and kinetic-energy axes), the right side is not', async () => {
    const side = (r: { err: string[] }) => r.err.filter((l) => /puts the step on the/.test(l));
    const run = (ax: string[], peaks: string[], bg: string, name: string) =>
      runCli([
        'fit',
        mapFile,
        ...ax,
        ...peaks,
        '--background',
        bg,
        '--out',
        join(dir, name),
        '--backend',
        'cpu',
        '-q',
        '--max-iter',
        '50',
      ]);
    // The generator's step rises towards higher binding energy (225 -> 239 eV, ascending).
    const be = await run(axis, doublet, 'shirley,uniform', 'side-be-ok');
    expect(be.code).toBe(0);
    expect(side(be)).toEqual([]);
    const beWrong = await run(axis, doublet, 'shirleyKE,uniform', 'side-be-wrong');
    expect(beWrong.code).toBe(0);
    expect(side(beWrong)).toHaveLength(1);
    expect(side(beWrong)[0]).toMatch(
      /^specmap: warning: --background shirleyKE puts the step on the low-energy side \(kinetic energy\), but the mean spectrum is lower there \([\d.]+ at 225–226\.\d+ eV vs [\d.]+ at 237\.\d+–239 eV\).*use shirley$/,
    );
    // The same counts on a kinetic-energy axis (KE = 1482.1 - BE: descending, 1257.1 -> 1243.1 eV).
    const ke = ['--e0', '1257.1', '--de', '-0.05'];
    const kePeaks = ['--peaks', '1254.1,1251.0'];
    const keOk = await run(ke, kePeaks, 'shirleyKE,uniform', 'side-ke-ok');
    expect(keOk.code).toBe(0);
    expect(side(keOk)).toEqual([]);
    const keWrong = await run(ke, kePeaks, 'shirley,uniform', 'side-ke-wrong');
    expect(keWrong.code).toBe(0);
    expect(side(keWrong)).toHaveLength(1);
    expect(side(keWrong)[0]).toMatch(
      /--background shirley puts the step on the high-energy side \(binding energy\).*if the axis is kinetic energy, use shirleyKE$/,
    );
  });

  it('--background tougaard,uniform: background_tougaard map and report; --tougaard-c; the orientation warning; exclusive and bad options in one line', async () => {
    const out = join(dir, 'out-tougaard');
    const r = await runCli([
      'fit',
      mapFile,
      ...axis,
      ...doublet,
      '--background',
      'tougaard,uniform',
      '--tougaard-c',
      '1200',
      '--out',
      out,
      '--backend',
      'cpu',
      '-q',
    ]);
    expect(errors(r)).toEqual([]);
    expect(r.code).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.options['tougaard-c']).toBe('1200');
    const tg = readNpy(join(out, 'background_tougaard.npy')).data;
    const flat = readNpy(join(out, 'background_uniform.npy')).data;
    const bg = readNpy(join(out, 'background.npy')).data;
    const trueBg = data.truth.background!.data;
    const pos = readNpy(join(out, 'Mo_position.npy')).data;
    const truth = data.truth.Mo3d52_position!.data;
    for (let p = 0; p < NY * NX; p++) {
      expect(tg[p]! + flat[p]!).toBeCloseTo(bg[p]!, 0);
      // The generator's step is Shirley-like, not Tougaard's: the background still comes back within
      // 10 % and the positions within 0.05 eV.
      expect(tg[p]!).toBeGreaterThan(0);
      expect(Math.abs(bg[p]! / trueBg[p]! - 1)).toBeLessThan(0.1);
      expect(Math.abs(pos[p]! - truth[p]!)).toBeLessThan(0.05);
    }
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('background_tougaard');
    // The losses on the wrong side (tougaardKE on this binding-energy axis) are named.
    const wrong = await runCli([
      'fit',
      mapFile,
      ...axis,
      ...doublet,
      '--background',
      'tougaardKE,uniform',
      '--out',
      join(dir, 'out-tougaard-ke'),
      '--backend',
      'cpu',
      '-q',
      '--max-iter',
      '50',
    ]);
    expect(wrong.code).toBe(0);
    expect(
      wrong.err.filter((l) =>
        /puts the Tougaard background on the low-energy side \(kinetic energy\).*use tougaard$/.test(l),
      ),
    ).toHaveLength(1);
    const bad = async (args: string[], name: string) => {
      const b = await runCli([
        'fit',
        mapFile,
        ...axis,
        ...doublet,
        ...args,
        '--out',
        join(dir, name),
        '--backend',
        'cpu',
        '-q',
      ]);
      expect(b.code).toBe(2);
      expect(b.err).toHaveLength(1);
      return b.err[0];
    };
    expect(await bad(['--background', 'tougaard,tougaardKE'], 'bad-tg-1')).toMatch(
      /^specmap: background: 'tougaard' \(losses towards higher energy: binding energy\) and 'tougaardKE' .* use one$/,
    );
    expect(await bad(['--background', 'shirley,tougaard,uniform'], 'bad-tg-2')).toBe(
      "specmap: background: 'shirley' and 'tougaard' both model the inelastic losses of the peaks: use one",
    );
    expect(await bad(['--background', 'tougaard,uniform', '--tougaard-c', '0'], 'bad-tg-3')).toBe(
      'specmap: --tougaard-c must be > 0, not 0',
    );
    expect(await bad(['--background', 'tougaard,uniform', '--tougaard-c', 'big'], 'bad-tg-4')).toBe(
      "specmap: --tougaard-c must be a number, not 'big'",
    );
    expect(await bad(['--tougaard-c', '1643'], 'bad-tg-5')).toBe(
      'specmap: --tougaard-c applies only with --background tougaard or tougaardKE',
    );
  });

  it("'shirley' alone on data with a flat background is refused naming the missing flat part; on background-free data it runs", async () => {
    const alone = (r: { err: string[] }) => r.err.filter((l) => /alone is zero/.test(l));
    const run = (file: string, bg: string, name: string) =>
      runCli([
        'fit',
        file,
        ...axis,
        ...doublet,
        '--background',
        bg,
        '--out',
        join(dir, name),
        '--backend',
        'cpu',
        '-q',
        '--max-iter',
        '50',
      ]);
    // The generator's 25 counts per channel under the step.
    const flat = await run(mapFile, 'shirley', 'alone-flat');
    expect(flat.code).toBe(2);
    expect(flat.err).toHaveLength(1);
    expect(alone(flat)[0]).toMatch(
      /^specmap: --background shirley alone is zero on the low-energy side of the peaks, but the mean spectrum is 2\d\.\d+ at 225–226\.\d+ eV \([\d.]+ % of its maximum\): only the peaks could take it up, and they would widen; use --background shirley,uniform \(or auto\)$/,
    );
    expect(existsSync(join(dir, 'alone-flat'))).toBe(false);
    expect(alone(await run(mapFile, 'shirley,uniform', 'alone-uniform'))).toEqual([]);
    // The same generator without the flat offset: nothing on the low-energy side.
    const noOffset = mo3dMap({ nx: NX, ny: NY, seed: 3, offset: 0 });
    const bare = writeNpy(join(dir, 'no-offset.npy'), noOffset.image.data, [NY, NX, C]);
    const bareRun = await run(bare, 'shirley', 'alone-bare');
    expect(bareRun.code, bareRun.err.join('\n')).toBe(0);
    expect(alone(bareRun)).toEqual([]);
  });
  it('auto:2 finds both peaks from the mean spectrum', async () => {
    const out = join(dir, 'out-auto');
    const r = await runCli(['fit', mapFile, ...axis, '--peaks', 'auto:2', '--out', out, '--backend', 'cpu', '-q']);
    expect(r.code).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const found = s.medians.map((m: { position: number }) => m.position).sort((a: number, b: number) => a - b);
    expect(Math.abs(found[0] - 228)).toBeLessThan(0.5);
    expect(Math.abs(found[1] - 231.13)).toBeLessThan(0.5);
  });

  it('never writes into a non-empty --out without --force, and keeps other files with it', async () => {
    const out = join(dir, 'busy');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'mine');
    const r = await runCli(['fit', mapFile, ...axis, ...doublet, '--out', out, '--backend', 'cpu', '-q']);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`specmap: output folder ${out} is not empty (use --force to write into it)`]);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
    const f = await runCli(['fit', mapFile, ...axis, ...doublet, '--out', out, '--backend', 'cpu', '-q', '--force']);
    expect(f.code).toBe(0);
    expect(readFileSync(join(out, 'keep.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(out, 'index.html'))).toBe(true);
  });

  it('an all-zero spectrum is flagged (converged 0, NaN), reported, and the rest is fitted', async () => {
    const file = variant('zero.npy', (d) => d.fill(0, 7 * C, 8 * C));
    const out = join(dir, 'out-zero');
    const r = await runCli(['fit', file, ...axis, ...doublet, '--out', out, '--backend', 'cpu', '-q']);
    expect(r.code).toBe(0);
    expect(r.err.some((l) => /1 pixel\(s\) hold no counts/.test(l))).toBe(true);
    expect(readNpy(join(out, 'converged.npy')).data[7]).toBe(0);
    expect(Number.isNaN(readNpy(join(out, 'Mo_position.npy')).data[7])).toBe(true);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.empty).toBe(1);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('1 pixel(s) hold no counts');
  });

  it('NaN pixels are refused naming the first, unless --pixel-mask leaves them out (NaN maps there, counted as masked, not empty)', async () => {
    const dead = [3, 12];
    const file = variant('dead.npy', (d) => {
      d.fill(NaN, 3 * C, 4 * C);
      d[12 * C + 40] = NaN;
      d.fill(0, 7 * C, 8 * C); // and one empty (selected) pixel
    });
    const refused = await runCli([
      'fit',
      file,
      ...axis,
      ...doublet,
      '--out',
      join(dir, 'out-dead-refused'),
      '--backend',
      'cpu',
      '-q',
    ]);
    expect(refused.code).toBe(2);
    expect(errors(refused)).toEqual([
      `specmap: ${file}: pixel (0, 3) channel 0 is NaN (${C + 1} non-finite values in all; --pixel-mask FILE leaves dead pixels out)`,
    ]);
    const maskFile = writeNpy(
      join(dir, 'dead-mask.npy'),
      Uint8Array.from({ length: NY * NX }, (_, p) => (dead.includes(p) ? 0 : 1)),
      [NY, NX],
    );
    const out = join(dir, 'out-dead');
    const r = await runCli([
      'fit',
      file,
      ...axis,
      ...doublet,
      '--pixel-mask',
      maskFile,
      '--out',
      out,
      '--backend',
      'cpu',
    ]);
    expect(errors(r), r.err.join('\n')).toEqual([
      'specmap: 1 selected pixel(s) hold no counts: not fitted (converged = 0, maps NaN)',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('2 pixel(s) left out by --pixel-mask: not fitted (converged = 0, maps NaN)');
    expect(r.out).toContain(`converged ${NY * NX - 3}/${NY * NX - 3} (`);
    const pos = readNpy(join(out, 'Mo_position.npy')).data;
    const conv = readNpy(join(out, 'converged.npy')).data;
    const iters = readNpy(join(out, 'iterations.npy')).data;
    for (let p = 0; p < NY * NX; p++) {
      const notFitted = dead.includes(p) || p === 7;
      expect(Number.isNaN(pos[p]!), `pixel ${p}`).toBe(notFitted);
      expect(conv[p], `pixel ${p}`).toBe(notFitted ? 0 : 1);
      if (notFitted) expect(iters[p], `pixel ${p}`).toBe(0);
    }
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s).toMatchObject({ pixels: NY * NX, masked: 2, empty: 1, converged: NY * NX - 3, notConverged: 0 });
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('2 pixel(s) left out by the pixel mask');
    expect(html).toContain('1 pixel(s) hold no counts');
    // A mask that keeps a NaN pixel names it (the first selected one, not the first in the map).
    const leaky = writeNpy(
      join(dir, 'leaky-mask.npy'),
      Uint8Array.from({ length: NY * NX }, (_, p) => (p === 3 ? 0 : 1)),
      [NY, NX],
    );
    const partly = await runCli([
      'fit',
      file,
      ...axis,
      ...doublet,
      '--pixel-mask',
      leaky,
      '--out',
      join(dir, 'out-leaky'),
      '--backend',
      'cpu',
      '-q',
    ]);
    expect(partly.code).toBe(2);
    expect(errors(partly)).toEqual([
      `specmap: ${file}: pixel (2, 2) channel 40 is NaN (1 non-finite value in the selected pixels; --pixel-mask selects this pixel)`,
    ]);
    expect(existsSync(join(dir, 'out-leaky'))).toBe(false);
    // A mask of another size, or one that selects nothing.
    const wrong = writeNpy(join(dir, 'wrong-mask.npy'), new Uint8Array(NY * (NX + 1)).fill(1), [NY, NX + 1]);
    const bad = await runCli([
      'fit',
      file,
      ...axis,
      ...doublet,
      '--pixel-mask',
      wrong,
      '--out',
      join(dir, 'out-wrong'),
      '--backend',
      'cpu',
      '-q',
    ]);
    expect(bad.code).toBe(2);
    expect(errors(bad)).toEqual([
      `specmap: ${wrong}: the pixel mask has ${NY * (NX + 1)} values but the map has ${NY} × ${NX} pixels`,
    ]);
    const none = writeNpy(join(dir, 'none-mask.npy'), new Uint8Array(NY * NX), [NY, NX]);
    const nothing = await runCli([
      'fit',
      file,
      ...axis,
      ...doublet,
      '--pixel-mask',
      none,
      '--out',
      join(dir, 'out-none'),
      '--backend',
      'cpu',
      '-q',
    ]);
    expect(nothing.code).toBe(2);
    expect(errors(nothing)).toEqual([
      `specmap: ${none}: the pixel mask selects no pixel (all ${NY * NX} values are 0): nothing to analyse`,
    ]);
  });

  it('negative counts stop the run naming the pixel, unless --negative clip', async () => {
    const file = variant('neg.npy', (d) => (d[6 * C + 10] = -3));
    const r = await runCli(['fit', file, ...axis, ...doublet, '--out', join(dir, 'out-neg'), '--backend', 'cpu', '-q']);
    expect(r.code).toBe(2);
    expect(errors(r)).toHaveLength(1);
    expect(r.err[0]).toMatch(
      /^specmap: .*neg\.npy: pixel [^,]*\((row )?1, (column )?1\), channel 10 holds negative counts .*--negative clip/,
    );
    const c = await runCli([
      'fit',
      file,
      ...axis,
      ...doublet,
      '--out',
      join(dir, 'out-clip'),
      '--backend',
      'cpu',
      '-q',
      '--negative',
      'clip',
    ]);
    expect(c.code).toBe(0);
  });

  it('a descending (binding-energy) axis is plotted decreasing to the right in the report, an ascending one increasing', async () => {
    const reversed = new Float32Array(NY * NX * C);
    for (let p = 0; p < NY * NX; p++)
      for (let c = 0; c < C; c++) reversed[p * C + c] = data.image.data[p * C + C - 1 - c]!;
    const descFile = writeNpy(join(dir, 'map-desc.npy'), reversed, [NY, NX, C]);
    /** x coordinates of the tick labels 230 and 235 on the first energy axis of the report. */
    const tickX = (html: string) => {
      const at = (label: string) =>
        Number(new RegExp(`<text x="([\\d.]+)" y="[\\d.]+" text-anchor="middle">${label}</text>`).exec(html)![1]);
      return [at('230'), at('235')] as const;
    };
    const runs: [string, string[], boolean][] = [
      ['out-desc', [descFile, '--e0', '239', '--de=-0.05'], true],
      ['out-asc', [mapFile, ...axis], false],
    ];
    for (const [name, args, reversedAxis] of runs) {
      const out = join(dir, name);
      const r = await runCli(['fit', ...args, ...doublet, '--out', out, '--backend', 'cpu', '-q']);
      expect(r.code).toBe(0);
      const [x230, x235] = tickX(readFileSync(join(out, 'index.html'), 'utf8'));
      expect(x235 < x230, name).toBe(reversedAxis);
    }
  });

  it('a map where no pixel holds counts is refused (exit 2, no folder of NaN maps left)', async () => {
    const zeros = variant('zeros.npy', (d) => d.fill(0));
    const out = join(dir, 'out-zeros');
    const r = await runCli(['fit', zeros, ...axis, ...doublet, '--out', out, '--backend', 'cpu']);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`specmap: ${zeros}: all ${NY * NX} spectra hold no counts: nothing to fit`]);
    expect(existsSync(out)).toBe(false);
  });

  it('bad data or peaks are refused before the GPU adapter opens: the error is the only stderr line and names the file', async () => {
    const nan = variant('nan-gpu.npy', (d) => (d[3 * C + 5] = NaN));
    const cases: [string[], RegExp][] = [
      [
        ['fit', nan, ...axis, ...doublet],
        /^specmap: .*nan-gpu\.npy: pixel \(0, 3\) channel 5 is NaN \(1 non-finite value in all; --pixel-mask FILE leaves dead pixels out\)$/,
      ],
      [
        ['fit', mapFile, ...axis, '--peaks', '250'],
        /^specmap: peak 'p1' position 250 lies outside the measured energy range \[224\.975, 239\.025\] \(the outer channel edges\)$/,
      ],
      [
        ['fit', mapFile, ...axis, '--peaks', '238:227-229'],
        /^specmap: peak 'p1' position 238 lies outside its bounds \[227, 229\]$/,
      ],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli([...argv, '--out', join(dir, 'never-gpu', 'deeper'), '--backend', 'webgpu']);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toHaveLength(1);
      expect(r.err[0]).toMatch(message);
    }
    // Both folders made for the run are taken back, not just the innermost.
    expect(existsSync(join(dir, 'never-gpu'))).toBe(false);
  });

  it('bad input is one line naming the problem, exit 2', async () => {
    const nan = variant('nan.npy', (d) => (d[3 * C + 5] = NaN));
    const inf = variant('inf.npy', (d) => (d[2 * C] = Infinity));
    const shortAxis = join(dir, 'short-axis.txt');
    writeFileSync(shortAxis, Array.from({ length: C - 1 }, (_, i) => String(225 + 0.05 * i)).join('\n'));
    const o = ['--out', join(dir, 'never'), '--backend', 'cpu', '-q'];
    const cases: [string[], RegExp][] = [
      [
        ['fit', nan, ...axis, ...doublet, ...o],
        /nan\.npy: pixel \(0, 3\) channel 5 is NaN \(1 non-finite value in all; /,
      ],
      [
        ['fit', inf, ...axis, ...doublet, ...o],
        /inf\.npy: pixel \(0, 2\) channel 0 is \+Inf \(1 non-finite value in all; /,
      ],
      [
        ['fit', mapFile, '--energy', shortAxis, ...doublet, ...o],
        /energy axis has 280 values but the spectra .* have 281 channels/,
      ],
      [['fit', join(dir, 'missing.npy'), ...axis, ...doublet, ...o], /missing\.npy: no such file/],
      [['fit', mapFile, ...axis, ...doublet, '--bogus', ...o], /unknown option '--bogus'/],
      [['fit', mapFile, ...axis, ...o], /--peaks is required/],
      [['fit', mapFile, ...axis, '--peaks', '228,x', ...o], /--peaks: cannot read 'x'/],
      [
        ['fit', mapFile, ...axis, ...doublet, '--max-iter', '0', ...o],
        /--max-iter must be an integer >= 1 and <= 1000000, not 0/,
      ],
      [['fit', mapFile, ...axis, ...doublet, '--ll-floor=-1', ...o], /--ll-floor must be >= 0 and <= 0.5, not -1/],
      [['fit', mapFile, ...axis, ...doublet, '--backend', 'cpu'], /--out DIR is required/],
      [['fit', mapFile, '--e0', '225', ...doublet, ...o], /--e0 needs --de too/],
      [['fit', ...axis, ...doublet, ...o], /give the spectra file/],
      [['fit', mapFile, ...axis, '--peaks', '250', ...o], /position 250 lies outside the measured energy range/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(errors(r), argv.join(' ')).toHaveLength(1);
      expect(errors(r)[0]).toMatch(/^specmap: /);
      expect(errors(r)[0]).toMatch(message);
    }
    // The folder is made before the fit (to refuse a busy one at once) and taken back when the fit refuses the input.
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
