// The nmf and segment reports draw spectra in the order the input's energy axis runs: a descending
// (binding-energy) axis decreases to the right, an ascending one increases. The fit report does so
// too unless the background states the axis: 'shirley'/'tougaard' (binding energy) decrease to the
// right whichever way the axis was saved, 'shirleyKE'/'tougaardKE' (kinetic energy) increase.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mo3dMap } from '../../../src/data/synth/mo3d.js';
import { runCli, tempDir, writeNpy } from '../run-cli.js';

const NY = 4;
const NX = 5;
const data = mo3dMap({ nx: NX, ny: NY, seed: 5 });
const C = data.image.channels;
let dir: string;
let ascFile: string;
let descFile: string;

beforeAll(() => {
  dir = tempDir();
  ascFile = writeNpy(join(dir, 'asc.npy'), data.image.data, [NY, NX, C]);
  // The same spectra with the channel order reversed, on the axis 239 -> 225 eV.
  const reversed = new Float32Array(NY * NX * C);
  for (let p = 0; p < NY * NX; p++)
    for (let c = 0; c < C; c++) reversed[p * C + c] = data.image.data[p * C + C - 1 - c]!;
  descFile = writeNpy(join(dir, 'desc.npy'), reversed, [NY, NX, C]);
});

/** Whether the first chart with an energy axis decreases to the right: its x tick labels (the first
 *  run of centred numeric labels at one y) fall as their x grows. */
function decreasesToRight(html: string): boolean {
  const svg = html.split('<svg').find((chunk) => chunk.includes('energy (eV)'));
  expect(svg).toBeDefined();
  const ticks = [...svg!.matchAll(/<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle">(-?[\d.]+)<\/text>/g)];
  const end = ticks.findIndex((t) => t[2] !== ticks[0]![2]);
  const row = ticks.slice(0, end < 0 ? ticks.length : end).map((t) => ({ x: Number(t[1]), v: Number(t[3]) }));
  expect(row.length).toBeGreaterThanOrEqual(2);
  const [a, b] = [row[0]!, row[row.length - 1]!];
  return (b.v - a.v) / (b.x - a.x) < 0;
}

const runs: [string, () => string[], boolean][] = [
  ['descending', () => [descFile, '--e0', '239', '--de=-0.05'], true],
  ['ascending', () => [ascFile, '--e0', '225', '--de', '0.05'], false],
];

describe('report energy axes follow the input', () => {
  for (const [name, input, reversedAxis] of runs) {
    it(`nmf factors, ${name} axis`, async () => {
      const out = join(dir, `nmf-${name}`);
      const r = await runCli([
        'nmf',
        ...input(),
        '-k',
        '2',
        '--max-iter',
        '20',
        '--out',
        out,
        '--backend',
        'cpu',
        '-q',
      ]);
      expect(r.code, r.err.join('\n')).toBe(0);
      expect(decreasesToRight(readFileSync(join(out, 'index.html'), 'utf8'))).toBe(reversedAxis);
    });
    it(`segment class spectra, ${name} axis`, async () => {
      const out = join(dir, `seg-${name}`);
      const r = await runCli([
        'segment',
        ...input(),
        '-k',
        '2',
        '--burn-in',
        '10',
        '--samples',
        '10',
        '--anneal',
        '10',
        '--out',
        out,
        '--backend',
        'cpu',
        '-q',
      ]);
      expect(r.code, r.err.join('\n')).toBe(0);
      expect(decreasesToRight(readFileSync(join(out, 'index.html'), 'utf8'))).toBe(reversedAxis);
    });
  }
});

describe('fit report: binding energy decreases to the right', () => {
  const doublet = ['--peaks', 'Mo=228.0', '--doublet', '3.13:0.667'];
  const cases: [string, () => string[], string[], boolean][] = [
    ['ascending, default background (axis order)', () => runs[1]![1](), [], false],
    ['descending, default background (axis order)', () => runs[0]![1](), [], true],
    ['ascending, shirley', () => runs[1]![1](), ['--background', 'shirley,uniform'], true],
    ['ascending, tougaard', () => runs[1]![1](), ['--background', 'tougaard,uniform'], true],
    ['descending, shirleyKE (kinetic energy)', () => runs[0]![1](), ['--background', 'shirleyKE,uniform'], false],
    ['descending, tougaardKE (kinetic energy)', () => runs[0]![1](), ['--background', 'tougaardKE,uniform'], false],
  ];
  it.each(cases)('%s', async (name, input, background, reversedAxis) => {
    const out = join(dir, `fit-${name.replace(/\W+/g, '-')}`);
    const r = await runCli([
      'fit',
      ...input(),
      ...doublet,
      ...background,
      '--max-iter',
      '30',
      '--out',
      out,
      '--backend',
      'cpu',
      '-q',
    ]);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(decreasesToRight(readFileSync(join(out, 'index.html'), 'utf8'))).toBe(reversedAxis);
  });
});
