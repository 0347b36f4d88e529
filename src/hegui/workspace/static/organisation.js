/* An organisation's page (/w/organisations/ID): its current version, the findings of assessing it
 * (GET .../assessment: recorded in the ledger once per version and day), its compliance records with their evidence (add a
 * record, upload and download evidence), and the history of its manifest with a diff between two
 * versions. `?from=N&to=M` in the address shows that diff at once (the questionnaire links here
 * after a conflicting save).
 *
 * A viewer is shown no control that changes anything; the server decides all the same (403).
 */
"use strict";

const org = {id: Number(location.pathname.match(/^\/w\/organisations\/(\d+)/)[1]), role: null, info: null,
  versions: [], records: [], members: [], assessment: null};
const base = () => `${W}/organisations/${org.id}`;
const canEdit = () => org.role === "editor" || org.role === "admin";

// ---------------------------------------------------------------------------------------------
// Findings

function findingTitle(f) { return (page.lang === "zh" && f.title_zh) || f.title; }

function findingItem(f) {
  const due = f.status === "applies"
    ? el("p", {class: "deadline"}, f.deadline && f.deadline.date ? t("deadline", {date: f.deadline.date}) : t("standing")) : null;
  return el("li", {class: "finding", "data-obligation": f.obligation, "data-subject": f.subject, "data-status": f.status},
    el("div", {class: "finding-head"},
      el("h3", {class: "finding-title"}, findingTitle(f)),
      el("div", {class: "badges"},
        el("span", {class: `badge badge-status status-${f.status}`}, statusText(f.status)),
        f.compliance ? el("span", {class: `badge badge-${f.compliance}`}, complianceText(f.compliance)) : null)),
    el("p", {class: "finding-id"}, el("code", {}, f.obligation), " · ", subjectText(f.subject)),
    due,
    el("p", {class: "citation"}, (f.citation && f.citation.text) || ""));
}

function renderFindings() {
  const box = $("#findings");
  const a = org.assessment;
  if (!a) {
    $("#findings-summary").textContent = t("findings_none");
    box.replaceChildren();
    return;
  }
  const counts = {total: a.findings.length, applies: 0, unknown: 0, does_not_apply: 0, not_in_force: 0};
  for (const f of a.findings) counts[f.status] += 1;
  $("#findings-summary").textContent = t("findings_summary", counts);
  // What applies is shown, overdue first; the rest is folded (an organisation has dozens).
  const rank = {overdue: 0, open: 1, satisfied: 2};
  const applies = a.findings.filter((f) => f.status === "applies")
    .sort((x, y) => (rank[x.compliance] ?? 3) - (rank[y.compliance] ?? 3));
  const unknown = a.findings.filter((f) => f.status === "unknown");
  const other = a.findings.filter((f) => f.status === "does_not_apply" || f.status === "not_in_force");
  const folded = (id, summary, list) => (list.length ? el("details", {class: "other-findings", id},
    el("summary", {}, summary), el("ul", {class: "findings"}, list.map(findingItem))) : null);
  box.replaceChildren(
    el("ul", {class: "findings"}, applies.map(findingItem)),
    folded("findings-unknown", t("show_unknown", {count: unknown.length}), unknown),
    folded("findings-other", t("show_other", {count: other.length}), other));
}

// ---------------------------------------------------------------------------------------------
// Records and evidence

function titleOf(obligation) {
  const f = org.assessment && org.assessment.findings.find((x) => x.obligation === obligation);
  return f ? findingTitle(f) : obligation;
}

function evidenceItem(e) {
  return el("li", {class: "evidence", "data-evidence": e.id},
    el("a", {href: `${base()}/evidence/${e.id}`, download: e.filename}, e.filename),
    " ", el("span", {class: "muted small"}, t("evidence_meta", {size: sizeText(e.size), type: e.content_type,
      who: e.uploaded_by, when: whenText(e.uploaded_at)})));
}

function uploadForm(r) {
  const id = `upload-${r.id}`;
  const input = el("input", {type: "file", id, name: "file"});
  // A refused file is said next to the form it was chosen in (the records can be many).
  const problem = el("p", {class: "field-error upload-error", id: `${id}-error`, role: "alert"});
  const form = el("form", {class: "upload", novalidate: true, "data-record": r.id},
    el("label", {for: id, class: "field-label"}, t("upload")),
    el("span", {class: "visually-hidden", id: `${id}-desc`}, t("upload_label", {record: `${titleOf(r.obligation)} · ${subjectText(r.subject)}`})),
    input, el("button", {type: "submit", class: "btn", "aria-describedby": `${id}-desc`}, t("upload_button")), problem);
  input.setAttribute("aria-describedby", `${id}-desc ${id}-error`);
  form.addEventListener("submit", (event) => { event.preventDefault(); upload(r, input, problem); });
  return form;
}

