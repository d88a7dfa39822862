// The command line's peak syntax → PeakFitOptions['peaks'] (see `specmap fit --help`).
//
//   --peaks 228.0,231.1             two peaks started at these positions
//   --peaks 228.0:227.5-228.5       a position bounded to [227.5, 228.5] (also 227.5..228.5)
//   --peaks 228.0!                  a fixed position
//   --peaks 228.0@0.9               a starting FWHM
//   --peaks Mo=228.0                a name (used in the output file names)
//   --peaks auto:2                  two peaks found by the multi-start fit of the mean spectrum
//   --doublet 3.13:0.667            every peak gets a spin-orbit partner at +3.13 with 0.667 × its area
//   --doublet Mo=3.13:0.667:Mo32    the partner of peak 'Mo' (or of peak 1: '1=...'), named Mo32
//
// Given several times without a peak name, the i-th --doublet goes to the i-th peak.

import { InputError } from '../../engine/errors.js';
import type { BackgroundComponent, PeakSpec } from '../../methods/peaks/model.js';

const NUM = '[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?';
const PEAK_RE = new RegExp(
  `^(?:([A-Za-z][A-Za-z0-9_-]*)=)?(${NUM})(!?)(?:@(${NUM}))?(?::(${NUM})(?:-|\\.\\.)(${NUM}))?(!?)$`,
);
const AUTO_RE = /^auto(?::(\d+))?$/;
const DOUBLET_RE = new RegExp(`^(?:([A-Za-z0-9_-]+)=)?(${NUM}):(${NUM})(?::([A-Za-z][A-Za-z0-9_-]*))?$`);

/** Parse the values of --peaks (each may be a comma-separated list). */
export function parsePeaks(values: string[]): PeakSpec[] {
  const items = values.flatMap((v) => v.split(',')).map((s) => s.trim());
  if (items.length === 0 || items.some((s) => s === '')) {
    throw new InputError(`--peaks needs positions such as 228.0,231.1 or auto:K, got '${values.join(',')}'`);
  }
  const auto = AUTO_RE.exec(items[0]!.toLowerCase());
  if (auto) {
    if (items.length > 1)
      throw new InputError(`--peaks auto:K cannot be combined with other peaks ('${values.join(',')}')`);
    const k = Number(auto[1]);
    if (!auto[1] || !(k >= 1)) throw new InputError(`--peaks auto needs a peak count, e.g. auto:2 (got '${items[0]}')`);
    return Array.from({ length: k }, () => ({}));
  }
  return items.map((item) => {
    const m = PEAK_RE.exec(item);
    if (!m) {
      throw new InputError(
        `--peaks: cannot read '${item}' (write POSITION, NAME=POSITION, POSITION! for fixed, POSITION:MIN-MAX for bounds, POSITION@FWHM)`,
      );
    }
    const [, name, pos, bang1, fwhm, min, max, bang2] = m;
    const spec: PeakSpec = { position: Number(pos) };
    if (name) spec.name = name;
    if (fwhm !== undefined) spec.fwhm = Number(fwhm);
    if (bang1 || bang2) spec.fixed = true;
    if (min !== undefined && max !== undefined) {
      if (spec.fixed) throw new InputError(`--peaks: '${item}' is both fixed and bounded; choose one`);
      spec.bounds = [Number(min), Number(max)];
    }
    return spec;
  });
}

interface DoubletArg {
  base?: string;
  split: number;
  ratio: number;
  name?: string;
  text: string;
}

function parseDoublet(text: string): DoubletArg {
  const m = DOUBLET_RE.exec(text.trim());
  if (!m)
    throw new InputError(
      `--doublet: cannot read '${text}' (write SPLIT:RATIO, e.g. 3.13:0.667, or PEAK=SPLIT:RATIO[:NAME])`,
    );
  const d: DoubletArg = { split: Number(m[2]), ratio: Number(m[3]), text };
  if (m[1] !== undefined) d.base = m[1];
  if (m[4] !== undefined) d.name = m[4];
  if (!(d.ratio > 0)) throw new InputError(`--doublet '${text}': the area ratio must be > 0`);
  return d;
}

