// The console's stylesheet (inline in the page).
export const CONSOLE_STYLE = `
:root { --fg:#1d2329; --muted:#66707a; --line:#dde2e7; --bg:#f5f7f9; --card:#fff; --accent:#2a6ebb; --err:#b3261e; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
.top { display: flex; align-items: baseline; gap: 12px; padding: 12px 24px; background: #1d2329; color: #fff; }
.top h1 { margin: 0; font-size: 18px; }
.top .muted { color: #aab4be; }
.key-form { margin-left: auto; display: flex; gap: 6px; align-items: center; }
main { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; padding: 16px 24px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; min-width: 0; }
.card:nth-child(3), .card:nth-child(4) { grid-column: 1 / -1; }
.card-head { display: flex; align-items: center; gap: 12px; }
.card-head h2 { margin-right: auto; }
h2 { font-size: 15px; margin: 4px 0 10px; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.notice { margin: 12px 24px 0; padding: 8px 12px; border-radius: 6px; background: #fff4e5; border: 1px solid #f0c36d; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
th { font-weight: 600; color: var(--muted); font-size: 12px; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; max-height: 420px; overflow-y: auto; }
.controls { display: flex; gap: 12px; }
.charts { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; }
/* A grid item is as wide as its content by default: without this an SVG at width 100% grows without bound. */
.chart { min-width: 0; }
.table-wrap { overflow-x: auto; }
figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: 4px; }
.chart svg { width: 100%; height: auto; display: block; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 12px; margin-top: 4px; }
/* Ids as sent can be long (up to 2,048 characters) and many: cut them, scroll the list. */
.legend { max-height: 96px; overflow-y: auto; }
.legend span { max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.totals { display: flex; gap: 24px; margin-bottom: 8px; }
.totals div { display: flex; flex-direction: column; }
.totals b { font-size: 18px; }
.playground { display: grid; grid-template-columns: 70px 1fr; gap: 8px; align-items: start; }
.playground .row { grid-column: 2; display: flex; gap: 12px; align-items: center; }
textarea, select, input { font: inherit; padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px; }
button { font: inherit; padding: 4px 14px; border-radius: 4px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button[disabled] { opacity: .5; cursor: default; }
.link { background: none; border: none; color: var(--accent); padding: 0; text-decoration: underline; }
.output { min-height: 60px; background: #0f1417; color: #e6edf3; padding: 10px; border-radius: 6px; white-space: pre-wrap; word-break: break-word; margin: 10px 0 0; }
.output.error, .status-error { color: var(--err); }
.output.error { background: #fdecea; }
.detail { margin-top: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
.detail pre { background: #f0f3f6; padding: 8px; border-radius: 6px; max-height: 320px; overflow: auto; font-size: 12px; }
.detail .cols { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
tr.selected td { background: #eaf2fb; }
.empty { color: var(--muted); padding: 24px 0; text-align: center; }
@media (max-width: 900px) { main, .charts, .detail .cols { grid-template-columns: 1fr; } }
`;
