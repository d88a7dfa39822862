// `specmap info FILE`: what a spectrum file holds — shape, layout, dtype, energy axis, value
// statistics, and where any NaN/Inf, negative values and all-zero spectra are.
import { encodeJson } from '../../data/io/encode-maps.js';
import { describeShape } from '../../data/io/hdf5-file.js';
import {
  isHdf5Input,
  listDatasets,
  loadSpectrumImage,
  withHdf5File,
  type Hdf5DatasetInfo,
} from '../../data/io/node.js';
import type { SpectrumImage } from '../../data/types.js';
import { describePixel, scanSpectra, type Finding, type SpectraScan } from '../../data/validate.js';
import { energyLoadOptions, ENERGY_OPTIONS, ENERGY_USAGE } from '../options.js';
import { formatNumber } from '../table.js';
import type { Verb, VerbContext } from '../verb.js';
import { InputError } from '../../engine/errors.js';

const USAGE = `specmap info FILE [--dataset PATH] [--energy FILE | --e0 E --de D] [--json]

Prints what FILE holds: shape, layout, dtype, the energy axis (range, step, unit), value
min/max/mean, total counts, and the number and first location of NaN/Inf values, negative
values and all-zero spectra. For an HDF5/NeXus file, first every dataset in it (path, shape,
dtype), the one read marked.

  FILE                 spectra: .npy [ny, nx, channels], [n, channels] or [channels],
                       .npz (its arrays listed), HDF5/NeXus .h5/.hdf5/.nxs/.nx5 (a 3-D
                       or 2-D dataset), or a text table .csv/.tsv/.txt/.dat (see docs/io.md)
${ENERGY_USAGE}
  --json               print the same as one JSON object`;

const fmt = (v: number) => formatNumber(v, 6);

function energyLine(img: SpectrumImage): string {
  const e = img.energy;
  const n = e.length;
  if (img.energyUnit === 'channel') return `channel index 0 … ${n - 1} (no energy axis given${axisCandidates(img)})`;
  const first = e[0]!;
  const last = e[n - 1]!;
  if (n < 2) return `${fmt(first)} ${img.energyUnit} (one channel)`;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 1; i < n; i++) {
    const d = e[i]! - e[i - 1]!;
    lo = Math.min(lo, d);
    hi = Math.max(hi, d);
  }
  const mean = (last - first) / (n - 1);
  // An axis stored as float32 (an .npy or HDF5 <f4 of 1242.1, 1242.2, ...) has steps that differ
  // by an ulp of its largest value: still evenly spaced as written, not 'non-uniform'.
  const uniform = hi - lo <= Math.max(1e-6 * Math.abs(mean), 2 ** -22 * Math.max(Math.abs(first), Math.abs(last)));
  const step = uniform ? `step ${fmt(mean)} (uniform)` : `step ${fmt(lo)} … ${fmt(hi)} (non-uniform)`;
  return `${fmt(first)} → ${fmt(last)} ${img.energyUnit}, ${step}`;
}

/** Where the energy axis and its unit came from: the user, the file (which part of it), or assumed. */
function axisLine(img: SpectrumImage): string {
  const how = {
    given: 'given by --unit',
    file: 'from the file',
    assumed: 'assumed: the file gives none (--unit sets it)',
  }[String(img.meta.energyUnitSource)];
  return `from ${String(img.meta.energySource)}; unit ${img.energyUnit}${how ? ` ${how}` : ''}`;
}

/** '; 'energy' has one value per channel: --energy FILE:energy' for the 1-D numeric arrays (npz members,
 *  HDF5 datasets) of the file read whose length is the channel count ('' when none): np.savez(data=...,
 *  energy=...) keeps the axis beside the spectra, but only --energy FILE:NAME reads it. */
function axisCandidates(img: SpectrumImage): string {
  const listed = img.meta.datasets;
  if (!Array.isArray(listed)) return '';
  const file = String(img.meta.file ?? img.meta.source);
  const names = (listed as (Hdf5DatasetInfo & { numeric?: boolean })[])
    .filter(
      (d) =>
        d.numeric !== false &&
        d.path !== img.meta.dataset &&
        d.shape.filter((k) => k !== 1).length === 1 &&
        d.shape.reduce((a, b) => a * b, 1) === img.channels,
    )
    .map((d) => d.path);
  if (names.length === 0) return '';
  const which = names.length === 1 ? `'${names[0]}' has` : `${names.map((x) => `'${x}'`).join(', ')} have`;
  return `; ${which} one value per channel: --energy ${file}:${names[0]}`;
}

function findingLine(img: SpectrumImage, f: Finding, unit: 'value' | 'spectrum'): string {
  if (f.count === 0 || !f.first) return '0';
  const where = describePixel(img, f.first) + (unit === 'value' ? ` channel ${f.first.channel}` : '');
  const noun = unit === 'value' ? (f.count === 1 ? 'value' : 'values') : f.count === 1 ? 'spectrum' : 'spectra';
  return `${f.count} ${noun} (first: ${where})`;
}

