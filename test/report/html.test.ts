import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import {
  base64,
  facts,
  figure,
  grid,
  Html,
  image,
  mapFigure,
  paragraph,
  render,
  reportPage,
  table,
} from '../../src/report/html.js';
import { renderMap } from '../../src/report/map-png.js';
import { writeReport } from '../../src/report/write-report.js';

const dir = mkdtempSync(join(tmpdir(), 'specmap-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('html builders', () => {
  it('escapes every plain string and passes Html through', () => {
    expect(render(['<b>&', new Html('<i>ok</i>'), null, false, 3.14159265])).toBe('&lt;b&gt;&amp;<i>ok</i>3.14159');
    expect(paragraph('a "quote"').html).toBe('<p>a &quot;quote&quot;</p>');
    expect(figure('x', "it's").html).toBe('<figure>x<figcaption>it&#39;s</figcaption></figure>');
  });

  it('base64 matches Node for bytes of every value and for long inputs', () => {
    const bytes = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 7919) % 256);
    expect(base64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });

  it('embeds PNG bytes as a data URI that decodes back to the same image', () => {
    const r = renderMap(
      Float32Array.from({ length: 12 }, (_, i) => i),
      3,
      4,
    );
    const img = image(r.png, { alt: 'a<b' }).html;
    const uri = /src="data:image\/png;base64,([^"]+)"/.exec(img)![1]!;
    const png = decode(Uint8Array.from(Buffer.from(uri, 'base64')));
    expect([png.width, png.height]).toEqual([r.width, r.height]);
    expect(img).toContain('alt="a&lt;b"');
    expect(image('maps/area.png').html).toBe('<img src="maps/area.png" alt="">');
  });

  it('gives a map figure a colour bar with its unit, a label map none', () => {
    const cont = mapFigure({
      title: 'Area',
      map: renderMap(Float32Array.from({ length: 16 }, Math.random), 4, 4),
      unit: 'counts',
    }).html;
    expect(cont).toContain('class="colorbar"');
    expect(cont).toContain('>counts<');
    const labels = mapFigure({
      title: 'Classes',
      map: renderMap(new Float32Array([0, 1, 1, 0]), 2, 2, { colormap: 'labels' }),
    }).html;
    expect(labels).not.toContain('class="colorbar"');
  });

  it("keeps a line scan's colour bar wide enough to read (a 24 × 1 map is 11 px wide)", () => {
    const r = renderMap(
      Float32Array.from({ length: 24 }, (_, i) => 229 + i / 50),
      24,
      1,
    );
    expect(r.width).toBeLessThan(20);
    const html = mapFigure({ title: 'position', map: r, unit: 'eV' }).html;
    const width = Number(/<div class="colorbar"><svg [^>]*width="(\d+)"/.exec(html)![1]);
    expect(width).toBeGreaterThanOrEqual(200);
    expect(html.match(/text-anchor="middle">22\d\.\d+</g)!.length).toBeGreaterThanOrEqual(2);
  });

  it('right-aligns columns of numbers formatted as text (trailing zeros kept) and dashes', () => {
    const t = table(
      ['peak', 'FWHM'],
      [
        ['Mo', '1.000'],
        ['S', '—'],
        ['x', '-2.5e-3'],
      ],
    ).html;
    expect(t).toContain('<th class="num">FWHM</th>');
    expect(t).toContain('<td class="num">1.000</td>');
    expect(t).toContain('<th>peak</th>');
  });

  it('right-aligns numeric table columns and escapes cells', () => {
    const t = table(
      ['name', 'value'],
      [
        ['<x>', 1.5],
        ['y', null],
      ],
    ).html;
    expect(t).toContain('<th class="num">value</th>');
    expect(t).toContain('<td>&lt;x&gt;</td><td class="num">1.5</td>');
    expect(facts([['file', 'a&b.npy']]).html).toBe('<dl class="facts"><dt>file</dt><dd>a&amp;b.npy</dd></dl>');
    expect(grid(['a', 'b']).html).toBe('<div class="grid"><div class="cell">a</div><div class="cell">b</div></div>');
  });
});

describe('reportPage', () => {
  it('is one self-contained page: escaped title, contents for 3+ sections, no external resources', () => {
    const page = reportPage('Fit of <sample>', [
      { title: 'Summary', body: paragraph('ok') },
      { title: 'Maps', body: mapFigure({ title: 'm', map: renderMap(new Float32Array([1, 2, 3, 4]), 2, 2) }) },
      { title: 'Spectra & fits', body: 'none' },
    ]);
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).toContain('<title>Fit of &lt;sample&gt;</title>');
    expect(page).toContain('<a href="#s3-spectra-fits">Spectra &amp; fits</a>');
    expect(page).toContain('<section id="s3-spectra-fits">');
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('writes index.html and its assets into a folder', () => {
    const png = renderMap(new Float32Array([1, 2]), 1, 2).png;
    const path = writeReport(dir, reportPage('t', [{ title: 'a', body: image('a.png') }]), { 'a.png': png });
    expect(path).toBe(join(dir, 'index.html'));
    expect(readFileSync(path, 'utf8')).toContain('<img src="a.png"');
    expect(decode(readFileSync(join(dir, 'a.png'))).width).toBe(256);
  });
});
