// Sign-in shared by the office pages (/board, /insights): the token endpoint's bearer token is
// kept for the tab only (sessionStorage) and sent with every call the page makes.
"use strict";
const KEY = "firstfix-office-token";
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

function signedOut() {
  sessionStorage.removeItem(KEY);
  $("#signin").hidden = false;
  $("#pick").hidden = true;
}

// Fills the picker from the address (?date=, ?territory=, ?from=, ?to=), then calls `show`.
function whenSignedIn(show) {
  const enter = () => {
    $("#signin").hidden = true;
    $("#pick").hidden = false;
    for (const [name, value] of new URLSearchParams(location.search)) {
      const field = $(`#pick [name=${name}]`);
      if (field && !field.value) field.value = value;
    }
    show();
  };
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
      enter();
    });
    $("#pick").addEventListener("submit", (event) => { event.preventDefault(); show(); });
    $("#signout").addEventListener("click", signedOut);
    if (sessionStorage.getItem(KEY)) enter();
  });
}