function recordItem(r) {
  return el("li", {class: "item record", "data-record": r.id, "data-obligation": r.obligation, "data-subject": r.subject},
    el("p", {class: "item-title"}, titleOf(r.obligation)),
    el("p", {class: "item-meta"}, el("code", {}, r.obligation), " · ", subjectText(r.subject), " · ",
      r.done_on ? t("record_done", {date: r.done_on}) : t("record_not_dated")),
    r.reference ? el("p", {class: "small"}, t("record_reference", {reference: r.reference})) : null,
    el("p", {class: "small"}, r.owner ? t("owner", {owner: r.owner}) : t("no_owner")),
    r.note ? el("p", {class: "small"}, t("record_note", {note: r.note})) : null,
    el("h4", {class: "evidence-title"}, t("evidence")),
    r.evidence.length ? el("ul", {class: "evidence-list"}, r.evidence.map(evidenceItem))
      : el("p", {class: "muted small"}, t("evidence_none")),
    canEdit() ? uploadForm(r) : null);
}

function renderRecords() {
  const list = $("#records");
  list.replaceChildren(...(org.records.length ? org.records.map(recordItem) : [el("li", {class: "empty muted"}, t("records_none"))]));
  const form = $("#add-record");
  form.hidden = !canEdit() || !org.info.version;
  const select = $("#record-duty");
  const chosen = select.value;
  // A record of a duty that applies says it was done; one of a finding waiting for facts, without a
  // date, names who owns it (the dashboard shows that owner).
  const findings = org.assessment ? org.assessment.findings : [];
  const group = (status, label) => el("optgroup", {label}, findings.filter((f) => f.status === status).map((f) =>
    el("option", {value: `${f.obligation}|${f.subject}`}, `${findingTitle(f)} · ${subjectText(f.subject)}`)));
  select.replaceChildren(el("option", {value: ""}, t("pick_finding")),
    group("applies", t("record_group_applies")), group("unknown", t("record_group_unknown")));
  select.value = chosen;
}

async function upload(r, input, problem) {
  problem.textContent = "";
  const file = input.files && input.files[0];
  if (!file) { problem.textContent = t("upload_pick"); input.focus(); return; }
  const form = new FormData();
  form.append("file", file, file.name);
  try {
    await api("POST", `${base()}/records/${r.id}/evidence`, {form});
    say(t("uploaded", {name: file.name}));
    await loadRecords();
    renderRecords();
  } catch (e) {
    if (e.status === 401) return;
    // The server's own words say the limit or the types accepted; the field (file) goes without saying.
    const words = ((e.body && e.body.errors) || []).map((p) => p.message).join(" ") || e.message;
    const message = e.status === 413 ? t("upload_too_large", {name: file.name, message: words})
      : e.status === 415 ? t("upload_refused_type", {name: file.name, message: words}) : errorText(e);
    problem.textContent = message;
    input.value = "";
    input.focus();
  }
}

async function addRecord(event) {
  event.preventDefault();
  showError("");
  const [obligation, subject] = ($("#record-duty").value || "|").split("|");
  if (!obligation) { $("#record-duty").focus(); return; }
  const value = (sel) => $(sel).value.trim() || null;
  try {
    const record = await api("POST", `${base()}/records`, {json: {obligation, subject, done_on: value("#record-done-on"),
      reference: value("#record-reference"), owner: value("#record-owner"), note: value("#record-note"),
      expected_version: org.info.version}});
    $("#add-record").reset();
    await reload();
    say(t("record_added", {n: record.version}));
  } catch (e) {
    if (e.status === 409) {
      // Saved by someone else since this page was read: show theirs; the form keeps what was typed.
      const opened = org.info.version;
      await reload();
      showError(t("record_conflict", {opened, current: org.info.version}));
    } else if (e.status !== 401) showError(errorText(e));
  }
}

// ---------------------------------------------------------------------------------------------
// History and diff

function renderVersions() {
  const list = $("#versions");
  const newest = [...org.versions].reverse();
  list.replaceChildren(...(newest.length ? newest.map((v) => el("li", {class: "version", "data-version": v.number},
    el("strong", {}, t("version_line", {n: v.number})), " ",
    el("span", {class: "muted small"}, t("version_by", {author: v.author, when: whenText(v.created_at)})),
    el("p", {class: "version-message"}, v.message || t("no_message")))) : [el("li", {class: "empty muted"}, t("history_none"))]));
  const form = $("#diff-form");
  form.hidden = org.versions.length < 2;
  for (const [sel, fallback] of [["#diff-from", org.versions.length - 1], ["#diff-to", org.versions.length]]) {
    const select = $(sel);
    const chosen = select.value || String(fallback);
    select.replaceChildren(...org.versions.map((v) => el("option", {value: v.number}, t("version_line", {n: v.number}))));
    select.value = chosen;
  }
}

async function showDiff(from, to) {
  try {
    const d = await api("GET", `${base()}/diff`, {query: {from, to}});
    const pre = $("#diff-text");
    pre.replaceChildren(...(d.diff ? d.diff.split("\n").map((line) => el("span", {
      class: line.startsWith("+") && !line.startsWith("+++") ? "add" : line.startsWith("-") && !line.startsWith("---") ? "del"
        : line.startsWith("@@") ? "hunk" : ""}, `${line}\n`)) : [t("diff_same")]));
    $("#diff-heading").textContent = t("diff_heading", {from, to});
    $("#diff").hidden = false;
  } catch (e) {
    if (e.status !== 401) showError(errorText(e));
  }
}

