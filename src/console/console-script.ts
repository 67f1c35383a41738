// The console's script, inline in the page: plain browser JavaScript, no framework, no build. It is a string
// here (tsc has no DOM types in this project), tested in headless Chromium by test/observe/console.itest.ts.
// Written without template literals so it can sit inside this file's own.
export const CONSOLE_SCRIPT = String.raw`
(function () {
  "use strict";
  var KEY = "basaltAdminKey", API_KEY = "basaltApiKey";
  var COLORS = ["#2a6ebb", "#e07b00", "#2e8b57", "#b3261e", "#7b4fb8", "#00838f", "#c2185b", "#6d7a00", "#5d4037", "#455a64"];
  var RANGES = { "15m": [900e3, "minute", 60e3], "1h": [3600e3, "minute", 60e3], "24h": [86400e3, "hour", 3600e3], "7d": [7 * 86400e3, "day", 86400e3], "30d": [30 * 86400e3, "day", 86400e3] };
  var SVGNS = "http://www.w3.org/2000/svg";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "class") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS(SVGNS, tag);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    return node;
  }
  // Admin routes take the admin key; the playground's model call takes an API key (auth.keys[].apiKey).
  function authHeaders(extra, which) {
    var h = extra || {};
    var key = sessionStorage.getItem(which || KEY);
    if (key) h.authorization = "Bearer " + key;
    return h;
  }
  function notice(text) {
    var n = document.getElementById("notice");
    n.hidden = !text;
    n.textContent = text || "";
  }
  function getJson(path) {
    return fetch(path, { headers: authHeaders() }).then(function (res) {
      if (res.status === 401 || res.status === 403) {
        document.getElementById("key-form").hidden = false;
        throw new Error("The admin API needs the admin key (enter it above).");
      }
      return res.json().then(function (body) {
        if (!res.ok) throw new Error((body && body.message) || ("HTTP " + res.status));
        return body;
      });
    });
  }
  function fmt(n, digits) {
    if (n === null || n === undefined) return "";
    if (typeof n !== "number") return String(n);
    return digits === undefined ? n.toLocaleString("en-US") : n.toFixed(digits);
  }
  function usd(n) {
    if (n === null || n === undefined) return "";
    return n === 0 ? "0" : n < 0.01 ? n.toPrecision(3) : n.toFixed(4);
  }

  // ---- served models
  var modelBody = document.querySelector("#models-table tbody");
  var pgModel = document.getElementById("pg-model");
  function loadModels() {
    return getJson("/_basalt/console/models").then(function (models) {
      var chosen = pgModel.value;
      modelBody.textContent = "";
      pgModel.textContent = "";
      models.forEach(function (m) {
        modelBody.appendChild(el("tr", {}, [el("td", { text: m.id }), el("td", { text: m.provider }), el("td", { text: m.providerType }), el("td", { text: m.upstreamModel })]));
        pgModel.appendChild(el("option", { value: m.id, text: m.id }));
      });
      var pick = models.filter(function (m) { return m.id === chosen; })[0] || models.filter(function (m) { return m.id === "basalt.echo"; })[0];
      if (pick) pgModel.value = pick.id;
    }).catch(function (err) { notice(err.message); });
  }

  // ---- usage charts
  function metricOf(row, metric) {
    if (metric === "tokens") return row.inputTokens + row.outputTokens;
    return row[metric];
  }
  function drawChart(container, rows, dim, bucketDim, metric, startMs, stepMs, label) {
    container.textContent = "";
    var buckets = [];
    for (var t = Math.floor(startMs / stepMs) * stepMs; t <= Date.now(); t += stepMs) buckets.push(t);
    var groups = [];
    rows.forEach(function (r) { if (groups.indexOf(r[dim]) < 0) groups.push(r[dim]); });
    groups.sort();
    var stacked = metric !== "p95LatencyMs";
    var cell = {};
    rows.forEach(function (r) { cell[Date.parse(r[bucketDim].length === 10 ? r[bucketDim] + "T00:00Z" : r[bucketDim]) + "|" + r[dim]] = metricOf(r, metric) || 0; });
    var max = 0;
    buckets.forEach(function (b) {
      var sum = 0;
      groups.forEach(function (g) { var v = cell[b + "|" + g] || 0; sum = stacked ? sum + v : Math.max(sum, v); });
      max = Math.max(max, sum);
    });
    var W = 560, H = 200, L = 48, B = 22, T = 8, R = 8;
    var s = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": label, "data-groups": String(groups.length) });
    s.appendChild(svg("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#bbb" }));
    s.appendChild(svg("line", { x1: L, y1: T, x2: L, y2: H - B, stroke: "#bbb" }));
    var yMax = svg("text", { x: L - 4, y: T + 8, "text-anchor": "end", "font-size": "10", fill: "#66707a" });
    yMax.textContent = metric === "costUsd" ? usd(max) : fmt(Math.round(max * 100) / 100);
    s.appendChild(yMax);
    var zero = svg("text", { x: L - 4, y: H - B, "text-anchor": "end", "font-size": "10", fill: "#66707a" });
    zero.textContent = "0";
    s.appendChild(zero);
    var slot = (W - L - R) / Math.max(1, buckets.length);
    var plotH = H - B - T;
    buckets.forEach(function (b, i) {
      var x0 = L + i * slot + slot * 0.1, width = slot * 0.8, y = H - B;
      groups.forEach(function (g, gi) {
        var v = cell[b + "|" + g];
        if (!v || !max) return;
        var h = (v / max) * plotH;
        var rect;
        if (stacked) {
          y -= h;
          rect = svg("rect", { x: x0, y: y, width: Math.max(1, width), height: h, fill: COLORS[gi % COLORS.length] });
        } else {
          var w = width / groups.length;
          rect = svg("rect", { x: x0 + gi * w, y: H - B - h, width: Math.max(1, w), height: h, fill: COLORS[gi % COLORS.length] });
        }
        rect.setAttribute("data-group", g);
        rect.setAttribute("data-value", String(v));
        var tip = svg("title", {});
        tip.textContent = g + " @ " + new Date(b).toISOString().replace("T", " ").slice(0, 16) + ": " + (metric === "costUsd" ? usd(v) : fmt(v));
        rect.appendChild(tip);
        s.appendChild(rect);
      });
    });
    [0, Math.floor(buckets.length / 2), buckets.length - 1].forEach(function (i, n) {
      if (i < 0 || (n > 0 && i === 0)) return;
      var tx = svg("text", { x: L + i * slot + slot / 2, y: H - 6, "text-anchor": n === 0 ? "start" : n === 2 ? "end" : "middle", "font-size": "10", fill: "#66707a" });
      var d = new Date(buckets[i]).toISOString();
      tx.textContent = bucketDim === "day" ? d.slice(5, 10) : d.slice(11, 16);
      s.appendChild(tx);
    });
    container.appendChild(s);
    if (!groups.length) container.appendChild(el("p", { class: "empty", text: "No calls in this range yet." }));
    var legend = el("div", { class: "legend" });
    groups.forEach(function (g, gi) {
      var total = 0;
      buckets.forEach(function (b) { total += cell[b + "|" + g] || 0; });
      var sw = el("i");
      sw.style.background = COLORS[gi % COLORS.length];
      legend.appendChild(el("span", { "data-group": g, title: g || "(none)" }, [sw, g || "(none)"]));
    });
    container.appendChild(legend);
  }
  function loadUsage() {
    var range = RANGES[document.getElementById("range").value];
    var metric = document.getElementById("metric").value;
    var from = Date.now() - range[0];
    var q = "/_basalt/usage?from=" + new Date(from).toISOString() + "&groupBy=";
    return Promise.all([
      getJson(q + range[1] + ",model"), getJson(q + range[1] + ",caller"), getJson(q + "model"),
    ]).then(function (res) {
      drawChart(document.getElementById("chart-model"), res[0], "model", range[1], metric, from, range[2], "Usage by model over time");
      drawChart(document.getElementById("chart-caller"), res[1], "caller", range[1], metric, from, range[2], "Usage by caller over time");
      var t = { requests: 0, errors: 0, tokens: 0, cost: 0, priced: false };
      res[2].forEach(function (r) {
        t.requests += r.requests; t.errors += r.errors; t.tokens += r.inputTokens + r.outputTokens;
        if (r.costUsd !== null) { t.cost += r.costUsd; t.priced = true; }
      });
      var totals = document.getElementById("totals");
      totals.textContent = "";
      [["Requests", fmt(t.requests)], ["Errors", fmt(t.errors)], ["Tokens", fmt(t.tokens)], ["Cost USD", t.priced ? usd(t.cost) : "n/a"]].forEach(function (p) {
        totals.appendChild(el("div", {}, [el("span", { class: "muted small", text: p[0] }), el("b", { text: p[1] })]));
      });
      notice("");
    }).catch(function (err) { notice(err.message); });
  }

  // ---- recent calls
  var callsBody = document.querySelector("#calls-table tbody");
  var detail = document.getElementById("call-detail");
  var lastCalls = [];
  function showCall(call, tr) {
    Array.prototype.forEach.call(callsBody.children, function (r) { r.classList.remove("selected"); });
    tr.classList.add("selected");
    detail.hidden = false;
    detail.textContent = "";
    var meta = {};
    for (var k in call) if (k !== "request" && k !== "response") meta[k] = call[k];
    detail.appendChild(el("h3", { text: call.operation + " " + (call.modelId || call.requestedModelId || "") + " — " + call.requestId }));
    detail.appendChild(el("pre", { "aria-label": "Call record", text: JSON.stringify(meta, null, 2) }));
    detail.appendChild(el("div", { class: "cols" }, [
      el("div", {}, [el("h4", { text: "Request" }), el("pre", { "aria-label": "Request", text: call.request === undefined ? "(no body kept: server.history.bodies is off or the call left the ring)" : JSON.stringify(call.request, null, 2) })]),
      el("div", {}, [el("h4", { text: "Response" }), el("pre", { "aria-label": "Response", text: call.response === undefined ? "(no body kept)" : JSON.stringify(call.response, null, 2) })]),
    ]));
  }
  function loadCalls() {
    return getJson("/_basalt/calls?limit=50").then(function (calls) {
      lastCalls = calls;
      callsBody.textContent = "";
      if (!calls.length) callsBody.appendChild(el("tr", {}, [el("td", { colspan: "9", class: "empty", text: "No calls yet." })]));
      calls.forEach(function (c) {
        var open = el("button", { type: "button", class: "link", text: c.endedAt.slice(11, 19), title: "Open " + c.requestId });
        var status = c.errorName ? c.errorName : c.clientGone ? "client gone" : String(c.status || "ok");
        var tr = el("tr", { "data-request-id": c.requestId }, [
          el("td", {}, [open]), el("td", { text: c.operation }), el("td", { text: c.modelId || c.requestedModelId || "" }),
          el("td", { text: c.caller }), el("td", { text: status, class: c.errorName ? "status-error" : "" }),
          el("td", { class: "num", text: fmt(c.latencyMs) }), el("td", { class: "num", text: fmt(c.timeToFirstTokenMs) }),
          el("td", { class: "num", text: c.inputTokens === undefined ? "" : fmt(c.inputTokens) + " / " + fmt(c.outputTokens) }),
          el("td", { class: "num", text: usd(c.costUsd) }),
        ]);
        open.addEventListener("click", function () { showCall(c, tr); });
        callsBody.appendChild(tr);
      });
    }).catch(function (err) { notice(err.message); });
  }

  // ---- playground: ConverseStream through the real front door, AWS event-stream frames decoded here
  var utf8 = new TextDecoder();
  function readHeaders(bytes) {
    var view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), i = 0, out = {};
    while (i < bytes.length) {
      var nameLen = bytes[i]; i += 1;
      var name = utf8.decode(bytes.subarray(i, i + nameLen)); i += nameLen;
      var type = bytes[i]; i += 1;
      var value = null;
      if (type === 0 || type === 1) value = type === 0;
      else if (type === 2) { value = view.getInt8(i); i += 1; }
      else if (type === 3) { value = view.getInt16(i); i += 2; }
      else if (type === 4) { value = view.getInt32(i); i += 4; }
      else if (type === 5 || type === 8) { value = Number(view.getBigInt64(i)); i += 8; }
      else if (type === 6 || type === 7) { var n = view.getUint16(i); i += 2; value = type === 7 ? utf8.decode(bytes.subarray(i, i + n)) : bytes.subarray(i, i + n); i += n; }
      else if (type === 9) { value = bytes.subarray(i, i + 16); i += 16; }
      else throw new Error("unknown event-stream header type " + type);
      out[name] = value;
    }
    return out;
  }
  // Frames: total length (4) | headers length (4) | prelude CRC (4) | headers | payload | message CRC (4).
  // TCP already guards the bytes, so the CRCs are not checked here.
  function frameSplitter(onFrame) {
    var buf = new Uint8Array(0);
    return function (chunk) {
      var joined = new Uint8Array(buf.length + chunk.length);
      joined.set(buf); joined.set(chunk, buf.length); buf = joined;
      while (buf.length >= 12) {
        var view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
        var total = view.getUint32(0), headersLen = view.getUint32(4);
        if (buf.length < total) break;
        var headers = readHeaders(buf.subarray(12, 12 + headersLen));
        var payload = buf.subarray(12 + headersLen, total - 4);
        onFrame(headers, payload.length ? JSON.parse(utf8.decode(payload)) : {});
        buf = buf.subarray(total);
      }
    };
  }
  function setStatus(text) { document.getElementById("pg-status").textContent = text; }
  document.getElementById("playground").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var prompt = document.getElementById("pg-prompt").value;
    var modelId = pgModel.value;
    var out = document.getElementById("pg-output");
    var send = document.getElementById("pg-send");
    if (!prompt.trim()) { setStatus("Type a prompt first."); return; }
    out.textContent = ""; out.classList.remove("error");
    send.disabled = true;
    setStatus("streaming…");
    var started = performance.now(), first = 0, stop = "", usage = null;
    fetch("/model/" + encodeURIComponent(modelId) + "/converse-stream", {
      method: "POST",
      headers: authHeaders({ "content-type": "application/json", accept: "application/vnd.amazon.eventstream" }, API_KEY),
      body: JSON.stringify({ messages: [{ role: "user", content: [{ text: prompt }] }] }),
    }).then(function (res) {
      if (!res.ok) {
        return res.json().then(function (body) {
          var type = (res.headers.get("x-amzn-errortype") || "").split(":")[0];
          throw new Error((type || "HTTP " + res.status) + ": " + (body.message || body.Message || ""));
        });
      }
      var split = frameSplitter(function (headers, body) {
        if (headers[":message-type"] === "exception") throw new Error(headers[":exception-type"] + ": " + body.message);
        var type = headers[":event-type"];
        if (type === "contentBlockDelta" && body.delta) {
          if (!first) first = performance.now();
          if (typeof body.delta.text === "string") out.textContent += body.delta.text;
          else if (body.delta.toolUse) out.textContent += body.delta.toolUse.input;
          else if (body.delta.reasoningContent && body.delta.reasoningContent.text) out.textContent += body.delta.reasoningContent.text;
        } else if (type === "messageStop") stop = body.stopReason;
        else if (type === "metadata") usage = body.usage;
      });
      var reader = res.body.getReader();
      function pump() {
        return reader.read().then(function (r) {
          if (r.done) return;
          split(r.value);
          return pump();
        });
      }
      return pump();
    }).then(function () {
      setStatus("done · " + (stop || "?") + (usage ? " · " + usage.inputTokens + " in / " + usage.outputTokens + " out" : "") +
        " · first token " + Math.round((first || performance.now()) - started) + " ms · total " + Math.round(performance.now() - started) + " ms");
    }).catch(function (err) {
      out.classList.add("error");
      out.textContent += (out.textContent ? "\n" : "") + err.message;
      setStatus("failed");
    }).then(function () {
      send.disabled = false;
      return Promise.all([loadCalls(), loadUsage()]);
    });
  });

  // ---- wiring
  document.getElementById("key-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    sessionStorage.setItem(KEY, document.getElementById("admin-key").value);
    sessionStorage.setItem(API_KEY, document.getElementById("api-key").value);
    refresh();
  });
  document.getElementById("range").addEventListener("change", loadUsage);
  document.getElementById("metric").addEventListener("change", loadUsage);
  document.getElementById("calls-refresh").addEventListener("click", function () { loadCalls(); loadUsage(); });
  function refresh() { return Promise.all([loadModels(), loadUsage(), loadCalls()]); }
  refresh().then(function () { document.body.setAttribute("data-ready", "true"); });
  setInterval(function () { if (!document.hidden) refresh(); }, 15000);
})();
`;
