import { describe, expect, it } from 'vitest';
import { barChart } from '../../src/report/bar-chart.js';
import { colorbarSvg, colorbarTicks, labelLegendSvg } from '../../src/report/colorbar-svg.js';
import { histogram, histogramCounts } from '../../src/report/histogram.js';
import { lineChart } from '../../src/report/line-chart.js';
import { scatterChart } from '../../src/report/scatter-chart.js';
import { formatTicks, logTicks, niceTicks } from '../../src/report/ticks.js';

/** Tags open and close in order (a cheap well-formedness check without a DOM). */
function expectBalanced(svg: string): void {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (m[3]) continue;
    if (m[1]) expect(stack.pop()).toBe(m[2]);
    else stack.push(m[2]!);
  }
  expect(stack).toEqual([]);
  expect(svg.startsWith('<svg')).toBe(true);
}
const coords = (path: string) =>
  [...path.matchAll(/[ML]([\d.-]+) ([\d.-]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);

describe('ticks', () => {
  it('picks round steps covering the range', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(228.13, 228.87, 4)).toEqual([228.2, 228.4, 228.6, 228.8]);
    expect(niceTicks(290, 280, 2)).toEqual([280, 285, 290]);
    // Never a single label when two round values fit: a Potts beta trace 0.5 … 1.915 on a short chart.
    expect(niceTicks(0.5, 1.915, 2)).toEqual([0.5, 1, 1.5]);
    expect(niceTicks(-160412, -159100, 2)).toEqual([-160000, -159500]);
    expect(niceTicks(3.2, 3.7, 1)).toEqual([3.2, 3.4, 3.6]);
    expect(logTicks(3, 5000)).toEqual([10, 100, 1000]);
    expect(logTicks(3, 40)).toEqual([5, 10, 20]);
  });

  it('labels ticks with shared decimals, exponents for extreme magnitudes', () => {
    expect(formatTicks([0, 0.5, 1])).toEqual(['0.0', '0.5', '1.0']);
    expect(formatTicks([228.2, 228.4])).toEqual(['228.2', '228.4']);
    expect(formatTicks([0, 2e5, 4e5])).toEqual(['0', '2.0e5', '4.0e5']);
    expect(formatTicks([-0.0000001 + 1e-7, 1])).toEqual(['0', '1']);
  });
});

describe('lineChart', () => {
  const x = Float64Array.from({ length: 50 }, (_, i) => 280 + i * 0.2);
  const y = x.map((e) => Math.exp(-((e - 285) ** 2)));

  it('draws one path per line series, markers for point series, a legend with escaped names', () => {
    const svg = lineChart({
      series: [
        { name: 'data <raw>', x, y, points: true },
        { name: 'fit', x, y },
      ],
      xLabel: 'E (eV)',
      yLabel: 'counts',
    });
    expectBalanced(svg);
    expect(svg.match(/<circle/g)).toHaveLength(50);
    expect(svg.match(/<path /g)).toHaveLength(1);
    expect(svg).toContain('data &lt;raw&gt;');
    expect(svg).toContain('E (eV)');
  });

  it('reverses the x axis for binding energy and breaks the line at NaN', () => {
    const yy = y.slice();
    yy[20] = NaN;
    const fwd = coords(/<path d="([^"]+)"/.exec(lineChart({ series: [{ name: 's', x, y }] }))![1]!);
    const rev = lineChart({ series: [{ name: 's', x, y: yy }], reverseX: true });
    const d = /<path d="([^"]+)"/.exec(rev)![1]!;
    const back = coords(d);
    expect(fwd[0]![0]).toBeLessThan(fwd[49]![0]!);
    expect(back[0]![0]).toBeGreaterThan(back[48]![0]!);
    expect(d.match(/M/g)).toHaveLength(2);
    expect(back).toHaveLength(49);
  });

  it('draws a log-y line (a loss curve over decades): equal ratios are equal steps; non-positive values break the line', () => {
    const it = Float64Array.from({ length: 5 }, (_, i) => 10 * (i + 1));
    const loss = Float64Array.from([1000, 100, 10, 0, 1]);
    const svg = lineChart({ series: [{ name: 'loss', x: it, y: loss }], logY: true, yLabel: 'loss' });
    expectBalanced(svg);
    const d = /<path d="([^"]+)"/.exec(svg)![1]!;
    const pts = coords(d);
    expect(pts).toHaveLength(4); // the 0 is left out
    expect(d.match(/M/g)).toHaveLength(2);
    const step1 = pts[1]![1]! - pts[0]![1]!;
    const step2 = pts[2]![1]! - pts[1]![1]!;
    expect(step1).toBeGreaterThan(0);
    expect(Math.abs(step1 - step2)).toBeLessThan(0.05);
    expect(pts[3]![1]! - pts[2]![1]!).toBeCloseTo(step1, 1);
  });

  it('draws horizontal reference lines inside the plot', () => {
    const svg = lineChart({ series: [{ name: 'r', x, y: y.map((v) => v - 0.5) }], hRules: [0] });
    const rule = /<line x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)" y2="[\d.]+" stroke="#888" stroke-dasharray="3 3"\/>/.exec(
      svg,
    );
    expect(rule).not.toBeNull();
    const pts = coords(/<path d="([^"]+)"/.exec(svg)![1]!);
    const ys = pts.map((p) => p[1]!);
    expect(Number(rule![1])).toBeGreaterThan(Math.min(...ys));
    expect(Number(rule![1])).toBeLessThan(Math.max(...ys));
  });

  it('refuses series whose x and y differ in length', () => {
    expect(() => lineChart({ series: [{ name: 'bad', x, y: y.subarray(1) }] })).toThrow(
      "series 'bad' has 50 x values and 49 y values",
    );
  });
});

