/* hegui workspace pages: what the login, dashboard and organisation pages share.
 *
 * Plain JavaScript, no build step, no external network. The pages read and write through the JSON
 * routes under /v1/workspace: the session is an HttpOnly cookie the script never sees, and every
 * state-changing request carries the session's CSRF token (from the login answer or GET /me) in
 * X-CSRF-Token. An answer of 401 (no session, or an expired one) sends the user to the login page,
 * which brings them back afterwards.
 */
"use strict";

const W = "/v1/workspace";

const STRINGS = {
  en: {
    skip_to_content: "Skip to content",
    tagline: "Team workspace",
    lang_hint: "Switch the page language",
    lang_button: "中文",
    logout: "Log out",
    signed_in_as: "Signed in as {email}",
    dashboard_link: "Dashboard",
    account_link: "Account",
    account_page_title: "hegui: your account",
    account_title: "Your account",
    tokens: "API tokens for scripts",
    tokens_help: "A script sends a token as Authorization: Bearer TOKEN and acts as you. A token is shown once, when it is made; revoke one you no longer use.",
    tokens_none: "No API token yet.",
    token_name: "What the token is for",
    token_name_empty: "Say what the token is for.",
    token_new: "Make a token",
    token_secret: "The new token (shown only now)",
    token_made: "Token made for {name}: copy it now, it is not shown again.",
    token_made_on: "made {when}",
    token_revoked_on: "revoked {when}",
    token_revoke: "Revoke",
    token_revoke_label: "Revoke the token {name}",
    token_revoked: "The token {name} no longer works.",
    administration: "Workspace administration",
    new_organisation: "New organisation",
    organisation_name: "Organisation name",
    organisation_name_empty: "Enter the organisation's name.",
    organisation_group: "Group (optional)",
    create: "Create",
    new_user: "New user",
    first_password: "First password (at least 12 characters)",
    user_is_admin: "A workspace administrator",
    user_made: "{email} can now log in; add them to organisations on each organisation's page.",
    notice: "hegui is not legal advice: it encodes published rules and researched facts to help professionals check them, and can be wrong or out of date.",
    loading: "Loading…",
    error_network: "The hegui server did not answer. Is it still running?",
    error_server: "The server could not do this: {message}",
    error_forbidden: "Not allowed: {message}",
    line: "line {line}: ",
    // login
    login_title_page: "hegui: log in",
    login_title: "Log in to the workspace",
    login_lede: "Your organisations' duties, findings, records and evidence, kept over time.",
    email: "E-mail",
    password: "Password",
    login: "Log in",
    login_wrong: "Wrong e-mail or password.",
    login_limited: "Too many failed logins. Try again in {seconds} seconds.",
    login_empty: "Enter your e-mail and password.",
    login_working: "Logging in…",
    // dashboard
    dashboard_title_page: "hegui: dashboard",
    dashboard_title: "Dashboard",
    dashboard_meta: "{count} organisation(s) · as of {as_of}",
    overdue: "Overdue",
    due_soon: "Due in the next {days} days",
    waiting: "Waiting for facts",
    changes: "Changed since your last visit",
    your_organisations: "Your organisations",
    calendar: "Calendar",
    calendar_help: "Your deadlines in every organisation, for a calendar app to subscribe to. Anyone with the address sees them: a new address stops the one before.",
    feed_address: "Your calendar address",
    feed_new: "Make a new calendar address",
    feed_stop: "Stop my calendar address",
    feed_made: "A new address: copy it into your calendar app now, it is shown only once.",
    feed_stopped: "Your calendar address no longer works.",
    none_overdue: "Nothing is overdue.",
    none_due: "Nothing falls due in the next {days} days.",
    none_waiting: "No finding waits for facts.",
    waiting_count: "{count} finding(s), {owned} with an owner",
    none_changed: "Nothing changed since your last visit.",
    no_organisations: "You are not a member of any organisation yet. A workspace administrator adds you to one.",
    days_overdue: "{days} day(s) overdue",
    due_today: "due today",
    due_in: "due in {days} day(s)",
    due_on: "Due {date}",
    every_years: "every {n} year(s)",
    owner: "Owner: {owner}",
    no_owner: "No owner",
    needs_facts: "Needs:",
    fact_owner: "({owner})",
    cause_time: "with time",
    cause_manifest: "manifest edited",
    cause_rulebook: "new rulebook version",
    changed_status: "status {before} → {after}",
    changed_deadline: "deadline {before} → {after}",
    changed_compliance: "{before} → {after}",
    changed_version: "rule version changed",
    changed_added: "new finding",
    changed_removed: "no longer a finding",
    rule_change: "{date}: {instrument} {detail}",
    rulebook_change: "The rulebook changed since your last visit ({before} → {after}).",
    records_done: "records dated {dates}",
    version_n: "version {n}",
    no_version: "no manifest yet",
    role_viewer: "viewer",
    role_editor: "editor",
    role_admin: "admin",
    status_applies: "applies",
    status_unknown: "unknown",
    status_does_not_apply: "does not apply",
    status_not_in_force: "not in force",
    compliance_satisfied: "satisfied",
    compliance_open: "open",
    compliance_overdue: "overdue",
    none_value: "none",
    // organisation
    organisation_title_page: "hegui: {name}",
    org_meta: "Version {version} · your role: {role}",
    org_meta_none: "No manifest yet · your role: {role}",
    group: "Group: {group}",
    edit_answers: "Edit answers",
    download_manifest: "Download manifest",
    findings: "Findings",
    findings_summary: "{total} findings: {applies} apply, {unknown} unknown, {does_not_apply} do not apply, {not_in_force} not in force.",
    findings_none: "No manifest yet: edit the answers to make the first version.",
    show_other: "Show the {count} finding(s) that do not apply or are not in force",
    show_unknown: "Show the {count} finding(s) that wait for facts",
    deadline: "Deadline {date}",
    standing: "Standing duty",
    records: "Records and evidence",
    records_none: "No compliance record yet.",
    record_done: "Done {date}",
    record_not_dated: "Not dated",
    record_reference: "Reference: {reference}",
    record_note: "Note: {note}",
    evidence: "Evidence",
    evidence_none: "No evidence attached.",
    evidence_meta: "{size}, {type} · {who}, {when}",
    upload: "Attach a file",
    upload_button: "Upload",
    upload_label: "Evidence file for {record}",
    upload_pick: "Choose a file first.",
    uploaded: "Attached {name}.",
    upload_too_large: "{name} was refused: the file is too large. {message}",
    upload_refused_type: "{name} was refused: this kind of file is not accepted. {message}",
    add_record: "Add a record",
    add_record_help: "A record says a duty was done; it is kept in a new version of the manifest.",
    obligation: "Obligation",
    subject: "Subject",
    done_on: "Done on",
    reference: "Reference",
    record_owner: "Owner",
    note: "Note",
    add: "Add",
    record_added: "Record added: version {n}.",
    record_conflict: "Someone saved version {current} since this page showed version {opened}, so the record was not added. The page now shows version {current}: check it, then add the record again.",
    pick_finding: "Choose…",
    record_group_applies: "Duties that apply",
    record_group_unknown: "Waiting for facts (a record without a date names its owner)",
    history: "History",
    history_none: "No version yet.",
    version_line: "Version {n}",
    version_by: "{author}, {when}",
    no_message: "(no message)",
    diff_title: "Compare two versions",
    diff_from: "From version",
    diff_to: "To version",
    diff_show: "Show the changes",
    diff_same: "The two versions have the same text.",
    diff_heading: "Changes from version {from} to version {to}",
    not_found: "There is no such organisation, or you are not a member of it.",
    viewer_note: "You can read this organisation; changing it needs the editor role.",
    members: "Members",
    add_member: "Add a member, or change a role",
    role: "Role",
    roles_help: "A viewer reads and assesses; an editor also saves answers, records and evidence; an admin also manages members.",
    save_member: "Save",
    remove_member: "Remove",
    remove_member_label: "Remove {email}",
    member_saved: "{email} is now {role}.",
    member_removed: "{email} is no longer a member.",
    member_email_empty: "Enter the member's e-mail.",
  },
  zh: {
    skip_to_content: "跳到正文",
    tagline: "团队工作区",
    lang_hint: "切换页面语言",
    lang_button: "English",
    logout: "退出登录",
    signed_in_as: "当前用户 {email}",
    dashboard_link: "总览",
    account_link: "账户",
    account_page_title: "hegui：您的账户",
    account_title: "您的账户",
    tokens: "供脚本使用的 API 令牌",
    tokens_help: "脚本以 Authorization: Bearer 令牌 的方式发送令牌，并以您的身份操作。令牌只在生成时显示一次；不再使用的令牌请撤销。",
    tokens_none: "尚无 API 令牌。",
    token_name: "令牌用途",
    token_name_empty: "请说明令牌的用途。",
    token_new: "生成令牌",
    token_secret: "新令牌（仅此时显示）",
    token_made: "已为 {name} 生成令牌：请立即复制，它不会再次显示。",
    token_made_on: "生成于 {when}",
    token_revoked_on: "撤销于 {when}",
    token_revoke: "撤销",
    token_revoke_label: "撤销令牌 {name}",
    token_revoked: "令牌 {name} 已失效。",
    administration: "工作区管理",
    new_organisation: "新建组织",
    organisation_name: "组织名称",
    organisation_name_empty: "请填写组织名称。",
    organisation_group: "所属集团（可选）",
    create: "创建",
    new_user: "新建用户",
    first_password: "初始密码（至少 12 个字符）",
    user_is_admin: "工作区管理员",
    user_made: "{email} 现在可以登录；请在各组织页面中将其加入组织。",
    notice: "hegui 不构成法律意见：它将已公布的规则和经研究的事实编码，供专业人士核对，可能有误或已过时。",
    loading: "加载中…",
    error_network: "hegui 服务器没有响应，请确认它仍在运行。",
    error_server: "服务器无法完成：{message}",
    error_forbidden: "无权操作：{message}",
    line: "第 {line} 行：",
    login_title_page: "hegui：登录",
    login_title: "登录工作区",
    login_lede: "各组织的义务、评估结论、履行记录和证明材料，按时间保存。",
    email: "电子邮箱",
    password: "密码",
    login: "登录",
    login_wrong: "电子邮箱或密码错误。",
    login_limited: "登录失败次数过多，请 {seconds} 秒后再试。",
    login_empty: "请填写电子邮箱和密码。",
    login_working: "正在登录…",
    dashboard_title_page: "hegui：总览",
    dashboard_title: "总览",
    dashboard_meta: "{count} 个组织 · 评估日 {as_of}",
    overdue: "已逾期",
    due_soon: "未来 {days} 天内到期",
    waiting: "待补充事实",
    changes: "自上次访问以来的变化",
    your_organisations: "您的组织",
    calendar: "日历",
    calendar_help: "您在所有组织中的期限，供日历应用订阅。任何知道该地址的人都能看到这些期限；生成新地址后，旧地址即失效。",
    feed_address: "您的日历地址",
    feed_new: "生成新的日历地址",
    feed_stop: "停用我的日历地址",
    feed_made: "已生成新地址：请立即复制到日历应用中，它只显示这一次。",
    feed_stopped: "您的日历地址已停用。",
    none_overdue: "没有逾期事项。",
    none_due: "未来 {days} 天内没有到期事项。",
    none_waiting: "没有等待补充事实的结论。",
    waiting_count: "{count} 项结论，其中 {owned} 项已指定负责人",
    none_changed: "自上次访问以来没有变化。",
    no_organisations: "您尚未加入任何组织，请工作区管理员将您加入。",
    days_overdue: "已逾期 {days} 天",
    due_today: "今天到期",
    due_in: "{days} 天后到期",
    due_on: "期限 {date}",
    every_years: "每 {n} 年",
    owner: "负责人：{owner}",
    no_owner: "未指定负责人",
    needs_facts: "需补充：",
    fact_owner: "（{owner}）",
    cause_time: "随时间变化",
    cause_manifest: "清单已修改",
    cause_rulebook: "规则库新版本",
    changed_status: "状态 {before} → {after}",
    changed_deadline: "期限 {before} → {after}",
    changed_compliance: "{before} → {after}",
    changed_version: "规则版本变化",
    changed_added: "新增结论",
    changed_removed: "不再列为结论",
    rule_change: "{date}：{instrument} {detail}",
    rulebook_change: "自上次访问以来规则库已更新（{before} → {after}）。",
    records_done: "记录日期 {dates}",
    version_n: "第 {n} 版",
    no_version: "尚无清单",
    role_viewer: "查看者",
    role_editor: "编辑者",
    role_admin: "管理员",
    status_applies: "适用",
    status_unknown: "待定",
    status_does_not_apply: "不适用",
    status_not_in_force: "未施行",
    compliance_satisfied: "已履行",
    compliance_open: "待履行",
    compliance_overdue: "已逾期",
    none_value: "无",
    organisation_title_page: "hegui：{name}",
    org_meta: "第 {version} 版 · 您的角色：{role}",
    org_meta_none: "尚无清单 · 您的角色：{role}",
    group: "集团：{group}",
    edit_answers: "编辑回答",
    download_manifest: "下载清单",
    findings: "评估结论",
    findings_summary: "共 {total} 项结论：适用 {applies}，待定 {unknown}，不适用 {does_not_apply}，未施行 {not_in_force}。",
    findings_none: "尚无清单：编辑回答以保存第一版。",
    show_other: "显示不适用或未施行的 {count} 项结论",
    show_unknown: "显示待补充事实的 {count} 项结论",
    deadline: "期限 {date}",
    standing: "持续义务",
    records: "履行记录和证明材料",
    records_none: "尚无履行记录。",
    record_done: "{date} 完成",
    record_not_dated: "未注明日期",
    record_reference: "文号或凭证：{reference}",
    record_note: "备注：{note}",
    evidence: "证明材料",
    evidence_none: "尚未附证明材料。",
    evidence_meta: "{size}，{type} · {who}，{when}",
    upload: "附加文件",
    upload_button: "上传",
    upload_label: "{record} 的证明材料文件",
    upload_pick: "请先选择文件。",
    uploaded: "已附加 {name}。",
    upload_too_large: "{name} 未被接受：文件过大。{message}",
    upload_refused_type: "{name} 未被接受：不接受此类文件。{message}",
    add_record: "添加记录",
    add_record_help: "记录表示某项义务已履行；它保存在清单的新版本中。",
    obligation: "义务",
    subject: "主体",
    done_on: "完成日期",
    reference: "文号或凭证",
    record_owner: "负责人",
    note: "备注",
    add: "添加",
    record_added: "已添加记录：第 {n} 版。",
    record_conflict: "在本页显示第 {opened} 版之后，有人保存了第 {current} 版，因此未添加记录。本页现显示第 {current} 版：请核对后再次添加。",
    pick_finding: "请选择…",
    record_group_applies: "适用的义务",
    record_group_unknown: "待补充事实（不填日期的记录用于指定负责人）",
    history: "版本历史",
    history_none: "尚无版本。",
    version_line: "第 {n} 版",
    version_by: "{author}，{when}",
    no_message: "（无说明）",
    diff_title: "比较两个版本",
    diff_from: "起始版本",
    diff_to: "目标版本",
    diff_show: "显示差异",
    diff_same: "两个版本的文本相同。",
    diff_heading: "第 {from} 版到第 {to} 版的变化",
    not_found: "没有该组织，或您不是其成员。",
    viewer_note: "您可以查看此组织；修改需要编辑者角色。",
    members: "成员",
    add_member: "添加成员或更改角色",
    role: "角色",
    roles_help: "查看者可查看和评估；编辑者还可保存回答、记录和证明材料；管理员还可管理成员。",
    save_member: "保存",
    remove_member: "移除",
    remove_member_label: "移除 {email}",
    member_saved: "{email} 现为{role}。",
    member_removed: "{email} 已不再是成员。",
    member_email_empty: "请填写成员的电子邮箱。",
  },
};

