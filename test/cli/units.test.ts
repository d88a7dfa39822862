// Energy units end to end: --unit, units carried from the input file, fit --channels, and the
// unit on position/FWHM maps (summary.json, the CLI table, the report) with rounding that
// follows the axis step. CPU backend: the units, not the kernels, are under test here.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mo3dMap } from '../../src/data/synth/mo3d.js';
import { errors, readNpy, runCli, tempDir, writeNpy } from './run-cli.js';

const NY = 3;
const NX = 4;
const data = mo3dMap({ nx: NX, ny: NY, seed: 5 });
const C = data.image.channels;
let dir: string;
let mapFile: string;

beforeAll(() => {
  dir = tempDir();
  mapFile = writeNpy(join(dir, 'map.npy'), data.image.data, [NY, NX, C]);
});

const summaryOf = (out: string) => JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));

describe('units of the energy axis', () => {
  it('a keV axis (--unit keV): position and FWHM maps in keV, table and report to the axis step', async () => {
    const out = join(dir, 'kev');
    const r = await runCli([
      'fit',
      mapFile,
      ...['--e0', '0.225', '--de', '0.00005', '--unit', 'keV'],
      ...['--peaks', 'Mo=0.228', '--doublet', '0.00313:0.667'],
      ...['--out', out, '--backend', 'cpu', '-q'],
    ]);
    expect(errors(r)).toEqual([]);
    expect(r.code).toBe(0);
    const s = summaryOf(out);
    expect(s.shape.energyUnit).toBe('keV');
    expect([s.maps.Mo_position.unit, s.maps.Mo_fwhm.unit, s.maps.Mo_area.unit]).toEqual(['keV', 'keV', 'counts']);
    // A 5e-5 keV step: 6 decimals, so a ~0.001 keV FWHM is not shown as 0.001.
    expect(r.out).toMatch(/position \(keV\)/);
    expect(r.out).toMatch(/\nMo\s+0\.22\d{4}\s+0\.000\d{3}\s+\d+\n/);
    const pos = readNpy(join(out, 'Mo_position.npy')).data;
    const truth = data.truth.Mo3d52_position!.data;
    for (let p = 0; p < NY * NX; p++) expect(Math.abs(pos[p]! * 1000 - truth[p]!)).toBeLessThan(0.1);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('position (keV)');
    expect(html).not.toContain('(eV)');
    expect(html).toMatch(/<td[^>]*>0\.22\d{4}<\/td>/);
  });

  it('without an energy axis the maps are in channels', async () => {
    const out = join(dir, 'chan');
    // 228 eV on 225 + 0.05 i is channel 60; the doublet's 3.13 eV are 62.6 channels.
    const r = await runCli([
      'fit',
      mapFile,
      '--peaks',
      'Mo=60',
      '--doublet',
      '62.6:0.667',
      '--out',
      out,
      '--backend',
      'cpu',
      '-q',
    ]);
    expect(errors(r)).toEqual([]);
    const s = summaryOf(out);
    expect([s.shape.energyUnit, s.maps.Mo_position.unit, s.maps.Mo_fwhm.unit]).toEqual([
      'channel',
      'channel',
      'channel',
    ]);
    expect(r.out).toMatch(/position \(channel\)/);
  });

  it('fit --channels E0:E1 fits only that window, as nmf --channels selects it', async () => {
    const out = join(dir, 'window');
    const r = await runCli([
      'fit',
      mapFile,
      ...['--e0', '225', '--de', '0.05', '--channels', '226:234'],
      ...['--peaks', 'Mo=228.0', '--doublet', '3.13:0.667', '--out', out, '--backend', 'cpu', '-q'],
    ]);
    expect(errors(r)).toEqual([]);
    const s = summaryOf(out);
    expect(s.shape.channels).toBe(161);
    expect([s.energy.first, s.energy.last]).toEqual([226, 234]);
    const pos = readNpy(join(out, 'Mo_position.npy')).data;
    const truth = data.truth.Mo3d52_position!.data;
    for (let p = 0; p < NY * NX; p++) expect(Math.abs(pos[p]! - truth[p]!)).toBeLessThan(0.1);
  });

  it('bad --channels and --unit are one line, exit code 2', async () => {
    const cases: [string[], string][] = [
      [
        ['--e0', '225', '--de', '0.05', '--channels', '300:310'],
        '--channels 300:310 selects no channel: the energy axis runs 225 … 239 eV',
      ],
      [['--e0', '225', '--de', '0.05', '--channels', '230'], "--channels must be E0:E1 with E0 <= E1, not '230'"],
      [
        ['--unit', 'keV'],
        `--unit keV: ${mapFile} has no energy axis to give a unit to (add --energy FILE or --e0 E --de D)`,
      ],
      [
        ['--e0', '225', '--de', '0.05', '--unit', 'k eV'],
        "--unit must be a unit such as eV or keV (one word, up to 16 characters), not 'k eV'",
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runCli([
        'fit',
        mapFile,
        ...args,
        '--peaks',
        '228',
        '--out',
        join(dir, 'never'),
        '--backend',
        'cpu',
      ]);
      expect([r.code, errors(r)]).toEqual([2, [`specmap: ${message}`]]);
    }
  });

  it('info shows the axis and the unit the file gives, and that --unit overrides it', async () => {
    const csv = join(dir, 'kev.csv');
    writeFileSync(csv, '"Energy [keV]","counts"\n6.40,10\n6.41,12\n6.42,9\n');
    const r = await runCli(['info', csv]);
    expect(r.out).toContain('energy    6.4 → 6.42 keV, step 0.01 (uniform)');
    expect(r.out).toContain(`axis      from ${csv}, first column 'Energy [keV]'; unit keV from the file`);
    const u = await runCli(['info', csv, '--unit', 'eV']);
    expect(u.out).toContain('unit eV given by --unit');
    const npy = await runCli(['info', mapFile, '--e0', '225', '--de', '0.05']);
    expect(npy.out).toContain('axis      from --e0/--de; unit eV assumed: the file gives none (--unit sets it)');
  });
});
