/* The dashboard (/w/): across the user's organisations, what is overdue, what falls due in the
 * next 30 days, which findings wait for facts and who owns them, and what changed since the last
 * visit; every row links to its organisation. The data is GET /v1/workspace/dashboard
 * (?as_of=YYYY-MM-DD in the page's address is passed on).
 *
 * Seeing the dashboard is remembered as a visit, so the server tells what changed only once: the
 * changes of the first answer stay on the page when the language is switched (their titles then
 * come from the rulebook's list of obligations in that language).
 */
"use strict";

const view = {data: null, changes: null, titles: null};

function asOf() {
  const value = new URLSearchParams(location.search).get("as_of");
  return /^\d{4}-\d{2}-\d{2}$/.test(value || "") ? value : null;
}

function duty(d) {
  const when = d.days < 0 ? t("days_overdue", {days: -d.days}) : d.days === 0 ? t("due_today") : t("due_in", {days: d.days});
  return el("li", {class: `item duty ${d.days < 0 ? "is-overdue" : ""}`, "data-obligation": d.obligation,
    "data-subject": d.subject, "data-organisation": d.organisation_key},
  el("p", {class: "item-title"}, d.title),
  el("p", {class: "item-meta"}, organisationLink(d.organisation_key, d.organisation), " · ", subjectText(d.subject)),
  el("p", {class: "item-when"}, el("strong", {}, when), " · ", t("due_on", {date: d.date}),
    d.every_years ? ` · ${t("every_years", {n: d.every_years})}` : ""),
  el("p", {class: "item-owner"}, d.owner ? t("owner", {owner: d.owner}) : t("no_owner")),
  el("p", {class: "citation"}, d.citation));
}

function waiting(w) {
  return el("li", {class: "item waiting", "data-obligation": w.obligation, "data-subject": w.subject,
    "data-organisation": w.organisation_key},
  el("p", {class: "item-title"}, w.title),
  el("p", {class: "item-meta"}, organisationLink(w.organisation_key, w.organisation), " · ", subjectText(w.subject)),
  el("p", {class: "item-owner"}, w.owner ? t("owner", {owner: w.owner}) : t("no_owner")),
  el("div", {class: "needs"}, el("span", {}, t("needs_facts")),
    el("ul", {class: "facts"}, w.facts.map((f) => el("li", {"data-fact": f.fact}, f.text,
      f.owner ? ` ${t("fact_owner", {owner: f.owner})}` : "")))),
  el("p", {class: "citation"}, w.citation));
}

function changeWhat(c) {
  const before = c.before || {}, after = c.after || {};
  return c.changed.map((what) => {
    if (what === "status") return t("changed_status", {before: statusText(before.status), after: statusText(after.status)});
    if (what === "deadline") return t("changed_deadline", {before: before.deadline || t("none_value"), after: after.deadline || t("none_value")});
    if (what === "compliance") return t("changed_compliance", {before: complianceText(before.compliance), after: complianceText(after.compliance)});
    if (what === "version") return t("changed_version");
    if (what === "added") return t("changed_added");
    if (what === "removed") return t("changed_removed");
    return what;
  }).join(" · ");
}

function changeTitle(c) {
  const known = view.titles && view.titles[c.obligation];
  if (known && c.language !== page.lang) return (page.lang === "zh" ? known.zh : known.en) || c.title;
  return c.title;
}

function change(c) {
  return el("li", {class: "item change", "data-obligation": c.obligation, "data-subject": c.subject,
    "data-cause": c.cause, "data-organisation": c.organisation_key},
  el("p", {class: "item-title"}, changeTitle(c)),
  el("p", {class: "item-meta"}, organisationLink(c.organisation_key, c.organisation), " · ", subjectText(c.subject),
    " ", el("span", {class: `badge badge-cause cause-${c.cause}`}, t(`cause_${c.cause}`))),
  el("p", {class: "item-when"}, changeWhat(c)),
  c.records_done_on && c.records_done_on.length ? el("p", {class: "muted small"}, t("records_done", {dates: c.records_done_on.join(", ")})) : null,
  (c.causes || []).length ? el("ul", {class: "rule-changes"}, c.causes.map((r) => el("li", {},
    t("rule_change", {date: r.date, instrument: r.instrument, detail: r.detail || r.kind})))) : null);
}