// me: the answer of GET /me once it has come; meLoading: that request while it is on its way, which a
// state-changing request waits for (a button pressed as the page opens needs the CSRF token too).
const page = {lang: "en", me: null, csrf: null, meLoading: null, onLanguage: null};

function t(key, fields) {
  const table = STRINGS[page.lang] || STRINGS.en;
  let text = key in table ? table[key] : (key in STRINGS.en ? STRINGS.en[key] : key);
  for (const [name, value] of Object.entries(fields || {})) text = text.split(`{${name}}`).join(String(value));
  return text;
}

const $ = (selector) => document.querySelector(selector);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// ---------------------------------------------------------------------------------------------
// The server

class ApiError extends Error {
  constructor(message, status, body) { super(message); this.status = status; this.body = body; }
}

function problemText(body) {
  if (body && Array.isArray(body.errors) && body.errors.length) {
    return body.errors.map((p) => `${p.line ? t("line", {line: p.line}) : ""}${p.path ? `${p.path}: ` : ""}${p.message}`).join("\n");
  }
  if (body && Array.isArray(body.detail)) {
    return body.detail.map((p) => `${(p.loc || []).join(".")}: ${p.msg}`).join("\n");
  }
  return typeof body === "string" ? body : JSON.stringify(body);
}

function loginAddress() {
  return `/w/login?next=${encodeURIComponent(location.pathname + location.search + location.hash)}`;
}

