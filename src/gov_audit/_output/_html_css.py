"""The style sheet inlined into every HTML report (no external resources: it works offline)."""

CSS = """
:root { --err: #b42318; --err-bg: #fde4e1; --warn: #a15c07; --warn-bg: #fef0c7; --info: #175cd3;
  --info-bg: #e4eefc; --line: #d0d5dd; --muted: #667085; --head: #f2f4f7; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1500px; padding: 24px 28px 60px; color: #101828; background: #fff;
  font: 14px/1.6 -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC",
  "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 0 0 6px; word-break: break-all; }
h3 { font-size: 15px; margin: 18px 0 6px; }
a { color: #1849a9; }
code { font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; background: var(--head); padding: 0 4px;
  border-radius: 3px; }
.muted, .meta { color: var(--muted); }
.totals { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0 20px; }
.totals span { border: 1px solid var(--line); border-radius: 8px; padding: 6px 12px; }
.totals b { font-size: 18px; margin-right: 4px; }
.legend { font-size: 13px; color: var(--muted); margin: 4px 0 16px; }
.legend i { display: inline-block; width: 14px; height: 14px; vertical-align: -2px; margin: 0 3px 0 10px;
  border: 1px solid var(--line); }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: 4px 8px; vertical-align: middle; }
th { background: var(--head); font-weight: 600; }
table.summary { width: 100%; margin-bottom: 28px; }
table.summary td.n { text-align: right; font-variant-numeric: tabular-nums; }
table.summary tr.row-error td.errors, .count-error { color: var(--err); font-weight: 700; }
table.summary tr.row-warning td.warnings { color: var(--warn); font-weight: 700; }
table.summary tr.row-failed td { background: #f9fafb; color: var(--muted); }
.status { white-space: nowrap; border-radius: 10px; padding: 1px 8px; font-size: 12px; }
.status-ok { background: #dcfae6; color: #067647; }
.status-partial { background: var(--warn-bg); color: var(--warn); }
.status-failed { background: #eaecf0; color: #344054; }
section.report { border-top: 3px solid var(--line); padding-top: 16px; margin-top: 28px; }
section.report.has-errors { border-top-color: var(--err); }
.pair { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.grid-wrap { overflow-x: auto; max-width: 100%; }
table.grid td.label { min-width: 15em; max-width: 26em; }
table.grid td.lvl1 { padding-left: 22px; }
table.grid td.lvl2 { padding-left: 40px; }
table.grid tr.heading td { background: #fcfcfd; font-weight: 600; }
table.grid td.v { min-width: 4.2em; text-align: right; font-variant-numeric: tabular-nums; position: relative; }
table.grid td.blank { background: repeating-linear-gradient(135deg, #fff 0 5px, #f2f4f7 5px 10px);
  color: var(--muted); }
table.grid td.missing { color: var(--muted); }
table.grid td.inferred { text-decoration: underline dotted; }
table.grid td.flag-info { background: var(--info-bg); }
table.grid td.flag-warning { background: var(--warn-bg); }
table.grid td.flag-error { background: var(--err-bg); color: var(--err); font-weight: 700; }
td.suspect { outline: 3px solid var(--err); outline-offset: -3px; }
td.v sup.mark { font-size: 10px; margin-left: 3px; }
td.v sup.mark a { color: inherit; text-decoration: none; background: #fff; border: 1px solid currentColor;
  border-radius: 8px; padding: 0 4px; }
td.v .fix { display: block; font-size: 11px; color: var(--err); font-weight: 400; }
aside.notes { flex: 1 1 340px; min-width: 300px; max-width: 640px; }
ol.notes { margin: 0; padding-left: 0; list-style: none; }
li.note { border-left: 4px solid var(--line); background: #fcfcfd; padding: 6px 10px; margin: 0 0 8px;
  border-radius: 0 6px 6px 0; }
li.note-error { border-left-color: var(--err); }
li.note-warning { border-left-color: #f79009; }
li.note-info { border-left-color: var(--info); }
li.note p { margin: 2px 0; }
li.note .num { font-weight: 700; margin-right: 4px; }
.sev { border-radius: 4px; padding: 0 6px; font-size: 12px; color: #fff; margin-right: 4px; }
.sev-error { background: var(--err); }
.sev-warning { background: #dc6803; }
.sev-info { background: var(--info); }
li.note .cells, li.note .suspects, li.note .suggest { font-size: 13px; }
li.note .suspects, li.note .suggest { color: var(--err); }
li.note:target { box-shadow: 0 0 0 2px #1849a9; }
details.infos summary { cursor: pointer; color: var(--info); font-size: 13px; margin-bottom: 6px; }
.reason { background: #f2f4f7; border-radius: 6px; padding: 8px 12px; }
@media print { body { max-width: none; padding: 0; } section.report { break-before: page; }
  .grid-wrap { overflow: visible; } }
"""
