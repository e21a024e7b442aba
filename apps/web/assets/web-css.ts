/**
 * The one stylesheet: system fonts, contrast ratios of at least 4.5:1 for text (checked by axe in the browser
 * suites), visible focus, and one column under 40rem so a Partner can vote from a phone.
 */
export const WEB_CSS = `
:root { --ink: #1b1f24; --muted: #4a5460; --line: #c9d1da; --bg: #ffffff; --panel: #f4f6f8; --brand: #0b4f8a;
  --brand-ink: #ffffff; --ok: #176b2c; --warn: #8a4b00; --bad: #a1142b; --focus: #ffbf47; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--brand); }
a:focus, button:focus, input:focus, select:focus, textarea:focus, summary:focus { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: .5rem; }
.skip:focus { left: .5rem; }
header.site { background: var(--brand); color: var(--brand-ink); padding: .5rem 1rem; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; }
header.site a { color: var(--brand-ink); }
header.site .brand { font-weight: 700; text-decoration: none; }
header.site nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0; padding: 0; }
header.site nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
header.site .who { margin-left: auto; display: flex; gap: .75rem; align-items: center; }
header.site .who form { margin: 0; }
header.site .who button { background: transparent; color: var(--brand-ink); border: 1px solid var(--brand-ink); }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); }
.table-wrap { overflow-x: auto; }
.muted { color: var(--muted); }
.notice { border-left: 4px solid var(--ok); background: #eef7f0; padding: .5rem 1rem; margin: 1rem 0; }
.problem { border-left: 4px solid var(--bad); background: #fbeef0; padding: .5rem 1rem; margin: 1rem 0; }
.warning { border-left: 4px solid var(--warn); background: #fdf4e7; padding: .5rem 1rem; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: .75rem 0; background: var(--bg); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr)); gap: .75rem; }
.badge { display: inline-block; padding: 0 .5rem; border-radius: 1rem; background: var(--panel); border: 1px solid var(--line); font-size: .875rem; }
.badge.ok { color: var(--ok); border-color: var(--ok); }
.badge.bad { color: var(--bad); border-color: var(--bad); }
.badge.warn { color: var(--warn); border-color: var(--warn); }
form.stacked { max-width: 40rem; }
.field { margin: 0 0 1rem; }
.field label, .field legend { display: block; font-weight: 600; margin-bottom: .25rem; }
.field .hint { color: var(--muted); font-size: .9rem; margin: 0 0 .25rem; }
.field .error { color: var(--bad); font-weight: 600; margin: 0 0 .25rem; }
.field.invalid input, .field.invalid select, .field.invalid textarea { border-color: var(--bad); border-width: 2px; }
input, select, textarea { font: inherit; padding: .45rem .5rem; border: 1px solid var(--muted); border-radius: 4px; width: 100%; max-width: 40rem; background: var(--bg); color: var(--ink); }
input[type="radio"], input[type="checkbox"] { width: auto; }
fieldset { border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem; }
.choice { display: flex; gap: .5rem; align-items: center; padding: .5rem 0; font-size: 1.05rem; }
.field.large .choice { gap: .75rem; border: 2px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: .5rem 0; min-height: 3.25rem; font-size: 1.2rem; font-weight: 600; cursor: pointer; }
.field.large .choice:has(input:checked) { border-color: var(--brand); background: #eaf2fa; }
.field.large .choice input { width: 1.5rem; height: 1.5rem; margin: 0; padding: 0; flex: none; }
details.about { margin: 1rem 0; }
details.about summary { cursor: pointer; font-weight: 600; color: var(--brand); padding: .5rem 0; }
button, .button { font: inherit; font-weight: 600; padding: .55rem 1.1rem; border-radius: 4px; border: 1px solid var(--brand); background: var(--brand); color: var(--brand-ink); cursor: pointer; text-decoration: none; display: inline-block; min-height: 44px; }
button.secondary, .button.secondary { background: var(--bg); color: var(--brand); }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
svg text { font-family: inherit; }
/* State diagrams (libs/audit/dossier/render-diagram.ts, the dossier's own drawing) and the auditors' pages */
svg.diagram { max-width: 100%; height: auto; display: block; margin: 0 auto; }
svg.diagram .state rect { fill: #fff; stroke: #6b7580; stroke-width: 1.5; }
svg.diagram .state text { fill: #3d4650; font: 600 14px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
svg.diagram .state .final-ring { fill: none; }
svg.diagram .visited rect { fill: #dbe8f6; stroke: var(--brand); stroke-width: 2.5; }
svg.diagram .visited text { fill: #0b2a4a; }
svg.diagram .current rect { fill: var(--brand); stroke: #0b2a4a; stroke-width: 3; }
svg.diagram .current .final-ring { fill: none; stroke: #fff; stroke-width: 1.5; }
svg.diagram .current text { fill: #fff; }
svg.diagram .edge-label { fill: #0b2a4a; font: 600 12.5px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
figure.diagram { margin: .5rem 0 1rem; overflow-x: auto; }
figure.diagram figcaption { color: var(--muted); margin-top: .25rem; }
tr.taken td, tr.taken th { background: #e3eefa; }
.mono, code.anchor { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; word-break: break-all; }
code.anchor { display: inline-block; background: var(--panel); border: 1px solid var(--line); padding: .25rem .5rem; font-weight: 700; user-select: all; }
pre.json { background: var(--panel); border: 1px solid var(--line); padding: .5rem; overflow-x: auto; font-size: .85rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
ul.cards { list-style: none; padding: 0; margin: .5rem 0 1rem; }
ul.cards .card { margin: 0; }
h3 { font-size: 1.1rem; margin: 1rem 0 .5rem; }
/* Registers (apps/web/registers): the "as of" forms, the tenure timeline and the ballot results charts */
form.as-of { display: flex; flex-wrap: wrap; gap: 0 1rem; align-items: flex-end; max-width: 48rem; }
form.as-of .field { flex: 1 1 14rem; }
form.as-of .actions { margin: 0 0 1rem; }
figure.chart { margin: .5rem 0 1rem; }
figure.chart .chart-scroll { overflow-x: auto; }
figure.chart svg.tenure { width: 100%; min-width: 40rem; height: auto; display: block; }
figure.chart svg.results { width: 100%; max-width: 40rem; min-width: 20rem; height: auto; display: block; }
figure.chart svg text { font-size: 15px; fill: var(--ink); }
figure.chart svg .axis { fill: var(--muted); }
figure.chart svg .grid { stroke: #e1e6eb; stroke-width: 1; }
figure.chart svg .lane { stroke: var(--line); stroke-width: 1; stroke-dasharray: 2 4; }
figure.chart svg .term.appointment { fill: var(--brand); }
figure.chart svg .term.renewal { fill: var(--ok); }
figure.chart svg .term.cancelled { fill: none; stroke: var(--muted); stroke-dasharray: 4 3; }
figure.chart svg text.holder { fill: #ffffff; font-weight: 600; font-size: 13px; }
figure.chart svg .mark.renewed { fill: #ffffff; stroke: var(--ok); stroke-width: 2; }
figure.chart svg .mark.due { stroke: var(--warn); stroke-width: 3; }
figure.chart svg .mark.expired { fill: none; stroke: var(--bad); stroke-width: 3; }
figure.chart svg .mark.ended { stroke: var(--warn); stroke-width: 3; }
figure.chart svg .now { stroke: var(--bad); stroke-width: 2; stroke-dasharray: 6 3; }
figure.chart svg text.now-label { fill: var(--bad); font-weight: 700; }
figure.chart svg .bar.yes { fill: var(--ok); }
figure.chart svg .bar.no { fill: var(--bad); }
figure.chart svg .bar.abstain { fill: var(--muted); }
figure.chart svg .bar.not-voted { fill: #ffffff; stroke: var(--muted); stroke-dasharray: 3 2; }
figure.chart svg .bar.participating { fill: var(--brand); }
figure.chart svg .threshold { stroke: var(--ink); stroke-width: 2; stroke-dasharray: 4 2; }
figure.chart svg text.marker-label { font-size: 13px; font-weight: 600; }
figure.chart svg text.count { font-weight: 700; }
ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; padding: 0; margin: .5rem 0 0; color: var(--muted); font-size: .9rem; }
ul.legend li { display: flex; gap: .35rem; align-items: center; }
ul.legend svg { flex: none; }
.lead { font-size: 1.15rem; font-weight: 600; overflow-wrap: anywhere; }
.pre { white-space: pre-wrap; overflow-wrap: anywhere; }
td.wrap { overflow-wrap: anywhere; min-width: 14rem; }
details.field-group { max-width: 40rem; border: 1px solid var(--line); border-radius: 6px; padding: .25rem 1rem; margin: 0 0 1rem; }
details.field-group summary { font-weight: 600; cursor: pointer; padding: .5rem 0; }
@media (max-width: 40rem) {
  main { padding: .75rem; }
  header.site .who { margin-left: 0; }
  dl.facts { grid-template-columns: 1fr; }
  button, .button { width: 100%; text-align: center; }
}
/* A table whose rows become cards on a phone, each cell named by its column (data-label). */
@media (max-width: 40rem) {
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.stack tr { display: block; border-bottom: 2px solid var(--line); padding: .25rem 0; }
  table.stack td { display: block; border: 0; padding: .2rem 0; }
  table.stack td[data-label]::before { content: attr(data-label); display: block; font-weight: 600; font-size: .85rem; color: var(--muted); }
}
`;
