// The board's few lines: sign in with the token endpoint, fetch the server-rendered day with
// the token, book by dragging a visit onto a row (the assignment endpoint decides), apply plans.
"use strict";
const KEY = "firstfix-board-token";
const $ = (selector) => document.querySelector(selector);

function api(path, options = {}) {
  const headers = { Authorization: `Bearer ${sessionStorage.getItem(KEY)}`, ...(options.headers || {}) };
  if (options.body) headers["Content-Type"] = "application/json";
  return fetch(path, { ...options, headers });
}

function say(text, reasons = [], ok = false) {
  const box = $("#messages");
  box.className = ok ? "ok" : "";
  box.replaceChildren(document.createTextNode(text));
  if (reasons.length) {
    const list = document.createElement("ul");
    list.className = "refusal";
    for (const reason of reasons) {
      const item = document.createElement("li");
      item.textContent = reason.detail || reason.code;
      list.append(item);
    }
    box.append(list);
  }
}

async function problem(response) {
  const body = await response.json().catch(() => ({}));
  say(body.detail || `${response.status} ${response.statusText}`, body.reasons || []);
}

async function load() {
  const form = new FormData($("#pick"));
  const query = new URLSearchParams({ date: form.get("date"), territory: form.get("territory") });
  const response = await api(`/board/view?${query}`);
  if (response.status === 401) return signedOut();
  if (!response.ok) return problem(response);
  $("#board").innerHTML = await response.text();
  wire();
  if ($(".progress[data-running]")) setTimeout(load, 3000);
}

function startAt(lane, clientX) {
  const box = lane.getBoundingClientRect();
  const from = Date.parse(lane.dataset.axisStart), to = Date.parse(lane.dataset.axisEnd);
  const at = from + ((clientX - box.left) / box.width) * (to - from);
  const quarter = 15 * 60 * 1000;
  return new Date(Math.round(at / quarter) * quarter).toISOString();
}

async function book(visitId, lane, clientX) {
  const body = { technician_id: Number(lane.dataset.technicianId), start: startAt(lane, clientX) };
  const response = await api(`/api/v1/visits/${visitId}/assignment`, {
    method: "PUT", body: JSON.stringify(body),
  });
  if (!response.ok) return problem(response);
  say(`Visit ${visitId} booked.`, [], true);
  load();
}

function wire() {
  for (const item of document.querySelectorAll("[draggable][data-visit-id]")) {
    item.addEventListener("dragstart", (event) => event.dataTransfer.setData("text/plain", item.dataset.visitId));
  }
  for (const lane of document.querySelectorAll(".lane")) {
    lane.addEventListener("dragover", (event) => { event.preventDefault(); lane.classList.add("over"); });
    lane.addEventListener("dragleave", () => lane.classList.remove("over"));
    lane.addEventListener("drop", (event) => {
      event.preventDefault();
      lane.classList.remove("over");
      book(event.dataTransfer.getData("text/plain"), lane, event.clientX);
    });
  }
  for (const button of document.querySelectorAll("button.apply")) {
    button.addEventListener("click", async () => {
      const response = await api(`/api/v1/plans/${button.dataset.planId}/apply`, { method: "POST" });
      if (!response.ok) return problem(response);
      const applied = await response.json();
      say(`Plan applied: ${applied.booked.length} booked or moved, ${applied.unbooked.length} unbooked.`, [], true);
      load();
    });
  }
}

function signedOut() {
  sessionStorage.removeItem(KEY);
  $("#signin").hidden = false;
  $("#pick").hidden = true;
}

function signedIn() {
  $("#signin").hidden = true;
  $("#pick").hidden = false;
  const day = $("#pick [name=date]");
  if (!day.value) day.value = new URLSearchParams(location.search).get("date") || new Date().toISOString().slice(0, 10);
  const territory = new URLSearchParams(location.search).get("territory");
  if (territory) $("#pick [name=territory]").value = territory;
  load();
}

document.addEventListener("DOMContentLoaded", () => {
  $("#signin").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const response = await fetch("/api/v1/auth/token", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: form.get("email"), password: form.get("password") }),
    });
    if (!response.ok) return problem(response);
    sessionStorage.setItem(KEY, (await response.json()).access_token);
    say("");
    signedIn();
  });
  $("#pick").addEventListener("submit", (event) => { event.preventDefault(); load(); });
  $("#signout").addEventListener("click", signedOut);
  if (sessionStorage.getItem(KEY)) signedIn();
});