describe('line chart legend placement', () => {
  /** x, y of the legend's box (the rect with the translucent white fill). */
  const box = (svg: string) => {
    const m = /<rect x="([\d.]+)" y="([\d.]+)" width="[\d.]+" height="[\d.]+" fill="#fff" fill-opacity="0.85"/.exec(
      svg,
    )!;
    return [Number(m[1]), Number(m[2])] as const;
  };
  const x = Float64Array.from({ length: 200 }, (_, i) => i);
  it('keeps to the top right when the data leave it free', () => {
    const falling = lineChart({
      series: [
        { name: 'a', x, y: x.map((v) => 200 - v) },
        { name: 'b', x, y: x.map((v) => 150 - v / 2) },
      ],
      width: 600,
      height: 300,
    });
    const [bx, by] = box(falling);
    expect(bx).toBeGreaterThan(300);
    expect(by).toBeLessThan(150);
  });
  it('moves off the data: rising curves fill the top right, the box goes elsewhere', () => {
    const rising = lineChart({
      series: [
        { name: 'a', x, y: x.map((v) => v) },
        { name: 'b', x, y: x.map((v) => v * 0.9) },
      ],
      width: 600,
      height: 300,
    });
    const [bx, by] = box(rising);
    expect(bx < 300 || by > 150, `legend at ${bx}, ${by}`).toBe(true);
  });
});

describe('histogram, scatter, bars, colour bars', () => {
  it('counts values into bins, the top edge inclusive, and tallies the rest', () => {
    const h = histogramCounts([0, 0.5, 1, 1.5, 2, -1, 3, NaN], 4, [0, 2]);
    expect(Array.from(h.counts)).toEqual([1, 1, 1, 2]);
    expect([h.below, h.above, h.nonFinite]).toEqual([1, 1, 1]);
    const values = Float32Array.from({ length: 1000 }, () => Math.random());
    const svg = histogram({ values, bins: 10, range: [0, 1], xLabel: 'v' });
    expectBalanced(svg);
    const sum = histogramCounts(values, 10, [0, 1]).counts.reduce((a, b) => a + b, 0);
    expect(sum).toBe(1000);
    expect(svg.match(/<rect x=/g)!.length).toBeGreaterThanOrEqual(10);
    expect(histogram({ values: [0, 1, 2, 100, NaN], bins: 3, range: [0, 2] })).toContain(
      '1 outside the range shown, 1 NaN/Inf',
    );
  });

  it('labels the count axis of a histogram of a few values with whole numbers only', () => {
    const svg = histogram({ values: [1, 2, 2, 3], bins: 3, range: [1, 3], xLabel: 'v' });
    const yLabels = [...svg.matchAll(/text-anchor="end">([^<]+)</g)].map((m) => m[1]!);
    expect(yLabels.length).toBeGreaterThanOrEqual(2);
    for (const l of yLabels) expect(l, yLabels.join(' ')).toMatch(/^\d+$/);
  });

  it('thins a big scatter and says so', () => {
    const n = 10_000;
    const svg = scatterChart({
      series: [
        {
          name: 'p',
          x: Float32Array.from({ length: n }, Math.random),
          y: Float32Array.from({ length: n }, Math.random),
        },
      ],
      maxPoints: 1000,
    });
    expectBalanced(svg);
    expect(svg.match(/<circle/g)).toHaveLength(1000);
    expect(svg).toContain('1 in 10 points shown');
  });

  it('draws one bar per label, named on the axis', () => {
    const svg = barChart({ labels: ['metal', 'oxide'], values: [3, 1], yLabel: 'pixels' });
    expectBalanced(svg);
    expect(svg).toContain('>metal<');
    expect(svg.match(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+" fill="#/g)).toHaveLength(2);
  });

  it('places colour-bar ticks inside the range, linear or log', () => {
    const t = colorbarTicks(0.13, 0.87, { count: 4 });
    expect(t.map((k) => k.label)).toEqual(['0.2', '0.4', '0.6', '0.8']);
    expect(t[0]!.position).toBeCloseTo((0.2 - 0.13) / 0.74, 12);
    const l = colorbarTicks(1, 1000, { log: true });
    expect(l.map((k) => [k.label, k.position])).toEqual(
      [
        ['1', 0],
        ['10', 1 / 3],
        ['100', 2 / 3],
        ['1000', 1],
      ].map(([a, b]) => [a, expect.closeTo(b as number, 12)]),
    );
    const svg = colorbarSvg({ vmin: 0, vmax: 10, colormap: 'viridis', label: 'counts & more' });
    expectBalanced(svg);
    expect(svg).toContain('counts &amp; more');
    expect(svg.match(/<stop /g)).toHaveLength(17);
    expectBalanced(labelLegendSvg(['a', 'b', 'c']));
  });
});
