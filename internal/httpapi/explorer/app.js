// The Liaison explorer: a page over the relayer's HTTP API. No framework
// and nothing fetched from elsewhere: it is served from the binary.
"use strict";

const view = document.getElementById("view");

function token() { return sessionStorage.getItem("liaison-token") || ""; }

async function api(path, opts = {}) {
  const headers = Object.assign({}, opts.headers || {});
  if (token()) headers["Authorization"] = "Bearer " + token();
  const resp = await fetch("/api/v1" + path, Object.assign({}, opts, { headers }));
  const text = await resp.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = text; }
  if (!resp.ok && resp.status !== 202) {
    const msg = body && body.error ? body.error : resp.status + " " + resp.statusText;
    const err = new Error(msg);
    err.status = resp.status;
    throw err;
  }
  return body;
}

function esc(s) {
  return String(s === undefined || s === null ? "" : s).replace(/[&<>"']/g, c =>
    ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
function when(t) { return t ? new Date(t).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z") : "–"; }
function state(s) { return `<span class="state ${esc(s)}">${esc(s)}</span>`; }
function ms(v) { return v >= 1000 ? (v / 1000).toFixed(2) + " s" : v.toFixed(v < 10 ? 2 : 0) + " ms"; }
function fail(e) { view.innerHTML = `<div class="error" id="error">${esc(e.message)}</div>`; }
function link(id) { return `<a class="mono" href="#/record/${esc(id)}">${esc(id.slice(0, 16))}…</a>`; }

function recordRows(records) {
  if (!records.length) return `<p class="note">No records.</p>`;
  return `<table class="records"><tr><th>Record</th><th>Route</th><th>State</th><th>Source</th><th>Destination</th><th>Observed</th></tr>` +
    records.map(r => `<tr><td>${link(r.id)}</td><td><a href="#/route/${esc(r.route)}">${esc(r.route)}</a></td><td>${state(r.state)}</td>
      <td>${esc(r.source.chain)} <span class="mono">${esc(r.source.tx)}</span></td>
      <td>${esc(r.destination.chain)} <span class="mono">${esc(r.destination.tx || "")}</span></td><td>${when(r.observed_at)}</td></tr>`).join("") +
    `</table>`;
}

async function home() {
  const [routes, chains] = await Promise.all([api("/routes"), api("/chains")]);
  view.innerHTML = `<h1>Routes</h1>
    <table id="routes"><tr><th>Route</th><th>Source → destination</th><th>Backlog</th><th>Dead</th><th>Lag</th><th>Last progress</th><th>Status</th></tr>
    ${routes.map(r => `<tr><td><a href="#/route/${esc(r.route)}">${esc(r.route)}</a></td><td>${esc(r.source_chain)} → ${esc(r.dest_chain)}
      ${r.ordering === "ordered" ? " (ordered)" : ""}${r.batching ? " (batches)" : ""}</td><td>${r.backlog}</td><td>${r.dead}</td><td>${r.lag}</td>
      <td>${when(r.last_progress)}</td><td>${r.halted ? state("halted") : state("running")}</td></tr>`).join("")}
    </table>
    <h2>Chains</h2>
    <table id="chains"><tr><th>Chain</th><th>Trust model</th><th>Anchor height</th><th>Anchor digest</th><th>Trust expires</th></tr>
    ${chains.map(c => `<tr><td>${esc(c.chain)}</td><td>${esc(c.anchor ? c.anchor.scheme : "–")}</td><td>${c.anchor ? c.anchor.height : "–"}</td>
      <td class="mono">${esc(c.anchor ? c.anchor.digest : "")}</td><td>${c.trust_expires ? when(c.trust_expires) : "does not expire"}</td></tr>`).join("")}
    </table>
    <h2>Latest records</h2><div id="latest"></div>`;
  const page = await api("/records?limit=20");
  document.getElementById("latest").innerHTML = recordRows(page.records);
}

// legChart draws p50/p95/p99 of each leg as horizontal bars (SVG).
function legChart(stages) {
  const legs = stages.filter(s => s.n > 0);
  if (!legs.length) return `<p class="note">No confirmed records in the window.</p>`;
  const max = Math.max(...legs.map(s => s.p99_ms), 1);
  const rowH = 42, left = 140, width = 520;
  const colors = { p50_ms: "#4f8fd6", p95_ms: "#f0a53a", p99_ms: "#d6544f" };
  let y = 10, out = "";
  for (const s of legs) {
    out += `<text x="0" y="${y + 12}">${esc(s.stage)}</text>`;
    ["p50_ms", "p95_ms", "p99_ms"].forEach((k, i) => {
      const w = Math.max(1, (s[k] / max) * width);
      out += `<rect x="${left}" y="${y + i * 11}" width="${w.toFixed(1)}" height="9" fill="${colors[k]}"></rect>
        <text x="${left + w + 4}" y="${y + i * 11 + 8}">${k.slice(0, 3)} ${ms(s[k])}</text>`;
    });
    y += rowH;
  }
  return `<svg id="legs" width="${left + width + 120}" height="${y}" role="img" aria-label="latency per leg">${out}</svg>`;
}

async function route(name) {
  const [routes, stats, dead] = await Promise.all([
    api("/routes"), api("/stats?since=all"), api("/records?state=dead&route=" + encodeURIComponent(name) + "&limit=100")]);
  const r = routes.find(x => x.route === name);
  if (!r) throw new Error("no route " + name);
  const st = stats.routes.find(x => x.route === name) || { records: 0, records_per_s: 0, stages: [] };
  view.innerHTML = `<h1>Route ${esc(name)}</h1>
    <p>${esc(r.source_chain)} → ${esc(r.dest_chain)}, ${esc(r.ordering)}${r.batching ? ", in batches" : ""}${r.halted ? " — " + state("halted") : ""}</p>
    <div class="cards">
      <div class="card"><div class="k">Backlog</div><div class="v" id="backlog">${r.backlog}</div></div>
      <div class="card"><div class="k">Dead</div><div class="v" id="dead-count">${r.dead}</div></div>
      <div class="card"><div class="k">Confirmed</div><div class="v">${st.records}</div></div>
      <div class="card"><div class="k">Rate</div><div class="v">${st.records_per_s.toFixed(1)}/s</div></div>
      <div class="card"><div class="k">Source lag</div><div class="v">${r.lag}</div></div>
      <div class="card"><div class="k">Oldest pending</div><div class="v small">${when(r.oldest_pending)}</div></div>
    </div>
    <h2>Latency per leg (all confirmed records)</h2>${legChart(st.stages)}
    ${st.clock_skew ? `<p class="note">Clock skew: ${st.clock_skew.records} records carry a source time after their observation (up to ${ms(st.clock_skew.max_ms)}).</p>` : ""}
    <h2>Dead records</h2><div id="dead">${deadRows(dead.records)}</div>`;
  view.querySelectorAll("button[data-act]").forEach(b => b.addEventListener("click", () => act(b.dataset.act, b.dataset.id, name)));
}

function deadRows(records) {
  if (!records.length) return `<p class="note">None.</p>`;
  return `<table><tr><th>Record</th><th>Last error</th><th>Attempts</th><th></th></tr>` + records.map(r =>
    `<tr><td>${link(r.id)}</td><td>${esc(r.last_error)}</td><td>${r.attempts}</td>
     <td><button data-act="retry" data-id="${esc(r.id)}">Retry</button> <button class="danger" data-act="skip" data-id="${esc(r.id)}">Skip</button></td></tr>`).join("") +
    `</table>`;
}

async function act(action, id, routeName) {
  let reason = "";
  if (action === "skip") {
    reason = window.prompt("Why skip this record? (kept in the audit log)") || "";
    if (!reason.trim()) return;
  }
  try {
    await api(`/records/${id}/${action}`, { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ route: routeName, reason }) });
    await route(routeName);
  } catch (e) {
    const div = document.getElementById("dead");
    div.insertAdjacentHTML("afterbegin", `<div class="error" id="action-error">${esc(action)}: ${esc(e.message)}</div>`);
  }
}

function trustOf(timeline) {
  const proven = timeline.filter(e => e.stage === "proven").pop();
  const verified = timeline.filter(e => e.stage === "verified").pop();
  return { model: proven ? proven.detail : "", verified: verified ? verified.detail : "" };
}

async function record(id) {
  const d = await api("/records/" + encodeURIComponent(id));
  view.innerHTML = `<h1>Record <span class="mono">${esc(d.id)}</span></h1>` + d.routes.map(r => {
    const t = trustOf(r.timeline);
    return `<section class="on-route">
    <h2>On route <a href="#/route/${esc(r.route)}">${esc(r.route)}</a> ${state(r.state)}</h2>
    <div class="hops">
      <div class="hop"><div class="k note">Source</div><b>${esc(r.source.chain)}</b><br>
        height ${r.source.height}, sequence ${r.source.sequence}<br>tx <span class="mono" id="source-tx">${esc(r.source.tx)}</span><br>
        committed ${when(r.source.time)}</div>
      <div class="arrow">→</div>
      <div class="hop"><div class="k note">Destination</div><b>${esc(r.destination.chain)}</b> (receiver ${esc(r.destination.receiver)})<br>
        tx <span class="mono" id="dest-tx">${esc(r.destination.tx || "not yet")}</span>${r.batch ? `<br>batch <span class="mono">${esc(r.batch)}</span>` : ""}</div>
    </div>
    <h2>Verification</h2>
    <table><tr><th>Trust model</th><td id="trust">${esc(t.model || "not proven yet")}</td></tr>
      <tr><th>Verified</th><td>${esc(t.verified || "not yet")}</td></tr>
      <tr><th>Evidence</th><td>${r.evidence ? `sha256 <span class="mono" id="evidence-sha">${esc(r.evidence.sha256)}</span>, ${r.evidence.bytes} bytes
        <button id="download" data-route="${esc(r.route)}">Download</button>` : "none yet"}</td></tr>
      <tr><th>Attestations</th><td>${r.destination.tx ? `this relayer's, in destination transaction <span class="mono">${esc(r.destination.tx)}</span>` : "none yet"}</td></tr>
      ${r.last_error ? `<tr><th>Last error</th><td>${esc(r.last_error)}</td></tr>` : ""}
      <tr><th>Payload</th><td><span class="note">${esc(r.content_type)}</span> <code id="payload-${r.source.sequence}">${esc(decodePayload(r.payload))}</code></td></tr>
    </table>
    <h2>Timeline</h2>
    <table class="timeline"><tr><th>At</th><th>Stage</th><th>Chain</th><th>Transaction</th><th>Detail</th></tr>
    ${r.timeline.map(e => `<tr><td>${when(e.at)}</td><td>${esc(e.stage)}</td><td>${esc(e.chain || "")}</td><td class="mono">${esc(e.tx_id || "")}</td>
      <td>${esc(e.detail || "")}${e.error ? `<div class="error">${esc(e.error)}</div>` : ""}</td></tr>`).join("")}
    </table></section>`;
  }).join("");
  view.querySelectorAll("#download").forEach(b => b.addEventListener("click", () => download(d.id, b.dataset.route)));
}

function decodePayload(b64) {
  try { return new TextDecoder().decode(Uint8Array.from(atob(b64), c => c.charCodeAt(0))); } catch (e) { return b64; }
}

async function download(id, routeName) {
  const headers = token() ? { Authorization: "Bearer " + token() } : {};
  const resp = await fetch(`/api/v1/records/${id}/evidence?route=${encodeURIComponent(routeName)}`, { headers });
  if (!resp.ok) { fail(new Error("evidence: " + resp.status)); return; }
  const url = URL.createObjectURL(await resp.blob());
  const a = document.createElement("a");
  a.href = url; a.download = `evidence-${id}.json`; document.body.appendChild(a); a.click(); a.remove();
}

async function search(q) {
  q = q.trim();
  if (/^[0-9a-fA-F]{64}$/.test(q)) { location.hash = "#/record/" + q.toLowerCase(); return; }
  const eq = q.indexOf("=");
  let records = [], what = "";
  if (eq > 0 && !q.startsWith("0x")) {
    const field = q.slice(0, eq).trim(), value = q.slice(eq + 1).trim();
    records = (await api(`/records?payload_field=${encodeURIComponent(field)}&payload_value=${encodeURIComponent(value)}&limit=100`)).records;
    what = `payload field ${field} = ${value}`;
  } else {
    const [src, dst] = await Promise.all([api("/records?source_tx=" + encodeURIComponent(q)), api("/records?dest_tx=" + encodeURIComponent(q))]);
    records = src.records.concat(dst.records);
    what = `transaction ${q}`;
  }
  if (records.length === 1) { location.hash = "#/record/" + records[0].id; return; }
  view.innerHTML = `<h1>Search: ${esc(what)}</h1><div id="results">${recordRows(records)}</div>`;
}

async function render() {
  const h = location.hash || "#/";
  try {
    if (h.startsWith("#/record/")) await record(decodeURIComponent(h.slice(9)));
    else if (h.startsWith("#/route/")) await route(decodeURIComponent(h.slice(8)));
    else if (h.startsWith("#/search/")) await search(decodeURIComponent(h.slice(9)));
    else await home();
  } catch (e) { fail(e); }
}

document.getElementById("search").addEventListener("submit", ev => {
  ev.preventDefault();
  const q = document.getElementById("q").value;
  if (q.trim()) location.hash = "#/search/" + encodeURIComponent(q.trim());
});
document.getElementById("token-btn").addEventListener("click", () => {
  const t = window.prompt("Bearer token for the API (kept for this tab only; empty to clear)", token());
  if (t === null) return;
  if (t.trim()) sessionStorage.setItem("liaison-token", t.trim()); else sessionStorage.removeItem("liaison-token");
  render();
});
window.addEventListener("hashchange", render);
render();