/** A request to the workspace; its answer's body (JSON or text), or an ApiError. */
async function api(method, path, {json, form, query, noRedirect = false} = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(query || {})) if (v !== null && v !== undefined && v !== "") url.searchParams.set(k, v);
  const init = {method, headers: {}, credentials: "same-origin"};
  if (method !== "GET" && !page.csrf && page.meLoading) await page.meLoading.catch(() => null);
  if (method !== "GET" && page.csrf) init.headers["X-CSRF-Token"] = page.csrf;
  if (json !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  } else if (form !== undefined) {
    init.body = form;   // multipart: the browser sets the boundary
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    throw new ApiError(t("error_network"), 0, null);
  }
  const type = response.headers.get("Content-Type") || "";
  const body = response.status === 204 ? null
    : type.includes("json") ? await response.json().catch(() => null) : await response.text();
  if (response.status === 401 && !noRedirect) {
    location.assign(loginAddress());
    throw new ApiError("", 401, body);
  }
  if (!response.ok) {
    const error = new ApiError(problemText(body) || `HTTP ${response.status}`, response.status, body);
    error.retryAfter = response.headers.get("Retry-After");
    throw error;
  }
  return body;
}

/** Who is logged in (and the CSRF token); to the login page when no one. */
async function loadMe() {
  page.meLoading = api("GET", `${W}/me`).then((me) => {
    page.me = me;
    page.csrf = me.csrf_token;
    return me;
  });
  await page.meLoading;
  $("#who").textContent = t("signed_in_as", {email: page.me.user.email});
  $("#who").hidden = false;
  $("#logout").hidden = false;
  return page.me;
}

