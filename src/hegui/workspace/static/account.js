/* The account page (/w/account): the user's calendar feed address and API tokens, and for a
 * workspace administrator new organisations and users. Each secret (a feed address, a token) is
 * shown once, in the answer that made it: the server keeps only its hash. */
"use strict";

async function newFeed() {
  try {
    const answer = await api("POST", `${W}/feed`);
    $("#feed-url").value = answer.url;
    $("#feed").hidden = false;
    $("#feed-status").textContent = t("feed_made");
    $("#feed-url").focus();
    $("#feed-url").select();
  } catch (e) {
    if (e.status !== 401) showError(errorText(e));
  }
}

async function stopFeed() {
  try {
    await api("DELETE", `${W}/feed`);
    $("#feed-url").value = "";
    $("#feed").hidden = true;
    $("#feed-status").textContent = t("feed_stopped");
  } catch (e) {
    if (e.status !== 401) showError(errorText(e));
  }
}

function tokenItem(token) {
  const revoked = Boolean(token.revoked_at);
  return el("li", {class: "item token", "data-token": token.id},
    el("p", {class: "item-title"}, token.name),
    el("p", {class: "item-meta"}, t("token_made_on", {when: whenText(token.created_at)}),
      revoked ? ` · ${t("token_revoked_on", {when: whenText(token.revoked_at)})}` : ""),
    revoked ? null : el("button", {type: "button", class: "btn btn-quiet", "aria-label": t("token_revoke_label", {name: token.name}),
      onclick: () => revokeToken(token)}, t("token_revoke")));
}

async function loadTokens() {
  try {
    const {tokens} = await api("GET", `${W}/tokens`);
    $("#token-list").replaceChildren(...(tokens.length ? tokens.map(tokenItem) : [el("li", {class: "empty muted"}, t("tokens_none"))]));
  } catch (e) {
    if (e.status !== 401) showError(errorText(e));
  }
}

async function newToken(event) {
  event.preventDefault();
  showError("");
  const name = $("#token-name").value.trim();
  if (!name) { showError(t("token_name_empty")); $("#token-name").focus(); return; }
  try {
    const made = await api("POST", `${W}/tokens`, {json: {name}});
    $("#token-form").reset();
    $("#token-secret").value = made.token;
    $("#token-made").hidden = false;
    await loadTokens();
    say(t("token_made", {name: made.name}));
    $("#token-secret").focus();
    $("#token-secret").select();
  } catch (e) {
    if (e.status !== 401) showError(errorText(e));
  }
}

async function revokeToken(token) {
  showError("");
  try {
    await api("DELETE", `${W}/tokens/${token.id}`);
    await loadTokens();
    say(t("token_revoked", {name: token.name}));
  } catch (e) {
    if (e.status !== 401) showError(errorText(e));
  }
}

async function newOrganisation(event) {
  event.preventDefault();
  showError("");
  const name = $("#organisation-name").value.trim();
  if (!name) { showError(t("organisation_name_empty")); $("#organisation-name").focus(); return; }
  try {
    const made = await api("POST", `${W}/organisations`, {json: {name, group: $("#organisation-group").value.trim() || null}});
    location.assign(`/w/organisations/${made.id}`);
  } catch (e) {
    if (e.status !== 401) showError(errorText(e));
  }
}

async function newUser(event) {
  event.preventDefault();
  showError("");
  const email = $("#user-email").value.trim();
  const password = $("#user-password").value;
  if (!email || !password) { showError(t("login_empty")); (email ? $("#user-password") : $("#user-email")).focus(); return; }
  try {
    const made = await api("POST", `${W}/users`, {json: {email, password, is_admin: $("#user-admin").checked}});
    $("#user-form").reset();
    say(t("user_made", {email: made.email}));
  } catch (e) {
    if (e.status !== 401) showError(errorText(e));
  }
}

function render() {
  applyStrings("account_page_title");
  if (page.me) $("#meta").textContent = page.me.user.email;
}

async function wire() {
  $("#feed-new").addEventListener("click", newFeed);
  $("#feed-stop").addEventListener("click", stopFeed);
  $("#token-form").addEventListener("submit", newToken);
  $("#organisation-form").addEventListener("submit", newOrganisation);
  $("#user-form").addEventListener("submit", newUser);
  wireCommon(async () => { render(); await loadTokens(); });
  render();
  try {
    await loadMe();
  } catch (e) {
    if (e.status !== 401) showError(errorText(e));
    return;
  }
  $("#administration").hidden = !page.me.user.is_admin;
  render();
  await loadTokens();
}

document.addEventListener("DOMContentLoaded", wire);
