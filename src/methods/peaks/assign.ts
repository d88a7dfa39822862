// Names back on their peaks after the multi-start fit of the mean spectrum: a random start may
// converge with its peaks in any order, so the winning solution's position groups are matched
// back to the groups the user asked for, by position, within each group's bounds; groups without
// a requested position are ordered by position. Also the warnings about peaks that ended far from
// where they were asked for, or much wider than the others.

import { FWHM_PER_SIGMA, type PeakParams, type ResolvedPeaks } from './model.js';

/** A peak more than this many times wider than the median of the others is named in a warning. */
export const WIDE_FACTOR = 3;

/** Groups whose members can take each other's places: same linked offsets and ratios, not fixed. */
function signature(m: ResolvedPeaks, g: number): string {
  const members = m.group.flatMap((h, k) => (h === g ? [`${m.offset[k]}/${m.ratio[k]}`] : []));
  return members.join(',');
}

function members(m: ResolvedPeaks, g: number): number[] {
  return m.group.flatMap((h, k) => (h === g ? [k] : []));
}

/** Every ordering of 0..n-1. */
function permutations(n: number): number[][] {
  if (n <= 1) return [[0].slice(0, n)];
  const out: number[][] = [];
  for (const rest of permutations(n - 1))
    for (let i = 0; i <= rest.length; i++) out.push([...rest.slice(0, i), n - 1, ...rest.slice(i)]);
  return out;
}

/**
 * The parameters with the solution's position groups put back on the requested groups: among
 * interchangeable groups (signature), the assignment that keeps the most groups within their
 * bounds and then puts the requested positions closest (sum of squared distances); groups without
 * a requested position take the remaining solutions in order of position where they share their
 * bounds. Weights and widths travel with their positions; background weights stay.
 */
export function assignByPosition(m: ResolvedPeaks, p: PeakParams): PeakParams {
  const G = m.groupBase.length;
  const mu = m.groupBase.map((k) => p.position[k]!);
  const target = m.groupBase.map((k) => m.startPosition[k]!);
  const source = Array.from({ length: G }, (_, g) => g);
  const classes = new Map<string, number[]>();
  for (let g = 0; g < G; g++) {
    if (m.groupFixed[g]) continue;
    const key = signature(m, g);
    classes.set(key, [...(classes.get(key) ?? []), g]);
  }
  const L = m.window.hi - m.window.lo;
  for (const groups of classes.values()) {
    if (groups.length < 2) continue;
    let best: number[] | null = null;
    let bestCost = Infinity;
    for (const perm of permutations(groups.length)) {
      let cost = 0;
      perm.forEach((j, i) => {
        const g = groups[i]!;
        const u = mu[groups[j]!]!;
        const [lo, hi] = m.groupBounds[g]!;
        if (u < lo || u > hi) cost += 1e6;
        if (!Number.isNaN(target[g]!)) cost += ((u - target[g]!) / L) ** 2;
      });
      if (cost < bestCost - 1e-15) {
        bestCost = cost;
        best = perm;
      }
    }
    best!.forEach((j, i) => (source[groups[i]!] = groups[j]!));
    // Groups without a requested position that share their bounds: ascending position.
    const free = groups.filter((g) => Number.isNaN(target[g]!));
    const byBounds = new Map<string, number[]>();
    for (const g of free) {
      const key = m.groupBounds[g]!.join(':');
      byBounds.set(key, [...(byBounds.get(key) ?? []), g]);
    }
    for (const same of byBounds.values()) {
      const sorted = same.map((g) => source[g]!).sort((a, b) => mu[a]! - mu[b]!);
      same.forEach((g, i) => (source[g] = sorted[i]!));
    }
  }
  const position = p.position.slice();
  const sigma = p.sigma.slice();
  const weight = p.weight.slice();
  for (let g = 0; g < G; g++) {
    const s = source[g]!;
    if (s === g) continue;
    const to = members(m, g);
    const from = members(m, s);
    to.forEach((k, i) => {
      const j = from[i]!;
      position[k] = p.position[j]!;
      sigma[k] = p.sigma[j]!;
      weight[k] = p.weight[j]!;
    });
  }
  return { position, sigma, weight };
}

/** Warnings about the fit of the mean spectrum: a peak with a requested position that ended further
 * than its FWHM from it, and a peak more than WIDE_FACTOR times wider than the median of the others. */
export function peakPlacementWarnings(m: ResolvedPeaks, p: PeakParams, unit = ''): string[] {
  const out: string[] = [];
  const u = unit ? ` ${unit}` : '';
  const fmt = (v: number) => String(+v.toPrecision(4));
  const G = m.groupBase.length;
  const fwhm = m.groupBase.map((k) => p.sigma[k]! * FWHM_PER_SIGMA);
  for (let g = 0; g < G; g++) {
    const k = m.groupBase[g]!;
    const asked = m.startPosition[k]!;
    if (m.groupFixed[g] || Number.isNaN(asked)) continue;
    const moved = Math.abs(p.position[k]! - asked);
    if (moved > fwhm[g]!)
      out.push(
        `peak '${m.names[k]}' was asked for at ${fmt(asked)}${u} but the mean spectrum puts it at ${fmt(p.position[k]!)}${u}, ` +
          `further than its FWHM (${fmt(fwhm[g]!)}${u}): check its position, or bound it (${fmt(asked)}:LO-HI)`,
      );
  }
  if (G >= 2 && !m.sharedWidth) {
    for (let g = 0; g < G; g++) {
      const others = fwhm.filter((_, h) => h !== g).sort((a, b) => a - b);
      const median =
        others.length % 2
          ? others[(others.length - 1) / 2]!
          : (others[others.length / 2 - 1]! + others[others.length / 2]!) / 2;
      if (fwhm[g]! > WIDE_FACTOR * median)
        out.push(
          `peak '${m.names[m.groupBase[g]!]}' is ${fmt(fwhm[g]! / median)}x as wide as the median of the others ` +
            `(FWHM ${fmt(fwhm[g]!)}${u} vs ${fmt(median)}${u}): it may be taking up background or several lines`,
        );
    }
  }
  return out;
}