/** Findings waiting for facts, by organisation (there are many): each organisation's folded, those
 * with an owner first. */
function fillWaiting(items) {
  const box = $("#waiting");
  box.querySelector(".count").textContent = `(${items.length})`;
  const list = box.querySelector(".items");
  if (!items.length) { list.replaceChildren(el("li", {class: "empty muted"}, t("none_waiting"))); return; }
  const groups = new Map();
  for (const w of items) {
    if (!groups.has(w.organisation_key)) groups.set(w.organisation_key, []);
    groups.get(w.organisation_key).push(w);
  }
  list.replaceChildren(...[...groups.values()].map((group) => {
    const owned = group.filter((w) => w.owner).length;
    const sorted = [...group.filter((w) => w.owner), ...group.filter((w) => !w.owner)];
    return el("li", {class: "waiting-group", "data-organisation": group[0].organisation_key},
      el("details", {},
        el("summary", {}, el("strong", {}, group[0].organisation), " ",
          t("waiting_count", {count: group.length, owned})),
        el("ul", {class: "items"}, sorted.map(waiting))));
  }));
}

function fill(section, items, render, emptyText) {
  const box = $(`#${section}`);
  box.querySelector(".count").textContent = `(${items.length})`;
  const list = box.querySelector(".items");
  list.replaceChildren(...(items.length ? items.map(render) : [el("li", {class: "empty muted"}, emptyText)]));
}

function organisationItem(o) {
  return el("li", {class: "item organisation", "data-organisation": o.id},
    el("p", {class: "item-title"}, organisationLink(o.id, o.name)),
    el("p", {class: "item-meta"}, o.version ? t("version_n", {n: o.version}) : t("no_version"), " · ", roleText(o.role),
      o.group ? ` · ${t("group", {group: o.group})}` : ""));
}

function render() {
  applyStrings("dashboard_title_page");
  const d = view.data;
  if (!d) return;
  const days = d.window_days;
  $("#due-soon .heading").textContent = t("due_soon", {days});
  $("#meta").textContent = t("dashboard_meta", {count: page.me.organisations.length, as_of: d.as_of});
  fill("overdue", d.overdue, duty, t("none_overdue"));
  fill("due-soon", d.due_soon, duty, t("none_due", {days}));
  fillWaiting(d.waiting);
  fill("changes", view.changes, change, t("none_changed"));
  fill("organisations", page.me.organisations, organisationItem, t("no_organisations"));
  const rulebooks = view.changes.find((c) => c.cause === "rulebook" && c.rulebooks);
  const note = $("#rulebook-change");
  note.hidden = !rulebooks;
  if (rulebooks) {
    const short = (digest) => String(digest).replace(/^sha256:/, "").slice(0, 12);
    note.textContent = t("rulebook_change", {before: short(rulebooks.rulebooks[0]), after: short(rulebooks.rulebooks[1])});
  }
}

async function load() {
  try {
    const data = await api("GET", `${W}/dashboard`, {query: {as_of: asOf(), lang: page.lang}});
    if (view.changes === null || data.changes.length) {
      view.changes = data.changes.map((c) => ({...c, language: page.lang}));
    }
    view.data = data;
    showError("");
    render();
  } catch (e) {
    if (e.status !== 401) showError(errorText(e));
  }
}

async function loadTitles() {
  if (view.titles) return;
  try {
    const body = await api("GET", "/v1/rules", {query: {format: "json"}});
    view.titles = {};
    for (const r of body.obligations || body.rules || []) view.titles[r.obligation] = {en: r.title, zh: r.title_zh || r.title};
  } catch (e) { /* the titles of the first answer stay */ }
}

async function wire() {
  wireCommon(async () => {
    applyStrings("dashboard_title_page");
    if (view.changes && view.changes.length) await loadTitles();
    await load();
  });
  applyStrings("dashboard_title_page");
  try {
    await loadMe();
  } catch (e) {
    if (e.status !== 401) showError(errorText(e));
    return;
  }
  await load();
}

document.addEventListener("DOMContentLoaded", wire);
