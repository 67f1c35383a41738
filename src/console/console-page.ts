// GET /_basalt/console: one self-contained page (markup, style and script inline; no build step, no CDN).
// The page holds no data, so it is served without the admin key; its script fetches everything from the
// admin API with the key (/_basalt/console/models, /_basalt/usage, /_basalt/calls), and the playground
// streams a real ConverseStream through the runtime front door.
import { CONSOLE_SCRIPT } from "./console-script.js";
import { CONSOLE_STYLE } from "./console-style.js";

export interface ConsoleModel {
  id: string;
  provider: string;
  providerType: string;
  upstreamModel: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function renderConsolePage(opts: { version: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Basalt console</title>
<link rel="icon" href="data:,">
<style>${CONSOLE_STYLE}</style>
</head>
<body>
<header class="top">
  <h1>Basalt <span class="muted">console</span></h1>
  <span class="muted small">v${escapeHtml(opts.version)}</span>
  <form id="key-form" class="key-form" hidden>
    <label for="admin-key">Admin key</label>
    <input id="admin-key" type="password" autocomplete="off">
    <label for="api-key">API key</label>
    <input id="api-key" type="password" autocomplete="off" placeholder="for the playground">
    <button type="submit">Use keys</button>
  </form>
</header>
<p id="notice" class="notice" role="status" hidden></p>
<main>
  <section class="card" aria-labelledby="models-title">
    <h2 id="models-title">Served models</h2>
    <div class="table-wrap"><table id="models-table">
      <thead><tr><th scope="col">Model id</th><th scope="col">Provider</th><th scope="col">Type</th><th scope="col">Upstream model</th></tr></thead>
      <tbody></tbody>
    </table></div>
  </section>

  <section class="card" aria-labelledby="playground-title">
    <h2 id="playground-title">Playground</h2>
    <form id="playground" class="playground">
      <label for="pg-model">Model</label>
      <select id="pg-model"></select>
      <label for="pg-prompt">Prompt</label>
      <textarea id="pg-prompt" rows="3" placeholder="Say something to the model"></textarea>
      <div class="row"><button id="pg-send" type="submit">Send</button><span id="pg-status" class="muted small"></span></div>
    </form>
    <pre id="pg-output" class="output" aria-live="polite" aria-label="Answer"></pre>
  </section>

  <section class="card" aria-labelledby="usage-title">
    <div class="card-head">
      <h2 id="usage-title">Usage</h2>
      <div class="controls">
        <label>Range <select id="range">
          <option value="15m">last 15 minutes</option><option value="1h">last hour</option><option value="24h">last 24 hours</option>
          <option value="7d">last 7 days</option><option value="30d">last 30 days</option>
        </select></label>
        <label>Show <select id="metric">
          <option value="requests">requests</option><option value="tokens">tokens</option>
          <option value="costUsd">cost (USD)</option><option value="p95LatencyMs">p95 latency (ms)</option>
        </select></label>
      </div>
    </div>
    <div id="totals" class="totals" aria-live="polite"></div>
    <div class="charts">
      <figure><figcaption>By model</figcaption><div id="chart-model" class="chart"></div></figure>
      <figure><figcaption>By caller</figcaption><div id="chart-caller" class="chart"></div></figure>
    </div>
  </section>

  <section class="card" aria-labelledby="calls-title">
    <div class="card-head">
      <h2 id="calls-title">Recent calls</h2>
      <button id="calls-refresh" type="button">Refresh</button>
    </div>
    <div class="scroll">
      <table id="calls-table">
        <thead><tr>
          <th scope="col">Time</th><th scope="col">Operation</th><th scope="col">Model</th><th scope="col">Caller</th>
          <th scope="col">Status</th><th scope="col" class="num">Latency ms</th><th scope="col" class="num">TTFT ms</th>
          <th scope="col" class="num">Tokens in/out</th><th scope="col" class="num">Cost USD</th>
        </tr></thead>
        <tbody></tbody>
      </table>
    </div>
    <section id="call-detail" class="detail" aria-label="Call detail" hidden></section>
  </section>
</main>
<script>${CONSOLE_SCRIPT}</script>
</body>
</html>
`;
}
