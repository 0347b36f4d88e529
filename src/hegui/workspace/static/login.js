/* The login page: e-mail and password to POST /v1/workspace/login, then back to where the user
 * was sent from (a page of this site only), or to the dashboard. */
"use strict";

/** Where to go after logging in: a path on this site under /w/ (never another site). */
function nextAddress() {
  const next = new URLSearchParams(location.search).get("next") || "";
  return /^\/w\/(?!\/)/.test(next) && !next.startsWith("/w/login") && !/[\\\s]/.test(next) ? next : "/w/";
}

async function logIn(event) {
  event.preventDefault();
  const email = $("#email").value.trim();
  const password = $("#password").value;
  if (!email || !password) {
    showError(t("login_empty"));
    (email ? $("#password") : $("#email")).focus();
    return;
  }
  const button = $("#login-submit");
  button.disabled = true;
  say(t("login_working"));
  try {
    await api("POST", `${W}/login`, {json: {email, password}, noRedirect: true});
    location.assign(nextAddress());
    return;
  } catch (e) {
    if (e.status === 401) showError(t("login_wrong"));
    else if (e.status === 429) {
      const seconds = Number(e.retryAfter);
      showError(t("login_limited", {seconds: Number.isFinite(seconds) && e.retryAfter ? seconds : "…"}));
    } else showError(errorText(e));
    $("#password").select();
    $("#password").focus();
  } finally {
    button.disabled = false;
    say("");
  }
}

async function wire() {
  wireCommon(() => applyStrings("login_title_page"));
  applyStrings("login_title_page");
  $("#login-form").addEventListener("submit", logIn);
  $("#email").focus();
  try {   // logged in already: on to the page asked for
    await api("GET", `${W}/me`, {noRedirect: true});
    location.replace(nextAddress());
  } catch (e) { /* not logged in: the form it is */ }
}

document.addEventListener("DOMContentLoaded", wire);
