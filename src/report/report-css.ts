// The report's one stylesheet: readable type, quiet tables, maps that stay crisp when enlarged.
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6573; --rule: #dfe3e8; --accent: #2f5d8a; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f7f9; }
header, nav, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 28px; }
header { padding-top: 28px; }
h1 { font-size: 26px; margin: 0 0 4px; font-weight: 650; letter-spacing: -0.01em; }
.subtitle { color: var(--muted); margin: 0 0 12px; }
nav ol { margin: 8px 0 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 4px 18px; counter-reset: s; }
nav li { counter-increment: s; }
nav li::before { content: counter(s) ". "; color: var(--muted); }
nav a { color: var(--accent); text-decoration: none; }
section { background: #fff; border: 1px solid var(--rule); border-radius: 8px; padding: 18px 24px 22px; margin: 18px 0; }
h2 { font-size: 18px; margin: 0 0 12px; font-weight: 650; }
p { margin: 8px 0; max-width: 80ch; }
figure { margin: 10px 0; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; max-width: 80ch; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 18px 22px; align-items: start; }
figure.map { margin: 0; }
.map-title { font-weight: 600; font-size: 14px; margin-bottom: 6px; }
img { max-width: 100%; height: auto; display: block; }
img.pixelated { image-rendering: pixelated; image-rendering: crisp-edges; border: 1px solid var(--rule); }
.map .note { color: var(--muted); font-size: 12px; margin-top: 3px; max-width: 360px; }
.colorbar svg, .svg svg { max-width: 100%; height: auto; display: block; }
table { border-collapse: collapse; margin: 8px 0; font-size: 14px; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); font-size: 13px; padding-bottom: 4px; }
th, td { padding: 5px 12px; border-bottom: 1px solid var(--rule); text-align: left; }
th { font-weight: 600; background: #f2f4f7; }
tbody tr:nth-child(even) { background: #fafbfc; }
.num { text-align: right; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 6px 0; font-size: 14px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-variant-numeric: tabular-nums; }
footer { color: var(--muted); font-size: 13px; padding-bottom: 28px; }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; background: #f2f4f7; padding: 1px 4px; border-radius: 3px; }
`;
