import { trusted } from '../../html/index.js';

/**
 * The dossier's only style sheet, inlined: the file must read the same offline, years later, printed or on a
 * screen. Colours meet WCAG AA contrast on white; every verdict says its meaning in words, never by colour alone.
 */
export const DOSSIER_CSS = trusted(`
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #1b1b1b; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1.5rem 3rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: .25rem 0 .5rem; color: #0b2a4a; }
h2 { font-size: 1.3rem; color: #0b3a66; border-bottom: 2px solid #0b4f8a; padding-bottom: .2rem; margin: 2.2rem 0 .8rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
p { margin: .4rem 0; }
.kicker { margin: 0; text-transform: uppercase; letter-spacing: .06em; font-size: .8rem; color: #4a4a4a; }
.question { font-size: 1.15rem; margin: .3rem 0 1rem; }
.muted { color: #5a5a5a; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .88em; }
.hash { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .74rem; word-break: break-all; }
.anchor { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 1rem; font-weight: 700; word-break: break-all; background: #f3f5f8; border: 1px solid #c5ccd6; padding: .3rem .5rem; display: inline-block; }
nav ol { columns: 2; margin: .3rem 0 0; padding-left: 1.4rem; }
nav a { color: #0b4f8a; }
dl.facts { display: grid; grid-template-columns: minmax(9rem, 15rem) 1fr; gap: .25rem 1rem; margin: .4rem 0 1rem; }
dl.facts dt { font-weight: 600; color: #333; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .2rem 0 .35rem; color: #333; }
th, td { border: 1px solid #b5b5b5; padding: .3rem .45rem; text-align: left; vertical-align: top; }
thead th { background: #e6edf5; }
tbody th { background: #f6f8fa; font-weight: 600; }
table.chain { table-layout: fixed; }
table.chain col.narrow { width: 4.2rem; }
table.chain col.type { width: 8.5rem; }
table.chain col.when { width: 8.5rem; }
table.chain col.hash { width: 30%; }
tr.superseded td { background: #f4f4f4; color: #4f4f4f; }
del { text-decoration-thickness: 2px; }
tr.taken td, tr.taken th { background: #e3eefa; }
tr.differs td, tr.differs th { background: #fdecec; }
.tag { display: inline-block; border: 1px solid currentColor; border-radius: 3px; padding: 0 .3rem; font-size: .78rem; font-weight: 700; letter-spacing: .02em; }
.verdicts { display: grid; grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr)); gap: .6rem; margin: 1rem 0; padding: 0; list-style: none; }
.verdict { border: 2px solid #5a5a5a; border-radius: 6px; padding: .45rem .7rem; }
.verdict strong { display: block; font-size: 1.05rem; }
.ok { border-color: #1d6b34; background: #edf7f0; color: #0f4d22; }
.bad { border-color: #a4000f; background: #fdecec; color: #7a000b; }
.info { border-color: #0b4f8a; background: #eef4fa; color: #0b2a4a; }
.statement { font-size: 1.1rem; font-weight: 700; padding: .5rem .75rem; border-left: 6px solid; margin: .6rem 0; }
figure { margin: .5rem 0 1rem; }
figcaption { font-size: .9rem; color: #333; margin-top: .3rem; }
svg.diagram { max-width: 100%; height: auto; display: block; margin: 0 auto; }
svg.diagram .state rect { fill: #fff; stroke: #8c8c8c; stroke-width: 1.5; }
svg.diagram .state text { fill: #4a4a4a; font: 600 14px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
svg.diagram .state .final-ring { fill: none; }
svg.diagram .visited rect { fill: #dbe8f6; stroke: #0b4f8a; stroke-width: 2.5; }
svg.diagram .visited text { fill: #0b2a4a; }
svg.diagram .current rect { fill: #0b4f8a; stroke: #0b2a4a; stroke-width: 3; }
svg.diagram .current .final-ring { fill: none; stroke: #fff; stroke-width: 1.5; }
svg.diagram .current text { fill: #fff; }
svg.diagram .edge-label { fill: #0b2a4a; font: 600 12.5px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
ol.path { padding-left: 1.6rem; }
footer { margin-top: 2.5rem; border-top: 1px solid #b5b5b5; padding-top: .6rem; font-size: .85rem; color: #444; }
@page { margin: 15mm 13mm; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2, h3 { break-after: avoid; }
  tr, .verdict, figure, .statement { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  .verdict, .statement, tr.taken td, tr.differs td, tr.superseded td, svg.diagram * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
`);
