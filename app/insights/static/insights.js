// The numbers page: fetch the server-rendered charts for the period with the token (signin.js).
"use strict";

async function show() {
  const form = new FormData($("#pick"));
  const query = new URLSearchParams({ from: form.get("from"), to: form.get("to"), territory: form.get("territory") });
  if (!form.get("territory")) query.delete("territory");
  const response = await api(`/insights/view?${query}`);
  if (response.status === 401) return signedOut();
  if (!response.ok) return problem(response);
  say("");
  $("#insights").innerHTML = await response.text();
}

whenSignedIn(show);
