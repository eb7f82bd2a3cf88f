// The board: fetch the server-rendered day with the token, book by dragging a visit onto a row
// (the assignment endpoint decides and its refusal is shown), apply a plan run. See signin.js.
"use strict";

async function load() {
  const form = new FormData($("#pick"));
  if (!form.get("date")) $("#pick [name=date]").value = new Date().toISOString().slice(0, 10);
  const query = new URLSearchParams({ date: $("#pick [name=date]").value, territory: form.get("territory") });
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

async function applyPlan(planId) {
  const response = await api(`/api/v1/plans/${planId}/apply`, { method: "POST" });
  if (!response.ok) return problem(response);
  const applied = await response.json();
  say(`Plan applied: ${applied.booked.length} booked or moved, ${applied.unbooked.length} unbooked.`, [], true);
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
    button.addEventListener("click", () => applyPlan(button.dataset.planId));
  }
}

whenSignedIn(load);