/** The report as label/value rows (what `info` prints). */
export function describeSpectra(img: SpectrumImage, scan: SpectraScan): [string, string][] {
  const pixels = img.ny * img.nx;
  const layout =
    img.layout === 'map'
      ? `map: ${img.ny} × ${img.nx} pixels (${pixels} spectra), ${img.channels} channels`
      : `list: ${pixels} spectr${pixels === 1 ? 'um' : 'a'}, ${img.channels} channels`;
  const meta = img.meta;
  const dims = (meta.shape as number[] | undefined) ?? [];
  const shape = `shape (${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
  const format =
    meta.format === 'npy'
      ? meta.container === 'npz'
        ? `npz, array ${String(meta.dataset)}, dtype ${String(meta.dtype)}, ${shape}`
        : `npy, dtype ${String(meta.dtype)}, ${shape}`
      : meta.format === 'hdf5'
        ? `hdf5, dataset ${String(meta.dataset)}, dtype ${String(meta.dtype)}, ${shape}`
        : meta.format === 'emsa'
          ? 'EMSA/MAS spectrum'
          : `text table (${delimiterName(meta.delimiter)})`;
  const rows: [string, string][] = [
    ['file', String(meta.file ?? meta.source)],
    ...(Array.isArray(meta.datasets) ? datasetRows(meta.datasets as Hdf5DatasetInfo[], String(meta.dataset)) : []),
    ['format', format],
    ['layout', layout],
    ['energy', energyLine(img)],
    ...(meta.energySource !== undefined ? [['axis', axisLine(img)] as [string, string]] : []),
    ['values', `min ${fmt(scan.min)}, max ${fmt(scan.max)}, mean ${fmt(scan.mean)} (finite values)`],
    ['total', `${fmt(scan.total)} (sum of finite values)`],
    ['NaN', findingLine(img, scan.nan, 'value')],
    ['Inf', findingLine(img, scan.inf, 'value')],
    ['negative', findingLine(img, scan.negative, 'value')],
    ['all-zero', findingLine(img, scan.zeroSpectra, 'spectrum')],
  ];
  if (Array.isArray(meta.names)) {
    const names = meta.names as string[];
    rows.splice(3, 0, [
      'columns',
      names.slice(0, 8).join(', ') + (names.length > 8 ? `, … (${names.length} in all)` : ''),
    ]);
  }
  return rows;
}

/** An HDF5 file's datasets, one row each (path, shape, dtype; the one read, if any, marked). */
function datasetRows(list: Hdf5DatasetInfo[], read: string | null): [string, string][] {
  if (list.length === 0) return [['datasets', 'none']];
  const width = Math.max(...list.map((d) => d.path.length));
  const shapeWidth = Math.max(...list.map((d) => describeShape(d.shape).length));
  return list.map((d, i) => [
    i === 0 ? 'datasets' : '',
    `${d.path.padEnd(width)}  ${describeShape(d.shape).padEnd(shapeWidth)}  ${d.dtype}${d.path === read ? '  ← read' : ''}`,
  ]);
}

function printRows(ctx: VerbContext, rows: [string, string][]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) ctx.out(`${k.padEnd(width)}  ${v}`);
}

/**
 * An HDF5 file whose spectra cannot be read (no clear dataset, a wrong --dataset, a bad one):
 * its dataset tree still goes to stdout, so the user sees what to pass to --dataset. Files that
 * do not open print nothing here (the error says why).
 */
async function listTreeOnError(ctx: VerbContext, file: string): Promise<void> {
  if (ctx.values.json === true || !isHdf5Input(file)) return;
  const list = await withHdf5File(file, listDatasets).catch(() => null);
  if (list) printRows(ctx, [['file', file], ...datasetRows(list, null)]);
}

function delimiterName(d: unknown): string {
  return d === ','
    ? 'comma-separated'
    : d === '\t'
      ? 'tab-separated'
      : d === ';'
        ? 'semicolon-separated'
        : 'whitespace-separated';
}

export const info: Verb = {
  name: 'info',
  summary: 'shape, energy axis, value range and problems (NaN/Inf, negative, all-zero spectra) of a spectrum file',
  usage: USAGE,
  options: { ...ENERGY_OPTIONS, json: { type: 'boolean' } },
  usesEngine: false,
  async run(ctx) {
    if (ctx.positionals.length !== 1)
      throw new InputError(`info: give one FILE (got ${ctx.positionals.length}); see 'specmap info --help'`);
    const file = ctx.positionals[0]!;
    const img = await loadSpectrumImage(file, energyLoadOptions(ctx.values)).catch(async (e: unknown) => {
      if (e instanceof InputError) await listTreeOnError(ctx, file);
      throw e;
    });
    const scan = scanSpectra(img);
    if (ctx.values.json === true) {
      const { data: _data, ...rest } = img;
      ctx.out(
        encodeJson({
          ...rest,
          energy: { first: img.energy[0], last: img.energy[img.channels - 1], unit: img.energyUnit },
          scan,
        }).trimEnd(),
      );
      return;
    }
    printRows(ctx, describeSpectra(img, scan));
  },
};