// ---------------------------------------------------------------------------------------------
// Members (an admin adds, changes and removes them)

function renderMembers() {
  const admin = org.role === "admin";
  $("#members").replaceChildren(...org.members.map((m) => el("li", {class: "item member", "data-email": m.email},
    el("p", {class: "item-title"}, m.email), el("p", {class: "item-meta"}, roleText(m.role)),
    admin && m.email !== page.me.user.email ? el("button", {type: "button", class: "btn btn-quiet remove-member",
      "aria-label": t("remove_member_label", {email: m.email}), onclick: () => removeMember(m)}, t("remove_member")) : null)));
  $("#add-member").hidden = !admin;
}

async function saveMember(event) {
  event.preventDefault();
  showError("");
  const email = $("#member-email").value.trim();
  if (!email) { showError(t("member_email_empty")); $("#member-email").focus(); return; }
  try {
    const m = await api("PUT", `${base()}/members`, {json: {email, role: $("#member-role").value}});
    $("#add-member").reset();
    await loadMembers();
    renderMembers();
    say(t("member_saved", {email: m.email, role: roleText(m.role)}));
  } catch (e) {
    if (e.status !== 401) showError(errorText(e));
  }
}

async function removeMember(m) {
  showError("");
  try {
    await api("DELETE", `${base()}/members/${m.user_id}`);
    await loadMembers();
    renderMembers();
    say(t("member_removed", {email: m.email}));
  } catch (e) {
    if (e.status !== 401) showError(errorText(e));
  }
}

// ---------------------------------------------------------------------------------------------
// Loading

async function loadRecords() { org.records = (await api("GET", `${base()}/records`)).records; }

async function loadMembers() { org.members = (await api("GET", `${base()}/members`)).members; }

// The assessment shown: the ledger records it once per version, day and rulebook, not per view or
// language switch (GET .../assessment).
async function assess() {
  org.assessment = org.info.version ? await api("GET", `${base()}/assessment`, {query: {lang: page.lang}}) : null;
}

async function reload() {
  org.info = await api("GET", base());
  const [versions] = await Promise.all([api("GET", `${base()}/manifests`), loadRecords(), loadMembers(), assess()]);
  org.versions = versions.versions;
  render();
}

function render() {
  applyStrings("organisation_title_page", {name: org.info ? org.info.name : ""});
  if (!org.info) return;
  $("#org-name").textContent = org.info.name;
  $("#org-meta").textContent = org.info.version ? t("org_meta", {version: org.info.version, role: roleText(org.role)})
    : t("org_meta_none", {role: roleText(org.role)});
  $("#org-group").hidden = !org.info.group;
  $("#org-group").textContent = org.info.group ? t("group", {group: org.info.group}) : "";
  const edit = $("#edit-answers");
  edit.hidden = !canEdit();
  edit.href = `/w/organisations/${org.id}/edit`;
  const download = $("#download-manifest");
  download.hidden = !org.info.version;
  download.href = `${base()}/export`;
  download.setAttribute("download", `${org.info.name.replace(/[^A-Za-z0-9\u4e00-\u9fff]+/g, "-").replace(/^-|-$/g, "") || "manifest"}.yaml`);
  $("#viewer-note").hidden = canEdit();
  renderFindings();
  renderRecords();
  renderVersions();
  renderMembers();
  if (!$("#diff").hidden) $("#diff-heading").textContent = t("diff_heading", {from: $("#diff-from").value, to: $("#diff-to").value});
}

async function wire() {
  wireCommon(async () => {
    render();
    try {
      await assess();
      render();
    } catch (e) {
      if (e.status !== 401) showError(errorText(e));
    }
  });
  applyStrings("organisation_title_page", {name: ""});
  $("#add-record").addEventListener("submit", addRecord);
  $("#add-member").addEventListener("submit", saveMember);
  $("#diff-form").addEventListener("submit", (event) => {
    event.preventDefault();
    showDiff($("#diff-from").value, $("#diff-to").value);
  });
  try {
    const me = await loadMe();
    const mine = me.organisations.find((o) => o.id === org.id);
    if (!mine) { showError(t("not_found")); $("#org-meta").textContent = ""; return; }
    org.role = mine.role;
    const params = new URLSearchParams(location.search);
    const from = params.get("from"), to = params.get("to");
    if (/^\d+$/.test(from || "") && /^\d+$/.test(to || "")) {
      $("#diff-from").append(el("option", {value: from}, from));
      $("#diff-to").append(el("option", {value: to}, to));
      $("#diff-from").value = from;
      $("#diff-to").value = to;
    }
    await reload();
    if (from && to) await showDiff(from, to);
  } catch (e) {
    if (e.status !== 401) showError(errorText(e));
  }
}

document.addEventListener("DOMContentLoaded", wire);