/** Append a linked partner to peaks for each --doublet value. Peaks get default names p1, p2... first. */
export function applyDoublets(peaks: PeakSpec[], values: string[]): PeakSpec[] {
  if (values.length === 0) return peaks;
  const base = peaks.map((p, i) => ({ ...p, name: p.name ?? `p${i + 1}` }));
  const names = base.map((p) => p.name);
  const args = values.map(parseDoublet);
  const target = new Map<number, DoubletArg>();
  const assign = (i: number, d: DoubletArg) => {
    if (target.has(i))
      throw new InputError(
        `--doublet: peak '${names[i]}' is given two doublet partners ('${target.get(i)!.text}' and '${d.text}')`,
      );
    target.set(i, d);
  };
  for (const d of args.filter((a) => a.base !== undefined)) {
    const byName = names.indexOf(d.base!);
    const byIndex = /^\d+$/.test(d.base!) ? Number(d.base) - 1 : -1;
    const i = byName >= 0 ? byName : byIndex;
    if (i < 0 || i >= base.length)
      throw new InputError(`--doublet '${d.text}': no peak '${d.base}' (peaks: ${names.join(', ')})`);
    assign(i, d);
  }
  const unnamed = args.filter((a) => a.base === undefined);
  if (unnamed.length === 1) {
    base.forEach((_, i) => {
      if (!target.has(i)) target.set(i, unnamed[0]!);
    });
  } else if (unnamed.length > 1) {
    if (unnamed.length !== base.length) {
      throw new InputError(
        `--doublet given ${unnamed.length} times for ${base.length} peaks: give it once (all peaks), once per peak, or as PEAK=SPLIT:RATIO`,
      );
    }
    unnamed.forEach((d, i) => assign(i, d));
  }
  const out: PeakSpec[] = [...base];
  base.forEach((p, i) => {
    const d = target.get(i);
    if (!d) return;
    out.push({ name: d.name ?? `${p.name}_doublet`, link: { peak: p.name, split: d.split, ratio: d.ratio } });
  });
  return out;
}

/** --background: a comma list of uniform, ramps (= rampUp,rampDown), rampUp, rampDown, shirley (the
 * active Shirley step, rising towards higher energy: a binding-energy axis), shirleyKE (rising towards
 * lower energy: a kinetic-energy axis), tougaard (Tougaard's universal background of the measured counts,
 * losses towards higher energy: binding energy), tougaardKE (towards lower energy: kinetic energy); or none. */
export function parseBackground(text: string): BackgroundComponent[] {
  const out: BackgroundComponent[] = [];
  const add = (c: BackgroundComponent) => {
    if (!out.includes(c)) out.push(c);
  };
  const items = text.split(',').map((s) => s.trim().toLowerCase());
  if (items.length === 1 && items[0] === 'none') return out;
  for (const it of items) {
    if (it === 'uniform') add('uniform');
    else if (it === 'ramps' || it === 'linear') {
      add('rampUp');
      add('rampDown');
    } else if (it === 'rampup' || it === 'up') add('rampUp');
    else if (it === 'rampdown' || it === 'down') add('rampDown');
    else if (it === 'shirley') add('shirley');
    else if (it === 'shirleyke' || it === 'shirley-ke') add('shirleyKE');
    else if (it === 'tougaard') add('tougaard');
    else if (it === 'tougaardke' || it === 'tougaard-ke') add('tougaardKE');
    else
      throw new InputError(
        `--background: unknown component '${it}' (use uniform, ramps, rampUp, rampDown, shirley, shirleyKE, tougaard, tougaardKE, none, or auto alone)`,
      );
  }
  return out;
}
