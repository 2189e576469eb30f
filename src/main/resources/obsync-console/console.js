// The task console: draws /obsync/status every two seconds and sends the actions the task's MBean offers.
// No library and nothing from elsewhere: the page works offline and under a strict Content-Security-Policy.
"use strict";

const REFRESH_MILLIS = 2000;

function byId(id) {
  return document.getElementById(id);
}

function text(id, value) {
  byId(id).textContent = value;
}

function number(n) {
  return Number(n).toLocaleString("en-US");
}

function duration(millis) {
  if (millis < 1000) {
    return millis + " ms";
  }
  if (millis < 120000) {
    return (millis / 1000).toFixed(1) + " s";
  }
  return Math.round(millis / 60000) + " min";
}

function cell(row, value, numeric) {
  const td = document.createElement("td");
  td.textContent = value;
  if (numeric) {
    td.className = "num";
  }
  row.appendChild(td);
}

function rows(tbodyId, items, columns) {
  const body = byId(tbodyId);
  body.replaceChildren();
  for (const item of items) {
    const tr = document.createElement("tr");
    columns.forEach((column, i) => cell(tr, i === 0 ? item[column] : number(item[column]), i > 0));
    body.appendChild(tr);
  }
}

// events per second between consecutive samples of a counter
function rates(samples, field) {
  const out = [];
  for (let i = 1; i < samples.length; i++) {
    const seconds = (samples[i].time - samples[i - 1].time) / 1000;
    out.push(seconds > 0 ? Math.max(0, (samples[i][field] - samples[i - 1][field]) / seconds) : 0);
  }
  return out;
}

function draw(samples) {
  const read = rates(samples, "eventsRead");
  const ack = rates(samples, "eventsAcknowledged");
  const top = Math.max(1, ...read, ...ack);
  const points = values => values.map((v, i) => (values.length < 2 ? 0 : (i * 600) / (values.length - 1)).toFixed(1) + ","
      + (115 - (v / top) * 110).toFixed(1)).join(" ");
  byId("line-read").setAttribute("points", points(read));
  byId("line-ack").setAttribute("points", points(ack));
  text("rate-now", read.length === 0 ? "Collecting samples (one every 5 s)."
      : "Now: " + number(Math.round(read[read.length - 1])) + " read/s, " + number(Math.round(ack[ack.length - 1]))
        + " acknowledged/s; highest shown " + number(Math.round(top)) + "/s.");
}

function render(status) {
  text("task", status.task);
  const state = byId("state");
  state.textContent = status.state;
  state.dataset.state = status.state;
  text("phase", status.phase);
  text("role", status.role);
  const failure = byId("failure");
  failure.hidden = status.state !== "FAILED";
  failure.textContent = status.state === "FAILED" ? "Failed: " + status.lastError : "";
  text("delay", duration(status.delayMillis));
  text("position", status.position);
  text("read", number(status.counters.eventsRead));
  text("acknowledged", number(status.counters.eventsAcknowledged));
  text("rows", number(status.counters.rowChangesAcknowledged));
  text("failures", number(status.counters.failedSends) + " / " + number(status.counters.resends));
  draw(status.samples);
  rows("tables", status.tables, ["name", "in", "filtered", "out"]);
  rows("topics", status.topics, ["name", "in", "filtered", "out"]);
  const fullSync = status.fullSync.tables;
  byId("fullsync-section").hidden = fullSync.length === 0;
  text("fullsync-current", !status.fullSync.currentTable ? ""
      : (status.phase === "FULL" ? "reading " : "read last: ") + status.fullSync.currentTable);
  const body = byId("fullsync");
  body.replaceChildren();
  for (const t of fullSync) {
    const tr = document.createElement("tr");
    cell(tr, t.table, false);
    cell(tr, number(t.rows), true);
    cell(tr, "~" + number(Math.max(t.rows, t.estimate)), true);
    // an estimate of 0 (an empty table, or statistics not yet gathered) gives no share
    cell(tr, t.estimate > 0 ? Math.min(100, Math.round((100 * t.rows) / t.estimate)) + " %" : t.rows > 0 ? "100 %" : "–", true);
    body.appendChild(tr);
  }
  const errors = byId("errors");
  errors.replaceChildren();
  for (const e of status.errors.slice().reverse()) {
    const li = document.createElement("li");
    li.textContent = new Date(e.time).toISOString() + (e.times > 1 ? " (" + e.times + " times)" : "") + ": " + e.message;
    errors.appendChild(li);
  }
  if (status.errors.length === 0) {
    const li = document.createElement("li");
    li.textContent = "None.";
    errors.appendChild(li);
  }
  const config = byId("configuration");
  config.replaceChildren();
  for (const [key, value] of Object.entries(status.configuration)) {
    const tr = document.createElement("tr");
    cell(tr, key, false);
    cell(tr, value, false);
    config.appendChild(tr);
  }
  text("actions-note", status.actions
      ? "Actions need a user with the control role (readwrite in obsync.jmx.access-file)."
      : "Read-only: set obsync.jmx.password-file (and obsync.jmx.access-file) to allow actions.");
  for (const id of ["pause", "resume", "resync", "throttle"]) {
    byId(id).disabled = !status.actions;
  }
  if (!throttleShown) {
    byId("t-full-records").value = status.throttle.fullRecordsPerSecond;
    byId("t-full-bytes").value = status.throttle.fullBytesPerSecond;
    byId("t-inc-records").value = status.throttle.incrementalRecordsPerSecond;
    byId("t-inc-bytes").value = status.throttle.incrementalBytesPerSecond;
    throttleShown = true;
  }
  text("updated", "updated " + new Date().toLocaleTimeString());
}

let throttleShown = false;

async function refresh() {
  try {
    const response = await fetch("status", {cache: "no-store"});
    if (response.ok) {
      render(await response.json());
    } else {
      text("updated", "status answered " + response.status);
    }
  } catch (e) {
    text("updated", "the task does not answer (" + e.message + ")");
  }
}

async function act(action, body) {
  const result = byId("action-result");
  const user = byId("user").value;
  const password = byId("password").value;
  const headers = {"Content-Type": "application/json", "X-Obsync-Console": "1"};
  if (user !== "") {
    headers.Authorization = "Basic " + btoa(unescape(encodeURIComponent(user + ":" + password)));
  }
  try {
    const response = await fetch("actions/" + action, {method: "POST", headers: headers, body: JSON.stringify(body || {})});
    const answer = await response.json();
    result.textContent = answer.message;
    result.className = answer.ok ? "ok" : "refused";
  } catch (e) {
    result.textContent = "The " + action + " action got no answer: " + e.message;
    result.className = "refused";
  }
  refresh();
}

document.addEventListener("DOMContentLoaded", () => {
  byId("pause").addEventListener("click", () => act("pause"));
  byId("resume").addEventListener("click", () => act("resume"));
  byId("resync-form").addEventListener("submit", event => {
    event.preventDefault();
    act("resync", {tables: byId("resync-tables").value});
  });
  byId("throttle-form").addEventListener("submit", event => {
    event.preventDefault();
    act("throttle", {
      fullRecordsPerSecond: byId("t-full-records").value,
      fullBytesPerSecond: byId("t-full-bytes").value,
      incrementalRecordsPerSecond: byId("t-inc-records").value,
      incrementalBytesPerSecond: byId("t-inc-bytes").value
    });
  });
  byId("signin").addEventListener("submit", event => event.preventDefault());
  refresh();
  setInterval(refresh, REFRESH_MILLIS);
});