function errorText(e) {
  if (!(e instanceof ApiError)) return String(e && e.message || e);
  if (e.status === 0) return e.message;
  if (e.status === 403) return t("error_forbidden", {message: e.message});
  return t("error_server", {message: e.message});
}

function showError(message, box = "#error") {
  const node = $(box);
  node.textContent = message || "";
  node.hidden = !message;
}

function say(message) {
  const node = $("#status");
  if (node) node.textContent = message;
}

// ---------------------------------------------------------------------------------------------
// What every page has: the language, the logout control

function applyStrings(titleKey, titleFields) {
  document.documentElement.lang = page.lang === "zh" ? "zh-CN" : "en";
  if (titleKey) document.title = t(titleKey, titleFields);
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  const toggle = $("#lang-toggle");
  toggle.textContent = t("lang_button");
  toggle.setAttribute("lang", page.lang === "zh" ? "en" : "zh");
  if (page.me) $("#who").textContent = t("signed_in_as", {email: page.me.user.email});
}

function wireCommon(onLanguage) {
  try {
    const saved = localStorage.getItem("hegui.lang");   // the questionnaire's too
    if (saved === "zh" || saved === "en") page.lang = saved;
  } catch (e) { /* private mode */ }
  $("#lang-toggle").addEventListener("click", () => {
    page.lang = page.lang === "en" ? "zh" : "en";
    try { localStorage.setItem("hegui.lang", page.lang); } catch (e) { /* private mode */ }
    onLanguage();
  });
  const logout = $("#logout");
  if (logout) {
    logout.addEventListener("click", async () => {
      try {
        await api("POST", `${W}/logout`, {noRedirect: true});
      } catch (e) { /* an ended session is logged out already */ }
      location.assign("/w/login");
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Words shared by the pages

function roleText(role) { return role ? t(`role_${role}`) : ""; }
function statusText(status) { return status ? t(`status_${status}`) : t("none_value"); }
function complianceText(c) { return c ? t(`compliance_${c}`) : t("none_value"); }

function organisationLink(id, name) {
  return el("a", {href: `/w/organisations/${encodeURIComponent(id)}`, class: "org-link"}, name);
}

function whenText(instant) {
  // "2026-12-03T15:44:24Z" as a reader's local date and minute, without seconds
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return instant || "";
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function sizeText(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function subjectText(subject) {
  return subject === "organisation" ? (page.lang === "zh" ? "组织" : "organisation") : subject;
}
