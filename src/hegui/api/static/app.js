/* hegui web questionnaire: plain JavaScript, no build step, no external network.
 *
 * The page keeps the manifest as a plain object in the browser, asks the server
 * (POST /v1/questions) for the most decisive missing fact, writes each answer into the
 * manifest and re-assesses (POST /v1/assess). Nothing here evaluates user text as code.
 */
"use strict";

// ---------------------------------------------------------------------------------------------
// UI strings

const STRINGS = {
  en: {
    page_title: "hegui: compliance questionnaire",
    skip_to_content: "Skip to content",
    tagline: "China digital-economy compliance",
    as_of: "As of",
    lang_hint: "Switch the page language",
    lang_button: "中文",
    start_title: "Which China digital-economy rules apply to your organisation?",
    start_lede: "hegui decides each obligation in its rulebook as applies, does not apply, unknown or not in force, for the date you choose, and cites the instrument and article. It asks only the questions that decide something.",
    scratch_title: "Start from scratch",
    scratch_help: "Give the organisation's name; the questions follow, most decisive first.",
    org_name: "Organisation name",
    start: "Start",
    upload_title: "Open a manifest",
    upload_help: "A hegui manifest in YAML or JSON (format: hegui/1). It stays in this browser and on this hegui server.",
    manifest_file: "Manifest file",
    next_question: "Next question",
    your_answers: "Your answers",
    undo: "Undo last answer",
    ask_skipped: "Ask skipped questions again",
    add_title: "Add a service, transfer, listing or merger",
    add_help: "Rules about services, data exports, overseas listings and concentrations are asked about once the manifest names one.",
    kind: "Kind",
    kind_service: "Service (website, app, game…)",
    kind_transfer: "Data transfer abroad",
    kind_listing: "Overseas listing",
    kind_concentration: "Merger or acquisition",
    id_label: "Short id",
    id_help: "Letters, digits, dot, dash or underscore, e.g. main-app.",
    add: "Add",
    downloads: "Downloads",
    dl_manifest: "Manifest (YAML)",
    dl_html: "Report (HTML)",
    dl_markdown: "Report (Markdown)",
    start_over: "Start over",
    findings: "Findings",
    notice: "hegui is not legal advice: it encodes published rules and researched facts to help professionals check them, and can be wrong or out of date.",
    rulebook: "Rulebook {version} · hegui {hegui}",
    meta: "Assessed as of {as_of}",
    status_applies: "Applies",
    status_unknown: "Unknown: facts needed",
    status_does_not_apply: "Does not apply",
    status_not_in_force: "Not in force on this date",
    compliance_satisfied: "satisfied",
    compliance_open: "open",
    compliance_overdue: "overdue",
    summary: "{total} findings: {applies} apply, {unknown} unknown, {does_not_apply} do not apply, {not_in_force} not in force.",
    due: "Due {date}",
    due_continuing: "Standing duty",
    bounds_between: "between {low} and {high} (derived)",
    bounds_at_least: "at least {low} (derived)",
    items_n: "{n} items",
    next_step: "To clear it:",
    next_record: "Then record it in the manifest under compliance:",
    recurring: "recurring",
    needs: "Needs: {facts}",
    in_force: "in force {date}",
    subject_organisation: "organisation",
    explain: "Explanation",
    explain_for: "Explanation of {obligation} for {subject}",
    governing: "Governing version",
    judged_on: "Judged on {date}",
    reasoning: "Reasoning",
    deadline: "Deadline",
    penalty: "Maximum penalty",
    warnings: "Warnings",
    role_condition: "condition",
    role_exemption: "exemption",
    role_event: "event",
    role_transitional: "transitional",
    role_in_force: "in force",
    mark_yes: "yes",
    mark_no: "no",
    mark_unknown: "unknown",
    facts: "Facts",
    parameters: "Thresholds",
    worded: "worded {w}",
    unverified: "unverified rule",
    newly: "changed",
    q_progress: "Decides {count} finding(s) · {left} question(s) left",
    q_about: "About: {about}",
    q_fill: "Fills in {path}",
    q_decides: "Would decide: {list}",
    q_dates: "Would set the deadline of: {list}",
    type_activities: "Tick every activity it carries on; those left unticked count as not carried on, and their detailed questions are not asked.",
    activities_none: "none of these",
    yes: "Yes",
    no: "No",
    skip: "Skip",
    answer: "Answer",
    answer_label: "Your answer",
    none_selected: "None of these",
    q_none: "No more questions: every finding that facts could decide is decided.",
    q_none_skipped: "No more questions, except the {count} you skipped.",
    type_count: "A whole number, e.g. 1200000 (commas allowed).",
    type_money: "An amount in RMB, e.g. 400000000.",
    type_ratio: "A share between 0 and 1, or a percentage such as 25%.",
    type_date: "A date.",
    type_country: "A two-letter country code (ISO 3166-1), e.g. US, SG, GB.",
    type_text: "A code in capitals, e.g. NASDAQ.",
    type_items: "Names separated by commas.",
    type_choices: "Tick all that apply.",
    bad_count: "Enter a whole number of 0 or more.",
    bad_money: "Enter an amount of 0 or more.",
    bad_ratio: "Enter a share between 0 and 1, or a percentage up to 100%.",
    bad_date: "Enter a date as YYYY-MM-DD.",
    bad_country: "Enter a two-letter country code such as US.",
    bad_text: "Enter a code of capital letters and digits.",
    bad_items: "Enter at least one name.",
    bad_empty: "Enter an answer, or skip the question.",
    bad_choice: "Choose one of the values.",
    answered_none: "No answers yet.",
    answered_count: "{count} answered, {skipped} skipped.",
    skipped_mark: "skipped",
    loading: "Working…",
    error_server: "The server could not do this: {message}",
    error_network: "The hegui server did not answer. Is it still running?",
    error_file: "{file}: {message}",
    error_yaml_edit: "The server reads this file, but the page cannot edit this YAML. Save it as JSON (hegui can read both) and open that.",
    error_name: "Enter the organisation's name.",
    error_id: "Enter a short id: letters, digits, dot, dash or underscore.",
    error_id_used: "The id {id} is already used in {list}.",
    added: "Added {kind} {id}.",
    downloaded: "Downloaded {file}.",
    answered_live: "Answer recorded. {summary}",
    line: "line {line}: ",
    confirm_restart: "Start over? The answers in this page are lost unless you downloaded the manifest.",
    ws_dashboard: "Dashboard",
    ws_logout: "Log out",
    ws_save_title: "Save to the workspace",
    ws_editing: "Editing {name}, version {version}.",
    ws_editing_new: "Editing {name}: no version saved yet.",
    ws_back: "Back to the organisation",
    ws_message: "Message (what changed and why)",
    ws_save: "Save as a new version",
    ws_saving: "Saving…",
    ws_saved: "Saved as version {version}.",
    ws_viewer: "You can read these answers; saving needs the editor role.",
    ws_conflict: "{author} saved version {current} since you opened version {opened}. Nothing was saved, and your answers are still on this page: download the manifest to keep them, see what changed, or load version {current}.",
    ws_someone: "Someone",
    ws_reload: "Load version {current} (replaces the answers on this page)",
    ws_see_diff: "See what changed (opens in a new tab)",
    ws_login: "Log in again (new tab)",
    ws_session_ended: "Your session has ended, so nothing was saved. Log in again in a new tab (your answers stay on this page), then save again.",
    ws_forbidden: "Not saved: {message}",
    ws_not_found: "There is no such organisation, or you are not a member of it.",
  },
  zh: {
    page_title: "hegui：合规问卷",
    skip_to_content: "跳到正文",
    tagline: "中国数字经济合规",
    as_of: "评估日",
    lang_hint: "切换页面语言",
    lang_button: "English",
    start_title: "哪些中国数字经济规则适用于贵组织？",
    start_lede: "hegui 针对所选日期，逐项判断规则库中的每项义务是适用、不适用、待定还是尚未施行，并注明法规名称和条款。它只询问能够作出判断的问题。",
    scratch_title: "从零开始",
    scratch_help: "填写组织名称，随后按决定性从高到低提问。",
    org_name: "组织名称",
    start: "开始",
    upload_title: "打开清单文件",
    upload_help: "YAML 或 JSON 格式的 hegui 清单（format: hegui/1）。文件只在本浏览器和本 hegui 服务器中使用。",
    manifest_file: "清单文件",
    next_question: "下一个问题",
    your_answers: "已作答",
    undo: "撤销上一个回答",
    ask_skipped: "重新询问已跳过的问题",
    add_title: "添加服务、数据出境、境外上市或经营者集中",
    add_help: "清单列出相应主体后，才会询问关于服务、数据出境、境外上市和经营者集中的规则。",
    kind: "类型",
    kind_service: "服务（网站、App、游戏等）",
    kind_transfer: "数据出境",
    kind_listing: "境外上市",
    kind_concentration: "经营者集中（并购）",
    id_label: "简短标识",
    id_help: "字母、数字、点、连字符或下划线，例如 main-app。",
    add: "添加",
    downloads: "下载",
    dl_manifest: "清单（YAML）",
    dl_html: "报告（HTML）",
    dl_markdown: "报告（Markdown）",
    start_over: "重新开始",
    findings: "评估结论",
    notice: "hegui 不构成法律意见：它将已公布的规则和经研究的事实编码，供专业人士核对，可能有误或已过时。",
    rulebook: "规则库版本 {version} · hegui {hegui}",
    meta: "评估日 {as_of}",
    status_applies: "适用",
    status_unknown: "待定：需补充事实",
    status_does_not_apply: "不适用",
    status_not_in_force: "该日未施行",
    compliance_satisfied: "已履行",
    compliance_open: "待履行",
    compliance_overdue: "已逾期",
    summary: "共 {total} 项结论：适用 {applies}，待定 {unknown}，不适用 {does_not_apply}，未施行 {not_in_force}。",
    due: "期限 {date}",
    due_continuing: "持续义务",
    bounds_between: "介于 {low} 与 {high} 之间（推算）",
    bounds_at_least: "至少 {low}（推算）",
    items_n: "{n} 项",
    next_step: "办理方式：",
    next_record: "办理后在清单的 compliance: 下记录：",
    recurring: "周期性",
    needs: "需补充：{facts}",
    in_force: "{date} 起施行",
    subject_organisation: "组织",
    explain: "详细说明",
    explain_for: "{obligation}（{subject}）的详细说明",
    governing: "适用版本",
    judged_on: "判断日 {date}",
    reasoning: "推理过程",
    deadline: "期限",
    penalty: "最高处罚",
    warnings: "提示",
    role_condition: "条件",
    role_exemption: "豁免",
    role_event: "事件",
    role_transitional: "过渡",
    role_in_force: "施行",
    mark_yes: "是",
    mark_no: "否",
    mark_unknown: "未知",
    facts: "事实",
    parameters: "阈值",
    worded: "原文用语“{w}”",
    unverified: "未核实的规则",
    newly: "有变化",
    q_progress: "可决定 {count} 项结论 · 还剩 {left} 个问题",
    q_about: "涉及：{about}",
    q_fill: "填入 {path}",
    q_decides: "可决定：{list}",
    q_dates: "可确定以下结论的期限：{list}",
    type_activities: "勾选其开展的所有活动；未勾选的视为未开展，相关的具体问题不再询问。",
    activities_none: "均未开展",
    yes: "是",
    no: "否",
    skip: "跳过",
    answer: "回答",
    answer_label: "您的回答",
    none_selected: "以上都不是",
    q_none: "没有更多问题：凡能由事实决定的结论均已决定。",
    q_none_skipped: "没有更多问题（另有 {count} 个已跳过）。",
    type_count: "整数，例如 1200000（可用逗号分隔）。",
    type_money: "人民币金额，例如 400000000。",
    type_ratio: "0 到 1 之间的比例，或百分比，例如 25%。",
    type_date: "日期。",
    type_country: "两位国家或地区代码（ISO 3166-1），例如 US、SG、GB。",
    type_text: "大写代码，例如 NASDAQ。",
    type_items: "名称，以逗号分隔。",
    type_choices: "勾选所有适用项。",
    bad_count: "请输入不小于 0 的整数。",
    bad_money: "请输入不小于 0 的金额。",
    bad_ratio: "请输入 0 到 1 之间的比例，或不超过 100% 的百分比。",
    bad_date: "请按 YYYY-MM-DD 输入日期。",
    bad_country: "请输入两位国家或地区代码，例如 US。",
    bad_text: "请输入由大写字母和数字组成的代码。",
    bad_items: "请至少输入一个名称。",
    bad_empty: "请作答，或跳过此问题。",
    bad_choice: "请选择一个选项。",
    answered_none: "尚未作答。",
    answered_count: "已回答 {count} 个，跳过 {skipped} 个。",
    skipped_mark: "已跳过",
    loading: "处理中…",
    error_server: "服务器无法完成：{message}",
    error_network: "hegui 服务器没有响应，请确认它仍在运行。",
    error_file: "{file}：{message}",
    error_yaml_edit: "服务器可以读取此文件，但本页面无法编辑这种 YAML。请另存为 JSON（hegui 两种格式都能读取）后再打开。",
    error_name: "请填写组织名称。",
    error_id: "请填写简短标识：字母、数字、点、连字符或下划线。",
    error_id_used: "标识 {id} 已在 {list} 中使用。",
    added: "已添加 {kind} {id}。",
    downloaded: "已下载 {file}。",
    answered_live: "已记录回答。{summary}",
    line: "第 {line} 行：",
    confirm_restart: "确定重新开始？除非已下载清单，本页中的回答将丢失。",
    ws_dashboard: "总览",
    ws_logout: "退出登录",
    ws_save_title: "保存到工作区",
    ws_editing: "正在编辑 {name}，第 {version} 版。",
    ws_editing_new: "正在编辑 {name}：尚未保存任何版本。",
    ws_back: "返回组织页面",
    ws_message: "说明（修改了什么、为什么）",
    ws_save: "保存为新版本",
    ws_saving: "正在保存…",
    ws_saved: "已保存为第 {version} 版。",
    ws_viewer: "您可以查看这些回答；保存需要编辑者角色。",
    ws_conflict: "在您打开第 {opened} 版之后，{author} 已保存了第 {current} 版。本次未保存，您的回答仍在本页：可下载清单留存、查看变化，或载入第 {current} 版。",
    ws_someone: "其他人",
    ws_reload: "载入第 {current} 版（将替换本页中的回答）",
    ws_see_diff: "查看变化（在新标签页中打开）",
    ws_login: "重新登录（新标签页）",
    ws_session_ended: "您的登录已过期，本次未保存。请在新标签页中重新登录（本页回答保留），然后再次保存。",
    ws_forbidden: "未保存：{message}",
    ws_not_found: "没有该组织，或您不是其成员。",
  },
};

const STATUSES = ["applies", "unknown", "does_not_apply", "not_in_force"];
const LISTS = {service: "services", transfer: "transfers", listing: "listings", concentration: "concentrations"};

const state = {
  lang: "en",
  asOf: null,
  manifest: null,
  fileName: null,
  assessment: null,
  questions: [],
  answers: [],            // {fact, subject, path, text, value, previous, existed}
  skipped: new Set(),     // "fact|subject"
  titles: {},             // obligation -> {en, zh}
  schema: null,
  previousStatus: new Map(),
  changed: new Set(),
  busy: 0,
  workspace: null,        // editing a workspace organisation: {id, name, version, role, csrf, problem, saved}
  requestSerial: 0,
};

function t(key, fields) {
  const table = STRINGS[state.lang] || STRINGS.en;
  let text = key in table ? table[key] : (STRINGS.en[key] !== undefined ? STRINGS.en[key] : key);
  if (fields) {
    for (const [name, value] of Object.entries(fields)) text = text.split(`{${name}}`).join(String(value));
  }
  return text;
}

const $ = (sel) => document.querySelector(sel);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function today() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// ---------------------------------------------------------------------------------------------
// The server

class ServerError extends Error {
  constructor(message, status) { super(message); this.status = status; }
}

function problemText(body) {
  if (!body) return "";
  if (typeof body === "string") return body;
  if (Array.isArray(body.errors) && body.errors.length) {
    return body.errors.map((p) => problemLine(p)).join("\n");
  }
  if (Array.isArray(body.problems) && body.problems.length) {
    return body.problems.map((p) => problemLine(p)).join("; ");
  }
  if (Array.isArray(body.detail)) return body.detail.map((p) => problemLine(p)).join("; ");
  if (body.detail && typeof body.detail === "object") return problemText(body.detail);
  if (typeof body.detail === "string") return body.detail;
  if (typeof body.error === "string") return body.error;
  if (typeof body.message === "string") return body.message;
  return JSON.stringify(body);
}

function problemLine(p) {
  if (typeof p === "string") return p;
  if (p.text) return p.text;
  const where = p.path || (Array.isArray(p.loc) ? p.loc.join(".") : p.loc) || p.field || "";
  const line = p.line ? t("line", {line: p.line}) : "";
  const message = p.message || p.msg || JSON.stringify(p);
  return where ? `${line}${where}: ${message}` : `${line}${message}`;
}

async function call(method, path, {query, json, text, contentType, accept, headers} = {}) {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(query || {})) if (v !== null && v !== undefined) url.searchParams.set(k, v);
  const init = {method, headers: {...headers}};
  if (json !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  } else if (text !== undefined) {
    init.headers["Content-Type"] = contentType || "application/yaml";
    init.body = text;
  }
  if (accept) init.headers.Accept = accept;
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    throw new ServerError(t("error_network"), 0);
  }
  const type = response.headers.get("Content-Type") || "";
  const body = type.includes("json") ? await response.json().catch(() => null) : await response.text();
  if (!response.ok) throw new ServerError(problemText(body) || `HTTP ${response.status}`, response.status);
  return {body, type, response};
}

function busy(on) {
  state.busy += on ? 1 : -1;
  document.body.classList.toggle("is-busy", state.busy > 0);
  const panel = $("#question-panel");
  if (panel) panel.setAttribute("aria-busy", state.busy > 0 ? "true" : "false");
}

function showError(message) {
  const box = $("#error");
  box.textContent = message;
  box.hidden = !message;
}

// ---------------------------------------------------------------------------------------------
// Titles in both languages (from GET /v1/rules) and the manifest schema (GET /v1/schema)

async function loadTitles() {
  try {
    const {body} = await call("GET", "/v1/rules", {query: {format: "json"}});
    const rows = Array.isArray(body) ? body : (body && (body.rules || body.obligations)) || [];
    for (const r of rows) {
      if (r && r.obligation) state.titles[r.obligation] = {en: r.title, zh: r.title_zh || r.title};
    }
  } catch (e) { /* titles fall back to the findings' own */ }
}

async function loadSchema() {
  try {
    const {body} = await call("GET", "/v1/schema");
    if (body && typeof body === "object") state.schema = body;
  } catch (e) { /* keys are then appended in answer order */ }
}

/** The schema's property names, in declared order, for the object at a manifest path. */
function schemaOrder(parts) {
  const schema = state.schema;
  if (!schema) return null;
  const resolve = (node) => {
    for (let i = 0; node && i < 8; i++) {
      if (node.$ref) node = schema.$defs[node.$ref.split("/").pop()];
      else if (node.anyOf) node = node.anyOf.find((n) => n.type !== "null") || null;
      else if (node.type === "array" && node.items) node = node.items;
      else break;
    }
    return node;
  };
  let node = resolve(schema);
  for (const part of parts) {
    if (typeof part === "number") continue;
    node = resolve(node && node.properties ? node.properties[part] : null);
    if (!node) return null;
  }
  return node && node.properties ? Object.keys(node.properties) : null;
}

function findingTitle(f) {
  if (state.lang === "zh") {
    if (f.title_zh) return f.title_zh;
    const known = state.titles[f.obligation];
    if (known && known.zh) return known.zh;
  }
  return f.title;
}

// ---------------------------------------------------------------------------------------------
// The manifest: paths, values

function pathParts(path) {
  const parts = [];
  const re = /([^.[\]]+)|\[(\d+)\]/g;
  let m;
  while ((m = re.exec(path)) !== null) parts.push(m[1] !== undefined ? m[1] : Number(m[2]));
  return parts;
}

function getValue(doc, path) {
  let node = doc;
  for (const part of pathParts(path)) {
    if (node === null || node === undefined) return undefined;
    node = node[part];
  }
  return node;
}

/** Put a key into an object where the schema orders it among the keys already there. */
function putOrdered(obj, key, value, order) {
  if (key in obj || !order || !order.includes(key)) { obj[key] = value; return obj; }
  const rank = (k) => order.indexOf(k);
  const entries = Object.entries(obj);
  let at = entries.length;
  for (let i = 0; i < entries.length; i++) {
    const r = rank(entries[i][0]);
    if (r > rank(key)) { at = i; break; }
  }
  entries.splice(at, 0, [key, value]);
  for (const k of Object.keys(obj)) delete obj[k];
  for (const [k, v] of entries) obj[k] = v;
  return obj;
}

function setValue(doc, path, value) {
  const parts = pathParts(path);
  let node = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i];
    if (node[part] === null || node[part] === undefined) {
      putOrdered(node, part, typeof parts[i + 1] === "number" ? [] : {}, schemaOrder(parts.slice(0, i)));
    }
    node = node[part];
  }
  const last = parts[parts.length - 1];
  putOrdered(node, last, value, schemaOrder(parts.slice(0, -1)));
}

function deleteValue(doc, path) {
  const parts = pathParts(path);
  const trail = [doc];
  let node = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    node = node[parts[i]];
    if (node === null || node === undefined) return;
    trail.push(node);
  }
  delete node[parts[parts.length - 1]];
  // Remove sections the answer created and left empty.
  for (let i = parts.length - 2; i >= 1; i--) {
    const holder = trail[i];
    if (holder && typeof holder === "object" && !Array.isArray(holder) && Object.keys(holder).length === 0) {
      delete trail[i - 1][parts[i - 1]];
    } else break;
  }
}

const clone = (value) => JSON.parse(JSON.stringify(value));

// ---------------------------------------------------------------------------------------------
// YAML: a reader for the block YAML manifests are written in, and a writer

class YamlError extends Error {}

function stripComment(line) {
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\" && quote === '"') { i++; continue; }
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s:[{,-]/.test(line[i - 1])) quote = c;
    } else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]))) {
      return line.slice(0, i);
    }
  }
  return line;
}

function parseYaml(text) {
  const raw = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const lines = [];
  for (let n = 0; n < raw.length; n++) {
    const content = raw[n];
    if (/^(---|\.\.\.)\s*$/.test(content)) { if (lines.length) break; continue; }
    if (/^%/.test(content)) continue;
    const stripped = stripComment(content).replace(/\s+$/, "");
    if (!stripped.trim()) { lines.push({blank: true, raw: content, n: n + 1}); continue; }
    if (/^\t/.test(stripped)) throw new YamlError(`line ${n + 1}: tabs are not allowed for indentation`);
    const indent = stripped.match(/^ */)[0].length;
    lines.push({indent, text: stripped.slice(indent), raw: content, n: n + 1});
  }
  let pos = 0;
  const skipBlank = () => { while (pos < lines.length && lines[pos].blank) pos++; };
  const peek = () => { skipBlank(); return pos < lines.length ? lines[pos] : null; };
  const isSeq = (s) => s === "-" || s.startsWith("- ");

  function splitKey(s) {
    let key, rest;
    if (s[0] === '"' || s[0] === "'") {
      const end = scanQuoted(s, 0);
      key = scalar(s.slice(0, end));
      rest = s.slice(end).replace(/^\s*/, "");
      if (!rest.startsWith(":")) return null;
      rest = rest.slice(1);
    } else {
      if (/^[[{]/.test(s)) return null;
      const m = s.match(/^(.+?):(?=\s|$)/);
      if (!m) return null;
      key = m[1].trim();
      rest = s.slice(m[0].length);
    }
    if (rest && !/^\s/.test(rest)) return null;
    return {key, rest: rest.trim()};
  }

  function blockScalar(header, parentIndent) {
    const fold = header[0] === ">";
    const keep = header.includes("+"), chomp = header.includes("-");
    const body = [];
    let indent = null;
    while (pos < lines.length) {
      const line = lines[pos];
      const rawIndent = line.raw.match(/^ */)[0].length;
      if (!line.raw.trim()) { body.push(""); pos++; continue; }
      if (rawIndent <= parentIndent) break;
      if (indent === null) indent = rawIndent;
      if (rawIndent < indent) break;
      body.push(line.raw.slice(indent));
      pos++;
    }
    while (!keep && body.length && body[body.length - 1] === "") body.pop();
    let out = fold ? body.reduce((acc, l, i) => acc + (i === 0 ? l : (l === "" || body[i - 1] === "" ? "\n" + l : " " + l)), "")
      : body.join("\n");
    if (!chomp && out) out += "\n";
    return out;
  }

  function valueAfter(rest, indent, line) {
    if (rest === "") {
      const next = peek();
      if (next && next.indent > indent) return block(next.indent);
      if (next && next.indent === indent && isSeq(next.text)) return block(indent);
      return null;
    }
    if (/^[|>][+-]?\d*$/.test(rest)) return blockScalar(rest, indent);
    if (rest[0] === "[" || rest[0] === "{") {
      let source = rest;
      while (!balanced(source)) {
        const next = lines[pos];
        if (!next) throw new YamlError(`line ${line.n}: unclosed ${rest[0]}`);
        pos++;
        if (!next.blank) source += " " + next.text;
      }
      return flow(source, line.n);
    }
    // A plain scalar may continue on more indented lines.
    let value = rest;
    while (true) {
      const next = peek();
      if (!next || next.indent <= indent || rest[0] === '"' || rest[0] === "'") break;
      value += " " + next.text;
      pos++;
    }
    return scalar(value);
  }

  function mapping(indent) {
    const out = {};
    while (true) {
      const line = peek();
      if (!line || line.indent < indent) break;
      if (line.indent > indent) throw new YamlError(`line ${line.n}: unexpected indentation`);
      if (isSeq(line.text)) break;
      const kv = splitKey(line.text);
      if (!kv) throw new YamlError(`line ${line.n}: expected "key: value"`);
      pos++;
      if (Object.prototype.hasOwnProperty.call(out, kv.key)) throw new YamlError(`line ${line.n}: duplicate key ${kv.key}`);
      out[kv.key] = valueAfter(kv.rest, indent, line);
    }
    return out;
  }

  function sequence(indent) {
    const out = [];
    while (true) {
      const line = peek();
      if (!line || line.indent !== indent || !isSeq(line.text)) break;
      const rest = line.text === "-" ? "" : line.text.slice(2);
      const inner = rest.replace(/^ */, "");
      if (inner === "") {
        pos++;
        const next = peek();
        out.push(next && next.indent > indent ? block(next.indent) : null);
      } else if (inner[0] !== "[" && inner[0] !== "{" && splitKey(inner)) {
        // "- key: value" starts a mapping whose keys are indented to the first key.
        line.indent = indent + (line.text.length - inner.length);
        line.text = inner;
        out.push(mapping(line.indent));
      } else {
        pos++;
        out.push(valueAfter(inner, indent, line));
      }
    }
    return out;
  }

  function block(indent) {
    const line = peek();
    return isSeq(line.text) ? sequence(indent) : mapping(indent);
  }

  const first = peek();
  if (!first) return null;
  if (first.text[0] === "[" || first.text[0] === "{") {
    return flow(lines.filter((l) => !l.blank).map((l) => l.text).join(" "), first.n);
  }
  const doc = block(first.indent);
  const rest = peek();
  if (rest) throw new YamlError(`line ${rest.n}: unexpected content`);
  return doc;
}

function scanQuoted(s, i) {
  const q = s[i];
  for (let j = i + 1; j < s.length; j++) {
    if (q === '"' && s[j] === "\\") { j++; continue; }
    if (s[j] === q) {
      if (q === "'" && s[j + 1] === "'") { j++; continue; }
      return j + 1;
    }
  }
  throw new YamlError("unclosed quote");
}

function balanced(s) {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'") { i = scanQuoted(s, i) - 1; continue; }
    if (c === "[" || c === "{") depth++;
    if (c === "]" || c === "}") depth--;
  }
  return depth <= 0;
}

function flow(source, lineNo) {
  let i = 0;
  const ws = () => { while (i < source.length && /\s/.test(source[i])) i++; };
  function item() {
    ws();
    const c = source[i];
    if (c === "[") {
      i++; const out = [];
      ws();
      if (source[i] === "]") { i++; return out; }
      while (true) {
        out.push(item()); ws();
        if (source[i] === ",") { i++; ws(); if (source[i] === "]") { i++; return out; } continue; }
        if (source[i] === "]") { i++; return out; }
        throw new YamlError(`line ${lineNo}: expected , or ]`);
      }
    }
    if (c === "{") {
      i++; const out = {};
      ws();
      if (source[i] === "}") { i++; return out; }
      while (true) {
        const key = atom(true); ws();
        if (source[i] !== ":") throw new YamlError(`line ${lineNo}: expected : in {…}`);
        i++;
        out[key] = item(); ws();
        if (source[i] === ",") { i++; ws(); if (source[i] === "}") { i++; return out; } continue; }
        if (source[i] === "}") { i++; return out; }
        throw new YamlError(`line ${lineNo}: expected , or }`);
      }
    }
    return atom(false);
  }
  function atom(isKey) {
    ws();
    if (source[i] === '"' || source[i] === "'") {
      const end = scanQuoted(source, i);
      const v = scalar(source.slice(i, end));
      i = end;
      return v;
    }
    const start = i;
    while (i < source.length && !/[,\]}]/.test(source[i]) && !(source[i] === ":" && (isKey || /\s/.test(source[i + 1] || " ")))) i++;
    return scalar(source.slice(start, i).trim());
  }
  const v = item();
  ws();
  if (i < source.length) throw new YamlError(`line ${lineNo}: unexpected ${source.slice(i, i + 10)}`);
  return v;
}

function scalar(s) {
  if (s[0] === '"') {
    return JSON.parse(s.replace(/\\x([0-9a-fA-F]{2})/g, "\\u00$1").replace(/\\([0abtnvfre "/\\N_LP])/g, (m, c) => (
      {0: "\\u0000", a: "\\u0007", v: "\\u000b", e: "\\u001b", " ": " ", N: "\\u0085", _: "\\u00a0", L: "\\u2028", P: "\\u2029"}[c] ?? m)));
  }
  if (s[0] === "'") return s.slice(1, -1).replace(/''/g, "'");
  if (s === "" || /^(null|Null|NULL|~)$/.test(s)) return null;
  if (/^(true|True|TRUE)$/.test(s)) return true;
  if (/^(false|False|FALSE)$/.test(s)) return false;
  if (/^[-+]?[0-9]+$/.test(s)) return Number(s);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s, 16);
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s)) return Number(s);
  return s;
}

const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

function yamlScalar(value) {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  const s = String(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  if (/^[A-Za-z][A-Za-z0-9_.\/\- ]*$/.test(s) && !/ $/.test(s) && !/ -|- /.test(s) && !RESERVED.test(s)) return s;
  return JSON.stringify(s);
}

function isScalar(v) { return v === null || typeof v !== "object"; }

function yamlKey(key) {
  return /^[A-Za-z_][A-Za-z0-9_\-]*$/.test(key) && !RESERVED.test(key) ? key : JSON.stringify(key);
}

function emitMapping(obj, indent, out) {
  const pad = " ".repeat(indent);
  for (const [key, value] of Object.entries(obj)) {
    if (value === null || value === undefined) continue;
    if (isScalar(value)) {
      out.push(`${pad}${yamlKey(key)}: ${yamlScalar(value)}`);
    } else if (Array.isArray(value)) {
      if (!value.length) out.push(`${pad}${yamlKey(key)}: []`);
      else if (value.every(isScalar)) out.push(`${pad}${yamlKey(key)}: [${value.map(yamlScalar).join(", ")}]`);
      else { out.push(`${pad}${yamlKey(key)}:`); emitSequence(value, indent + 2, out); }
    } else {
      const keys = Object.keys(value).filter((k) => value[k] !== null && value[k] !== undefined);
      if (!keys.length) out.push(`${pad}${yamlKey(key)}: {}`);
      else { out.push(`${pad}${yamlKey(key)}:`); emitMapping(value, indent + 2, out); }
    }
  }
}

function emitSequence(list, indent, out) {
  const pad = " ".repeat(indent);
  for (const item of list) {
    if (isScalar(item)) { out.push(`${pad}- ${yamlScalar(item)}`); continue; }
    if (Array.isArray(item)) {
      out.push(`${pad}- [${item.map((v) => (isScalar(v) ? yamlScalar(v) : JSON.stringify(v))).join(", ")}]`);
      continue;
    }
    const inner = [];
    emitMapping(item, indent + 2, inner);
    if (!inner.length) { out.push(`${pad}- {}`); continue; }
    inner[0] = `${pad}- ${inner[0].slice(indent + 2)}`;
    out.push(...inner);
  }
}

function toYaml(manifest, header) {
  const out = [];
  for (const line of header || []) out.push(`# ${line}`);
  const keys = Object.keys(manifest).filter((k) => manifest[k] !== null && manifest[k] !== undefined
    && !(Array.isArray(manifest[k]) && manifest[k].length === 0));
  keys.forEach((key, i) => {
    if (i > 0 && !isScalar(manifest[key])) out.push("");
    emitMapping({[key]: manifest[key]}, 0, out);
  });
  return out.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------
// Assess and ask

function label(status) { return t(`status_${status}`); }

function subjectText(subject) {
  return subject === "organisation" ? t("subject_organisation") : subject;
}

// An article as the page shows it. With lang=zh the API gives its Chinese label beside it
// (`article_zh`, worded by report/json_report.py from the rule file's article_zh or its numbers).
function articleText(x) {
  const article = (x && x.article) || "";
  if (state.lang === "zh" && x.article_zh) return x.article_zh;
  return /^\d/.test(article) ? `Art. ${article}` : article;
}

// The server words the citation (JSON `citation.text`), in the language asked for.
function citationText(c) {
  return (c && c.text) || "";
}

async function refresh({focusQuestion = false, announce = false} = {}) {
  const serial = ++state.requestSerial;
  const query = {as_of: state.asOf, lang: state.lang};
  busy(true);
  try {
    const [assessed, asked] = await Promise.all([
      call("POST", "/v1/assess", {query, json: state.manifest}),
      // A skipped multi-select of the gates: ask them one by one instead.
      call("POST", "/v1/questions", {query: {...query, grouped: !state.skipped.has("organisation.activities|organisation")},
        json: state.manifest}),
    ]);
    if (serial !== state.requestSerial) return false;
    const assessment = assessed.body;
    const body = asked.body;
    state.questions = Array.isArray(body) ? body : (body && body.questions) || [];
    // Mark the findings whose status changed since the last assessment.
    state.changed = new Set();
    const now = new Map();
    for (const f of assessment.findings || []) {
      const key = `${f.obligation}|${f.subject}`;
      now.set(key, f.status);
      if (state.previousStatus.size && state.previousStatus.has(key) && state.previousStatus.get(key) !== f.status) {
        state.changed.add(key);
      }
    }
    state.previousStatus = now;
    state.assessment = assessment;
    showError("");
    render({focusQuestion});
    if (announce) $("#summary").textContent = t("answered_live", {summary: summaryText()});
    return true;
  } catch (e) {
    if (serial === state.requestSerial) showError(e instanceof ServerError && e.status !== 0 ? t("error_server", {message: e.message}) : e.message);
    return false;
  } finally {
    busy(false);
  }
}

function openQuestions() {
  return state.questions.filter((q) => !state.skipped.has(`${q.fact}|${q.subject}`));
}

function summaryCounts() {
  const counts = {total: 0, applies: 0, unknown: 0, does_not_apply: 0, not_in_force: 0};
  for (const f of (state.assessment && state.assessment.findings) || []) {
    counts.total++;
    counts[f.status] = (counts[f.status] || 0) + 1;
  }
  return counts;
}

function summaryText() { return t("summary", summaryCounts()); }

// ---------------------------------------------------------------------------------------------
// Rendering

function applyStrings() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  document.title = t("page_title");
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  const toggle = $("#lang-toggle");
  toggle.textContent = t("lang_button");
  toggle.setAttribute("lang", state.lang === "zh" ? "en" : "zh");
  if (state.workspace) renderWorkspace();
}

function render({focusQuestion = false} = {}) {
  applyStrings();
  if (!state.manifest) return;
  const a = state.assessment;
  $("#org-title").textContent = (a && a.organisation) || state.manifest.organisation.name;
  $("#work-meta").textContent = t("meta", {as_of: (a && a.as_of) || state.asOf});
  if (a && a.rulebook) $("#rulebook").textContent = t("rulebook", {version: a.rulebook.version, hegui: a.hegui || ""});
  renderQuestion(focusQuestion);
  renderAnswers();
  renderFindings();
}

function questionAbout(q) {
  const m = q.fact.match(/\[(\d+)\]/);
  let about = subjectText(q.subject);
  if (m) about += ` #${Number(m[1]) + 1}${q.item ? ` (${q.item})` : ""}`;
  return about;
}

function renderQuestion(focus) {
  const box = $("#question");
  box.replaceChildren();
  const open = openQuestions();
  if (!open.length) {
    box.append(el("p", {class: "done", id: "no-more-questions"},
      state.skipped.size ? t("q_none_skipped", {count: state.skipped.size}) : t("q_none")));
    $("#restore-skipped").hidden = !state.skipped.size;
    return;
  }
  $("#restore-skipped").hidden = !state.skipped.size;
  const q = open[0];
  const qid = "q-text";
  const hintId = q.hint ? "q-hint" : null;
  const typeId = "q-type";
  const errorId = "q-error";
  const described = [hintId, typeId, errorId].filter(Boolean).join(" ");
  const form = el("form", {class: "question-form", novalidate: true, "data-fact": q.fact, "data-subject": q.subject,
    "data-type": q.type, "data-path": q.path, "aria-labelledby": qid});
  form.append(
    el("p", {class: "q-meta"}, el("span", {class: "tag"}, questionAbout(q)), " ",
      el("span", {class: "muted"}, t("q_progress", {count: (q.decides || []).length + (q.dates || []).length, left: open.length}))),
    el("p", {id: qid, class: "q-text"}, q.question || q.text || q.fact),
  );
  if (q.hint) form.append(el("p", {id: hintId, class: "hint"}, q.hint));
  const control = el("div", {class: "q-control"});
  const error = el("p", {id: errorId, class: "field-error", role: "alert"});
  let read = null;   // () => value, or throws a message
  const typeHelp = (key) => el("p", {id: typeId, class: "help"}, t(key));
  const unit = q.type === "number" ? (q.unit || "money") : null;

  if (q.type === "bool") {
    const yes = el("button", {type: "button", class: "btn btn-primary answer-yes", "data-answer": "yes", "aria-describedby": described},
      t("yes"));
    const no = el("button", {type: "button", class: "btn btn-primary answer-no", "data-answer": "no", "aria-describedby": described},
      t("no"));
    yes.addEventListener("click", () => answer(q, true));
    no.addEventListener("click", () => answer(q, false));
    control.append(el("div", {class: "choice-buttons", role: "group", "aria-labelledby": qid}, yes, no));
  } else if (q.type === "choice") {
    const select = el("select", {id: "q-input", name: "answer", "aria-labelledby": qid, "aria-describedby": described});
    select.append(el("option", {value: ""}, "—"));
    for (const v of q.values || []) select.append(el("option", {value: v}, v));
    control.append(select);
    select.addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); form.requestSubmit(); }
    });
    read = () => { if (!select.value) throw t("bad_choice"); return select.value; };
  } else if (q.type === "activities") {
    // The gates as one multi-select: each area ticked is carried on, each left unticked is not.
    const boxes = (q.values || []).map((v, i) => {
      const id = `q-choice-${i}`;
      return el("label", {class: "check", for: id},
        el("input", {type: "checkbox", id, value: v, name: "answer", "data-area": v}), (q.labels || [])[i] || v);
    });
    control.append(el("fieldset", {class: "checks", "aria-describedby": described},
      el("legend", {class: "visually-hidden"}, q.question || q.fact), boxes));
    control.append(typeHelp("type_activities"));
    control.addEventListener("keydown", (event) => {   // Enter on a box answers, as in a text field
      if (event.key === "Enter" && event.target.type === "checkbox") { event.preventDefault(); form.requestSubmit(); }
    });
    read = () => Object.fromEntries(Array.from(form.querySelectorAll("input[type=checkbox]"))
      .map((b) => [b.value, b.checked]));
  } else if (q.type === "choices") {
    const boxes = (q.values || []).map((v, i) => {
      const id = `q-choice-${i}`;
      return el("label", {class: "check", for: id}, el("input", {type: "checkbox", id, value: v, name: "answer"}), v);
    });
    control.append(el("fieldset", {class: "checks", "aria-describedby": described},
      el("legend", {class: "visually-hidden"}, q.question || q.fact), boxes));
    read = () => Array.from(form.querySelectorAll("input[type=checkbox]:checked")).map((b) => b.value);
    form.append();
    control.append(typeHelp("type_choices"));
  } else {
    const attrs = {id: "q-input", name: "answer", "aria-labelledby": qid, "aria-describedby": described, autocomplete: "off"};
    let input;
    if (q.type === "date") input = el("input", {...attrs, type: "date"});
    else if (q.type === "number") input = el("input", {...attrs, type: "text", inputmode: unit === "ratio" ? "decimal" : "numeric", spellcheck: "false"});
    else if (q.type === "country") input = el("input", {...attrs, type: "text", maxlength: "2", size: "4", spellcheck: "false", autocapitalize: "characters", class: "short"});
    else input = el("input", {...attrs, type: "text", spellcheck: "false"});
    control.append(input);
    const helpKey = q.type === "number" ? `type_${unit}` : `type_${q.type}`;
    if (STRINGS.en[helpKey]) control.append(typeHelp(helpKey));
    read = () => parseAnswer(q, input.value);
  }
  form.append(control, error);
  const actions = el("div", {class: "actions"});
  if (read) actions.append(el("button", {type: "submit", class: "btn btn-primary", id: "q-submit"}, t("answer")));
  const skip = el("button", {type: "button", class: "btn btn-quiet", id: "q-skip"}, t("skip"));
  skip.addEventListener("click", async () => {
    state.skipped.add(`${q.fact}|${q.subject}`);
    // Skipping the multi-select of the gates asks them one at a time: fetch those questions.
    if (q.type === "activities") await refresh({focusQuestion: true});
    else renderQuestion(true);
    renderAnswers();
  });
  actions.append(skip);
  form.append(actions);
  const listOf = (items) => el("ul", null, items.map((d) => el("li", null, el("code", null, d.obligation), " ",
    subjectText(d.subject))));
  const heading = (key) => t(key, {list: ""}).replace(/[:：]\s*$/, "");
  if ((q.decides || []).length || (q.dates || []).length) {
    const decides = el("details", {class: "decides"},
      el("summary", null, heading((q.decides || []).length ? "q_decides" : "q_dates")));
    if ((q.decides || []).length) decides.append(listOf(q.decides));
    if ((q.dates || []).length) {
      if ((q.decides || []).length) decides.append(el("p", {class: "q-dates-title"}, heading("q_dates")));
      decides.append(el("div", {class: "q-dates"}, listOf(q.dates)));
    }
    decides.append(el("p", {class: "muted small"}, t("q_fill", {path: q.path})));
    form.append(decides);
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!read) return;
    try {
      const value = read();
      error.textContent = "";
      answer(q, value);
    } catch (message) {
      error.textContent = typeof message === "string" ? message : message.message;
      const input = form.querySelector("#q-input, input");
      if (input) { input.setAttribute("aria-invalid", "true"); input.focus(); }
    }
  });
  box.append(form);
  if (focus) {
    const first = form.querySelector("#q-input, .choice-buttons button, input, select");
    if (first) first.focus({preventScroll: false});
  }
}

function parseAnswer(q, text) {
  const s = String(text || "").trim();
  if (!s) throw t("bad_empty");
  if (q.type === "number") {
    const unit = q.unit || "money";
    const percent = unit === "ratio" && s.endsWith("%");
    const cleaned = s.replace(/%$/, "").replace(/[\s,_，]/g, "");
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(cleaned)) throw t(`bad_${unit}`);
    let value = Number(cleaned);
    if (unit === "count") {
      if (!/^\d+$/.test(cleaned)) throw t("bad_count");
      return value;
    }
    if (unit === "ratio") {
      if (percent) value = value / 100;
      if (value > 1) throw t("bad_ratio");
    }
    return value;
  }
  if (q.type === "date") {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(s))) throw t("bad_date");
    return s;
  }
  if (q.type === "country") {
    const code = s.toUpperCase();
    if (!/^[A-Z]{2}$/.test(code)) throw t("bad_country");
    return code;
  }
  if (q.type === "items") {
    const names = s.split(/[,，、]/).map((n) => n.trim()).filter(Boolean);
    if (!names.length) throw t("bad_items");
    return names.map((name) => ({name}));
  }
  if (q.type === "text") {
    const code = s.toUpperCase();
    if (!/^[A-Z][A-Z0-9]*$/.test(code)) throw t("bad_text");
    return code;
  }
  return s;
}

async function answer(q, value) {
  const existed = getValue(state.manifest, q.path) !== undefined;
  const before = clone(state.manifest);
  if (q.type === "activities") {
    for (const [code, on] of Object.entries(value)) setValue(state.manifest, `${q.path}.${code}`, on);
  } else {
    setValue(state.manifest, q.path, value);
  }
  const shown = q.type === "activities"
    ? ((q.values || []).filter((v) => value[v]).map((v) => (q.labels || [])[(q.values || []).indexOf(v)] || v))
    : value;
  // Both languages of the question (and of the activities chosen), so the list of answers follows
  // a later change of language.
  const record = {fact: q.fact, subject: q.subject, path: q.path, text: q.question || q.text || q.fact,
    texts: q.texts, value: q.type === "activities" && !shown.length ? t("activities_none") : shown,
    chosen: q.type === "activities" ? (q.values || []).filter((v) => value[v]) : null,
    labelTexts: q.label_texts, before};
  const ok = await refresh({focusQuestion: true, announce: true});
  if (ok) {
    state.answers.push(record);
    renderAnswers();
  } else {
    state.manifest = before;
    const error = $("#q-error");
    if (error) error.textContent = $("#error").textContent;
  }
  void existed;
}

function valueText(value) {
  if (value === true) return t("yes");
  if (value === false) return t("no");
  if (Array.isArray(value)) return value.map((v) => (v && typeof v === "object" ? v.name : v)).join(", ") || "—";
  if (typeof value === "number") return value.toLocaleString(state.lang === "zh" ? "zh-CN" : "en-US", {maximumFractionDigits: 6});
  return String(value);
}

function renderAnswers() {
  const list = $("#answers");
  list.replaceChildren();
  for (const a of state.answers) {
    const text = (a.texts && a.texts[state.lang]) || a.text;
    let value = a.value;
    if (a.chosen) {
      value = a.chosen.length ? a.chosen.map((code) => ((a.labelTexts || {})[code] || {})[state.lang] || code)
        : t("activities_none");
    }
    list.append(el("li", null, el("span", {class: "answer-q"}, text), " ",
      el("strong", {class: "answer-v"}, valueText(value))));
  }
  $("#answers-summary").textContent = state.answers.length || state.skipped.size
    ? t("answered_count", {count: state.answers.length, skipped: state.skipped.size}) : t("answered_none");
  $("#undo").disabled = !state.answers.length;
}

function renderFindings() {
  const a = state.assessment;
  const root = $("#findings");
  root.replaceChildren();
  if (!a) return;
  $("#summary").textContent = summaryText();
  for (const status of STATUSES) {
    const findings = (a.findings || []).filter((f) => f.status === status);
    const headingId = `group-${status}`;
    const section = el("section", {class: `group group-${status}`, "aria-labelledby": headingId, "data-status": status});
    section.append(el("h3", {id: headingId, class: "group-title"},
      el("span", {class: `dot dot-${status}`, "aria-hidden": "true"}), label(status), " ",
      el("span", {class: "count"}, `(${findings.length})`)));
    if (!findings.length) { section.append(el("p", {class: "muted small empty"}, "—")); root.append(section); continue; }
    const list = el("ul", {class: "findings"});
    findings.sort((x, y) => complianceRank(x) - complianceRank(y));
    for (const f of findings) list.append(findingItem(f));
    section.append(list);
    root.append(section);
  }
}

function complianceRank(f) {
  return {overdue: 0, open: 1, satisfied: 2}[f.compliance] ?? 3;
}

function findingItem(f) {
  const key = `${f.obligation}|${f.subject}`;
  const c = f.citation || {};
  const item = el("li", {class: "finding", "data-obligation": f.obligation, "data-subject": f.subject, "data-status": f.status});
  const head = el("div", {class: "finding-head"},
    el("h4", {class: "finding-title"}, findingTitle(f)),
    el("div", {class: "badges"},
      f.compliance ? el("span", {class: `badge badge-${f.compliance}`}, t(`compliance_${f.compliance}`)) : null,
      f.review === "unverified" ? el("span", {class: "badge badge-unverified"}, t("unverified")) : null,
      state.changed.has(key) ? el("span", {class: "badge badge-changed"}, t("newly")) : null));
  item.append(head);
  item.append(el("p", {class: "finding-id"}, el("code", null, f.obligation), " · ", subjectText(f.subject)));
  if (f.status === "applies") {
    let due;
    if (f.deadline && f.deadline.date) {
      due = t("due", {date: f.deadline.date}) + (f.deadline.recurring ? ` (${t("recurring")})` : "");
    } else due = t("due_continuing");
    item.append(el("p", {class: "deadline"}, el("strong", null, due),
      f.deadline && f.deadline.basis ? el("span", {class: "muted"}, ` — ${f.deadline.basis}`) : null));
  }
  item.append(el("p", {class: "reason"}, f.reason || ""));
  const step = f.next_step;
  if (step) {
    // What clears an open or overdue duty, worded by the server (report/next_steps.py).
    item.append(el("p", {class: "next-step"},
      step.do ? el("span", null, el("strong", null, t("next_step")), " ", step.do,
        step.source ? el("span", {class: "muted"}, ` (${step.source})`) : null) : null,
      el("span", {class: "next-record"}, " ", t("next_record"), " ",
        el("code", null, step.record_line))));
  }
  item.append(el("p", {class: "citation"}, citationText(c),
    c.in_force ? el("span", {class: "muted"}, ` · ${t("in_force", {date: c.in_force})}`) : null));
  const details = el("details", {class: "explain"});
  const summary = el("summary", null, t("explain"),
    el("span", {class: "visually-hidden"}, ` ${t("explain_for", {obligation: f.obligation, subject: subjectText(f.subject)})}`));
  details.append(summary);
  details.addEventListener("toggle", () => {
    if (details.open && details.children.length === 1) details.append(explanation(f));
  });
  item.append(details);
  return item;
}

function markText(value) {
  if (value === true) return t("mark_yes");
  if (value === false) return t("mark_no");
  if (value === null || value === undefined) return t("mark_unknown");
  return String(value);
}

// A value of the trace in words: never raw JSON (a count known only within bounds, a list).
function factValue(v) {
  if (v === null || v === undefined) return t("mark_unknown");
  if (typeof v === "boolean") return markText(v);
  if (typeof v === "number") return v.toLocaleString("en-US");
  if (Array.isArray(v)) {
    return v.every((x) => x === null || typeof x !== "object") ? v.map(factValue).join(", ") : t("items_n", {n: v.length});
  }
  if (typeof v === "object" && "at_least" in v) {
    return v.at_most === null || v.at_most === undefined
      ? t("bounds_at_least", {low: factValue(v.at_least)})
      : t("bounds_between", {low: factValue(v.at_least), high: factValue(v.at_most)});
  }
  if (typeof v === "object") return t("items_n", {n: Object.keys(v).length});
  return String(v);
}

function explanation(f) {
  const c = f.citation || {};
  const box = el("div", {class: "explanation"});
  box.append(el("dl", {class: "facts-list"},
    el("dt", null, t("governing")),
    el("dd", null, `${c.instrument || ""}${c.instrument_zh ? ` (${c.instrument_zh})` : ""}`,
      c.document ? `, ${c.document}` : "", c.version ? ` · ${c.version}` : "", " · ", citationText(c)),
    f.judged_on ? el("dt", null, t("judged_on", {date: ""}).replace(/\s+$/, "")) : null,
    f.judged_on ? el("dd", null, f.judged_on) : null));
  box.append(el("h5", null, t("reasoning")));
  const steps = el("ol", {class: "steps"});
  for (const step of f.because || []) {
    const mark = markText(step.value);
    const li = el("li", {class: `step step-${step.value === true ? "yes" : step.value === false ? "no" : step.value === null ? "unknown" : "value"}`},
      el("span", {class: "step-mark"}, `[${mark}]`), " ",
      el("span", {class: "step-role"}, t(`role_${step.role}`)), " ",
      el("code", {class: "step-test"}, step.test),
      step.article ? el("span", {class: "muted"}, state.lang === "zh" ? `（${articleText(step)}）` : ` (${articleText(step)})`) : null);
    if (step.sentence) li.append(el("div", {class: "step-sentence"}, step.sentence));
    if (step.says) li.append(el("div", {class: "step-says"}, step.says));
    const facts = Object.entries(step.facts || {});
    if (facts.length) {
      li.append(el("div", {class: "step-facts"}, facts.map(([k, v]) => el("span", {class: "fact"}, el("code", null, k), " = ", factValue(v)))));
    }
    const params = Object.entries(step.parameters || {});
    if (params.length) {
      li.append(el("div", {class: "step-params"}, params.map(([k, p]) => el("span", {class: "param"},
        el("code", null, k), ` = ${factValue(p && typeof p === "object" ? p.value : p)}`,
        p && p.article ? ` (${articleText(p)}${p.wording ? `, ${t("worded", {w: p.wording})}` : ""})` : ""))));
    }
    steps.append(li);
  }
  box.append(steps);
  if (f.deadline) {
    box.append(el("h5", null, t("deadline")),
      el("p", null, `${f.deadline.date || "—"}${f.deadline.basis ? ` — ${f.deadline.basis}` : ""}`),
      f.deadline.says ? el("p", {class: "muted"}, f.deadline.says, f.deadline.article ? ` (${articleText(f.deadline)})` : "") : null);
  }
  if (f.penalty) {
    const amount = Number(f.penalty.max_rmb).toLocaleString("en-US");
    const max = f.penalty.max_rmb ? (state.lang === "zh" ? `人民币 ${amount} 元` : ` RMB ${amount}`) : "";
    box.append(el("h5", null, t("penalty")), el("p", null, `${articleText(f.penalty)}${max ? (state.lang === "zh" ? "：" : ":") + max : ""}`),
      f.penalty.says ? el("p", {class: "muted"}, f.penalty.says) : null);
  }
  if ((f.warnings || []).length) {
    box.append(el("h5", null, t("warnings")), el("ul", null, f.warnings.map((w) => el("li", null, w))));
  }
  if ((f.missing_facts || []).length) {
    box.append(el("p", {class: "needs"}, t("needs", {facts: f.missing_facts.join(", ")})));
  }
  return box;
}

// ---------------------------------------------------------------------------------------------
// Downloads

function slug() {
  const name = (state.manifest && state.manifest.organisation && state.manifest.organisation.name) || "manifest";
  return name.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "manifest";
}

function save(content, fileName, type) {
  const blob = content instanceof Blob ? content : new Blob([content], {type});
  const url = URL.createObjectURL(blob);
  const link = el("a", {href: url, download: fileName, class: "visually-hidden"});
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  $("#summary").textContent = t("downloaded", {file: fileName});
}

function downloadManifest() {
  const yaml = toYaml(state.manifest, [
    `hegui manifest of ${state.manifest.organisation.name}, written by the hegui web page`,
    `Run: hegui assess ${slug()}.yaml --as-of ${state.asOf}`,
  ]);
  save(yaml, `${slug()}.yaml`, "application/yaml");
}

async function downloadReport(format) {
  const ext = format === "html" ? "html" : "md";
  const type = format === "html" ? "text/html" : "text/markdown";
  busy(true);
  try {
    // The server's own report (hegui assess --format html|markdown) when it renders one;
    // otherwise the page renders the same assessment JSON itself.
    const query = {as_of: state.asOf, lang: state.lang, format};
    const result = await call("POST", "/v1/assess", {query, json: state.manifest, accept: `${type}, application/json;q=0.5`});
    let text = typeof result.body === "string" && !/json/.test(result.type) ? result.body : null;
    if (text === null) {
      const assessment = result.body && result.body.findings ? result.body : state.assessment;
      text = format === "html" ? htmlReport(assessment) : markdownReport(assessment);
    }
    save(new Blob([text], {type: `${type};charset=utf-8`}), `${slug()}-${state.asOf}.${state.lang}.${ext}`, type);
  } catch (e) {
    showError(t("error_server", {message: e.message}));
  } finally {
    busy(false);
  }
}

// The report, rendered from the assessment JSON: summary, deadlines, findings by status and
// instrument with reasons and citations, warnings, as-of date, rulebook and the notice.
function reportModel(a) {
  const findings = a.findings || [];
  const counts = {};
  for (const s of STATUSES) counts[s] = findings.filter((f) => f.status === s).length;
  const compliance = {overdue: 0, open: 0, satisfied: 0};
  for (const f of findings) if (f.status === "applies" && f.compliance in compliance) compliance[f.compliance]++;
  const applies = findings.filter((f) => f.status === "applies").slice().sort((x, y) => {
    const dx = x.deadline && /^\d{4}/.test(x.deadline.date || "") ? x.deadline.date : "9999";
    const dy = y.deadline && /^\d{4}/.test(y.deadline.date || "") ? y.deadline.date : "9999";
    return dx < dy ? -1 : dx > dy ? 1 : x.obligation.localeCompare(y.obligation);
  });
  const sections = STATUSES.map((status) => {
    const groups = new Map();
    for (const f of findings.filter((x) => x.status === status)) {
      const c = f.citation || {};
      const key = c.instrument || "";
      if (!groups.has(key)) {
        groups.set(key, {title: state.lang === "zh" ? (c.instrument_zh || key) : key,
          other: state.lang === "zh" ? key : (c.instrument_zh || ""), findings: []});
      }
      groups.get(key).findings.push(f);
    }
    return {status, heading: label(status), count: counts[status], groups: Array.from(groups.values())};
  });
  const subjects = new Set(findings.map((f) => f.subject));
  const obligations = new Set(findings.map((f) => f.obligation));
  return {a, counts, compliance, applies, sections, subjects: subjects.size, obligations: obligations.size, total: findings.length};
}

function dueText(f) {
  if (!f.deadline || !f.deadline.date) return t("due_continuing");
  return f.deadline.date + (f.deadline.recurring ? ` (${t("recurring")})` : "");
}

function mdEscape(s) { return String(s ?? "").replace(/([\\`*_[\]|<>])/g, "\\$1"); }

function markdownReport(a) {
  const m = reportModel(a);
  const R = REPORT[state.lang];
  const out = [`# ${R.title}: ${mdEscape(a.organisation)}`, "",
    `${R.as_of}: **${a.as_of}** · ${R.rulebook}: **${a.rulebook.version}** · ${R.digest}: \`${a.rulebook.digest}\` · ${R.generated.replace("{v}", a.hegui)}`, "",
    `## ${R.summary}`, "", R.totals.replace("{count}", m.total).replace("{obligations}", m.obligations).replace("{subjects}", m.subjects), "",
    `| ${R.status} | ${R.findings} |`, "|---|---:|"];
  for (const s of STATUSES) out.push(`| ${label(s)} | ${m.counts[s]} |`);
  out.push(`| **${R.total}** | **${m.total}** |`, "");
  out.push(`${R.of_applies.replace("{count}", m.counts.applies)} ${t("compliance_overdue")} **${m.compliance.overdue}** · ${t("compliance_open")} **${m.compliance.open}** · ${t("compliance_satisfied")} **${m.compliance.satisfied}**`, "");
  out.push(`## ${R.deadlines}`, "");
  if (m.applies.length) {
    out.push(`| ${R.deadline} | ${R.compliance} | ${R.obligation} | ${R.subject} |`, "|---|---|---|---|");
    for (const f of m.applies) {
      out.push(`| ${mdEscape(dueText(f))} | ${f.compliance ? t(`compliance_${f.compliance}`) : "-"} | ${mdEscape(findingTitle(f))} (\`${f.obligation}\`) | ${mdEscape(subjectText(f.subject))} |`);
    }
  } else out.push(R.none_apply);
  out.push("", `## ${R.by_status}`, "");
  for (const section of m.sections) {
    out.push(`### ${section.heading} (${section.count})`, "");
    if (!section.count) { out.push("—", ""); continue; }
    for (const g of section.groups) {
      out.push(`#### ${mdEscape(g.title)}${g.other ? ` (${mdEscape(g.other)})` : ""}`, "");
      for (const f of g.findings) {
        const extra = [f.compliance ? t(`compliance_${f.compliance}`) : null, f.status === "applies" ? `${R.deadline}: ${dueText(f)}` : null,
          f.review === "unverified" ? t("unverified") : null].filter(Boolean);
        const lines = [];
        lines.push(`- **${mdEscape(findingTitle(f))}** — \`${f.obligation}\` · ${mdEscape(subjectText(f.subject))}${extra.length ? ` · ${mdEscape(extra.join(" · "))}` : ""}`);
        lines.push(`  ${mdEscape(f.reason)}`);
        lines.push(`  ${mdEscape(citationText(f.citation))}${f.citation && f.citation.in_force ? ` · ${t("in_force", {date: f.citation.in_force})}` : ""}`);
        if (f.deadline && f.deadline.basis && f.status === "applies") lines.push(`  ${mdEscape(f.deadline.basis)}`);
        for (const w of f.warnings || []) lines.push(`  ⚠ ${mdEscape(w)}`);
        out.push(lines.join("  \n"));  // hard line breaks inside the item
      }
      out.push("");
    }
  }
  if ((a.warnings || []).length) {
    out.push(`## ${t("warnings")}`, "");
    for (const w of a.warnings) out.push(`- ${mdEscape(w)}`);
    out.push("");
  }
  out.push("---", "", `_${t("notice")}_`, "");
  return out.join("\n");
}

function htmlReport(a) {
  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  const m = reportModel(a);
  const R = REPORT[state.lang];
  const rows = STATUSES.map((s) => `<tr><td><span class="dot ${s}"></span>${esc(label(s))}</td><td class="n">${m.counts[s]}</td></tr>`).join("");
  const deadlines = m.applies.length ? `<table><thead><tr><th>${esc(R.deadline)}</th><th>${esc(R.compliance)}</th><th>${esc(R.obligation)}</th><th>${esc(R.subject)}</th></tr></thead><tbody>${
    m.applies.map((f) => `<tr><td>${esc(dueText(f))}</td><td>${f.compliance ? `<span class="c ${esc(f.compliance)}">${esc(t(`compliance_${f.compliance}`))}</span>` : "-"}</td><td>${esc(findingTitle(f))}<br><code>${esc(f.obligation)}</code></td><td>${esc(subjectText(f.subject))}</td></tr>`).join("")
  }</tbody></table>` : `<p>${esc(R.none_apply)}</p>`;
  const sections = m.sections.map((section) => `<section class="status ${section.status}"><h3>${esc(section.heading)} (${section.count})</h3>${
    section.groups.map((g) => `<h4>${esc(g.title)}${g.other ? ` <span class="muted">${esc(g.other)}</span>` : ""}</h4><ul>${
      g.findings.map((f) => `<li><div class="t"><strong>${esc(findingTitle(f))}</strong>${f.compliance ? ` <span class="c ${esc(f.compliance)}">${esc(t(`compliance_${f.compliance}`))}</span>` : ""}${f.review === "unverified" ? ` <span class="c">${esc(t("unverified"))}</span>` : ""}</div><div class="muted"><code>${esc(f.obligation)}</code> · ${esc(subjectText(f.subject))}${f.status === "applies" ? ` · ${esc(R.deadline)}: ${esc(dueText(f))}` : ""}</div><div>${esc(f.reason)}</div><div class="muted">${esc(citationText(f.citation))}${f.citation && f.citation.in_force ? ` · ${esc(t("in_force", {date: f.citation.in_force}))}` : ""}</div>${
        (f.warnings || []).map((w) => `<div class="warn">⚠ ${esc(w)}</div>`).join("")}</li>`).join("")}</ul>`).join("") || "<p class=\"muted\">—</p>"}</section>`).join("");
  const warnings = (a.warnings || []).length ? `<h2>${esc(t("warnings"))}</h2><ul>${a.warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul>` : "";
  return `<!doctype html>
<html lang="${state.lang === "zh" ? "zh-CN" : "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(R.title)}: ${esc(a.organisation)}, ${esc(a.as_of)}</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;color:#1d2530;max-width:60rem;margin:0 auto;padding:1.5rem;overflow-wrap:anywhere}
h1{font-size:1.5rem;margin:0 0 .3rem}h2{font-size:1.15rem;margin:1.6rem 0 .5rem;border-bottom:1px solid #d9dee5;padding-bottom:.3rem}h3{font-size:1rem;margin:1.2rem 0 .3rem}h4{font-size:.95rem;margin:.8rem 0 .3rem}
.muted{color:#5f6b7a}code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.86em}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;border-bottom:1px solid #e8ebf0;padding:.35rem .5rem;vertical-align:top}td.n{text-align:right}
ul{list-style:none;padding:0;margin:0}li{border:1px solid #d9dee5;border-left-width:4px;border-radius:6px;padding:.55rem .75rem;margin:.45rem 0;break-inside:avoid}
.applies li{border-left-color:#9f2a2a}.unknown li{border-left-color:#d69e2e}.does_not_apply li{border-left-color:#2f6b3a}.not_in_force li{border-left-color:#9aa4b1}
.dot{display:inline-block;width:.65rem;height:.65rem;border-radius:50%;margin-right:.4rem}.dot.applies{background:#9f2a2a}.dot.unknown{background:#d69e2e}.dot.does_not_apply{background:#2f6b3a}.dot.not_in_force{background:#9aa4b1}
.c{font-size:.75rem;border:1px solid currentColor;border-radius:999px;padding:0 .45rem;color:#5f6b7a}.c.overdue{color:#9f2a2a}.c.open{color:#8a5a00}.c.satisfied{color:#2f6b3a}
.warn{color:#8a5a00}.notice{margin-top:2rem;border-top:1px solid #d9dee5;padding-top:.8rem;color:#4a5563}
@media (max-width:480px){body{padding:.8rem}table{font-size:.82rem}}
@media print{body{max-width:none;padding:0}}
</style>
</head>
<body>
<header><h1>${esc(R.title)}: ${esc(a.organisation)}</h1>
<p class="muted">${esc(R.as_of)}: <strong>${esc(a.as_of)}</strong> · ${esc(R.rulebook)}: <strong>${esc(a.rulebook.version)}</strong> · ${esc(R.digest)}: <code>${esc(a.rulebook.digest)}</code> · ${esc(R.generated.replace("{v}", a.hegui))}</p></header>
<h2>${esc(R.summary)}</h2>
<p>${esc(R.totals.replace("{count}", m.total).replace("{obligations}", m.obligations).replace("{subjects}", m.subjects))}</p>
<table><thead><tr><th>${esc(R.status)}</th><th class="n">${esc(R.findings)}</th></tr></thead><tbody>${rows}<tr><th>${esc(R.total)}</th><th class="n">${m.total}</th></tr></tbody></table>
<p>${esc(R.of_applies.replace("{count}", m.counts.applies))} ${esc(t("compliance_overdue"))} <strong>${m.compliance.overdue}</strong> · ${esc(t("compliance_open"))} <strong>${m.compliance.open}</strong> · ${esc(t("compliance_satisfied"))} <strong>${m.compliance.satisfied}</strong></p>
<h2>${esc(R.deadlines)}</h2>
${deadlines}
<h2>${esc(R.by_status)}</h2>
${sections}
${warnings}
<p class="notice">${esc(t("notice"))}</p>
</body>
</html>
`;
}

const REPORT = {
  en: {title: "Compliance assessment", as_of: "As of", rulebook: "Rulebook", digest: "Rulebook digest",
    generated: "Generated by hegui {v} (web page)", summary: "Summary", status: "Status", findings: "Findings", total: "Total",
    totals: "{count} findings: {obligations} obligations decided for {subjects} subjects.",
    of_applies: "Of the {count} obligations that apply:", deadlines: "Deadlines", deadline: "Deadline",
    compliance: "Compliance", obligation: "Obligation", subject: "Subject", none_apply: "No obligation applies.",
    by_status: "Findings by status and instrument"},
  zh: {title: "合规评估报告", as_of: "评估日", rulebook: "规则库版本", digest: "规则库摘要",
    generated: "由 hegui {v} 生成（网页）", summary: "概览", status: "状态", findings: "结论数", total: "合计",
    totals: "共 {count} 项结论：{obligations} 项义务，{subjects} 个主体。",
    of_applies: "{count} 项适用义务的履行情况：", deadlines: "期限一览", deadline: "期限",
    compliance: "履行情况", obligation: "义务", subject: "主体", none_apply: "没有适用的义务。",
    by_status: "按状态和法规分列的结论"},
};

// ---------------------------------------------------------------------------------------------
// Starting

async function begin(manifest, fileName) {
  state.manifest = manifest;
  state.fileName = fileName || null;
  state.answers = [];
  state.skipped = new Set();
  state.previousStatus = new Map();
  state.changed = new Set();
  $("#start").hidden = true;
  $("#work").hidden = false;
  const ok = await refresh({focusQuestion: false});
  if (!ok && !state.assessment) {
    $("#start").hidden = Boolean(state.workspace);   // a workspace's manifest: its error is the page
    $("#work").hidden = true;
    state.manifest = null;
    return;
  }
  $("#org-title").setAttribute("tabindex", "-1");
  const first = document.querySelector("#question .choice-buttons button, #q-input, #question input, #question select");
  (first || $("#org-title")).focus();
}

async function startFromFile(file) {
  showError("");
  const text = await file.text();
  const isJson = /\.json$/i.test(file.name) || /^\s*\{/.test(text);
  let manifest;
  try {
    if (isJson) {
      manifest = JSON.parse(text);
    } else {
      // The server reads the YAML first, so a problem is reported with its line, as the CLI does.
      await call("POST", "/v1/assess", {query: {as_of: state.asOf, lang: state.lang}, text, contentType: "application/yaml"});
      try {
        manifest = parseYaml(text);
      } catch (e) {
        throw new Error(t("error_yaml_edit"));
      }
    }
  } catch (e) {
    showError(t("error_file", {file: file.name, message: e.message}));
    $("#manifest-file").value = "";
    return;
  }
  if (!manifest || typeof manifest !== "object" || !manifest.organisation) {
    showError(t("error_file", {file: file.name, message: "format: hegui/1, organisation: …"}));
    return;
  }
  await begin(manifest, file.name);
}

function restart() {
  if (state.answers.length && !window.confirm(t("confirm_restart"))) return;
  state.manifest = null;
  state.assessment = null;
  state.answers = [];
  state.skipped = new Set();
  $("#work").hidden = true;
  $("#start").hidden = false;
  $("#scratch-form").reset();
  $("#manifest-file").value = "";
  $("#org-name").focus();
}

function wire() {
  const asOf = $("#as-of");
  state.asOf = today();
  asOf.value = state.asOf;
  let pending = null;
  const applyDate = () => {
    clearTimeout(pending);
    const value = asOf.value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || value < "1990-01-01" || value === state.asOf) return;
    state.asOf = value;
    if (state.manifest) refresh();
    else render();
  };
  asOf.addEventListener("change", applyDate);
  // Typed dates (keyboard) take effect once they stop changing, or on Enter.
  asOf.addEventListener("input", () => { clearTimeout(pending); pending = setTimeout(applyDate, 450); });
  asOf.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); applyDate(); } });
  $("#lang-toggle").addEventListener("click", () => {
    state.lang = state.lang === "en" ? "zh" : "en";
    try { localStorage.setItem("hegui.lang", state.lang); } catch (e) { /* private mode */ }
    render();
    if (state.manifest) refresh();
  });
  $("#scratch-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const name = $("#org-name").value.trim();
    if (!name) { showError(t("error_name")); $("#org-name").focus(); return; }
    begin({format: "hegui/1", organisation: {name}});
  });
  $("#manifest-file").addEventListener("change", (event) => {
    const file = event.target.files && event.target.files[0];
    if (file) startFromFile(file);
  });
  $("#undo").addEventListener("click", async () => {
    const last = state.answers.pop();
    if (!last) return;
    state.manifest = last.before;
    await refresh({focusQuestion: true});
    renderAnswers();
  });
  $("#restore-skipped").addEventListener("click", () => {
    state.skipped = new Set();
    renderQuestion(true);
    renderAnswers();
  });
  $("#add-subject").addEventListener("submit", async (event) => {
    event.preventDefault();
    const list = $("#add-kind").value;
    const id = $("#add-id").value.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9_.\-]*$/.test(id)) { showError(t("error_id")); $("#add-id").focus(); return; }
    const existing = state.manifest[list] || [];
    if (existing.some((e) => e && e.id === id)) { showError(t("error_id_used", {id, list})); $("#add-id").focus(); return; }
    const before = clone(state.manifest);
    if (!state.manifest[list]) putOrdered(state.manifest, list, [], schemaOrder([]));
    state.manifest[list].push({id});
    const ok = await refresh({focusQuestion: true});
    if (!ok) { state.manifest = before; return; }
    state.answers.push({fact: list, subject: id, path: list, text: t("add_title"), value: `${list.replace(/s$/, "")}:${id}`, before});
    renderAnswers();
    $("#add-id").value = "";
  });
  $("#dl-manifest").addEventListener("click", downloadManifest);
  $("#dl-html").addEventListener("click", () => downloadReport("html"));
  $("#dl-markdown").addEventListener("click", () => downloadReport("markdown"));
  $("#new-start").addEventListener("click", restart);
  wireWorkspace();
  try {
    const saved = localStorage.getItem("hegui.lang");
    if (saved === "zh" || saved === "en") state.lang = saved;
  } catch (e) { /* private mode */ }
  applyStrings();
  loadTitles();
  loadSchema();
  const organisation = workspaceOrganisation();
  if (organisation) openWorkspace(organisation);
}

// ---------------------------------------------------------------------------------------------
// A workspace organisation's answers (/w/organisations/ID/edit): loaded from its current manifest
// version, saved as a new version that names the version it was edited from, so that a save
// made in between is reported (409), never overwritten. Every save sends the session's CSRF token.

const WORKSPACE = "/v1/workspace";

function workspaceOrganisation() {
  const m = window.location.pathname.match(/^\/w\/organisations\/(\d+)\/edit\/?$/);
  return m ? Number(m[1]) : null;
}

function toLogin() {
  window.location.assign(`/w/login?next=${encodeURIComponent(window.location.pathname)}`);
}

function readManifestText(text) {
  if (/^\s*\{/.test(text)) return JSON.parse(text);
  try {
    return parseYaml(text);
  } catch (e) {
    throw new Error(t("error_yaml_edit"));
  }
}

/** The comment lines a YAML text starts with, kept at the top of the versions saved from it (the
 * page writes the rest anew, so a diff between versions shows the answers changed, not the comments lost). */
function leadingComments(text) {
  const out = [];
  for (const line of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
    const m = line.match(/^#\s?(.*)$/);
    if (!m) break;
    out.push(m[1]);
  }
  return out;
}

async function openWorkspace(id) {
  state.workspace = {id, name: "", version: 0, role: null, csrf: null, problem: null, saved: null, header: []};
  $("#start").hidden = true;
  $("#new-start").hidden = true;
  $("#ws-home").hidden = false;
  $("#ws-logout").hidden = false;
  const w = state.workspace;
  let manifest;
  try {
    const me = (await call("GET", `${WORKSPACE}/me`)).body;
    const mine = (me.organisations || []).find((o) => o.id === id);
    if (!mine) { showError(t("ws_not_found")); return; }
    w.csrf = me.csrf_token;
    w.role = mine.role;
    const info = (await call("GET", `${WORKSPACE}/organisations/${id}`)).body;
    w.name = info.name;
    w.version = info.version || 0;
    manifest = {format: "hegui/1", organisation: {name: info.name}};
    if (info.version) {
      const text = (await call("GET", `${WORKSPACE}/organisations/${id}/manifests/${info.version}`)).body.text;
      manifest = readManifestText(text);
      w.header = leadingComments(text);
    }
  } catch (e) {
    if (e instanceof ServerError && e.status === 401) { toLogin(); return; }
    showError(e instanceof ServerError && e.status !== 0 ? t("error_server", {message: e.message}) : e.message);
    return;
  }
  $("#ws-save").hidden = false;
  renderWorkspace();
  await begin(manifest, null);
}

function renderWorkspace() {
  const w = state.workspace;
  const editor = w.role === "editor" || w.role === "admin";
  $("#ws-editing").textContent = w.version ? t("ws_editing", {name: w.name, version: w.version}) : t("ws_editing_new", {name: w.name});
  $("#ws-back").href = `/w/organisations/${w.id}`;
  $("#ws-save-form").hidden = !editor;
  $("#ws-viewer").hidden = editor;
  $("#ws-saved").textContent = w.saved ? t("ws_saved", {version: w.saved}) : "";
  const p = w.problem;
  $("#ws-problem").hidden = !p;
  if (!p) return;
  const reload = $("#ws-reload"), diff = $("#ws-see-diff");
  reload.hidden = diff.hidden = p.kind !== "conflict";
  $("#ws-login").hidden = p.kind !== "session";
  if (p.kind === "conflict") {
    $("#ws-problem-text").textContent = t("ws_conflict", {author: p.author || t("ws_someone"), current: p.current, opened: p.opened});
    reload.textContent = t("ws_reload", {current: p.current});
    diff.href = `/w/organisations/${w.id}?from=${p.opened}&to=${p.current}`;
  } else if (p.kind === "session") {
    $("#ws-problem-text").textContent = t("ws_session_ended");
  } else if (p.kind === "forbidden") {
    $("#ws-problem-text").textContent = t("ws_forbidden", {message: p.message});
  } else {
    $("#ws-problem-text").textContent = t("error_server", {message: p.message});
  }
}

async function saveToWorkspace(event) {
  event.preventDefault();
  const w = state.workspace;
  if (!state.manifest || w.saving) return;
  w.saving = true;
  w.problem = null;
  w.saved = null;
  renderWorkspace();
  $("#ws-saved").textContent = t("ws_saving");
  const opened = w.version;
  try {
    const {body} = await call("POST", `${WORKSPACE}/organisations/${w.id}/manifests`, {
      json: {text: toYaml(state.manifest, w.header), expected_version: opened, message: $("#ws-message").value.trim()},
      headers: {"X-CSRF-Token": w.csrf || ""}});
    w.version = body.number;
    w.saved = body.number;
    $("#ws-message").value = "";
  } catch (e) {
    const status = e instanceof ServerError ? e.status : 0;
    if (status === 409) w.problem = {kind: "conflict", opened, ...(await latestVersion(w.id))};
    else if (status === 401) w.problem = {kind: "session"};
    else if (status === 403) w.problem = {kind: "forbidden", message: e.message};
    else w.problem = {kind: "other", message: e.message};
  } finally {
    w.saving = false;
    renderWorkspace();
  }
  if (w.problem) $("#ws-problem-text").focus();
}

/** The organisation's newest version and its author, after a conflicting save. */
async function latestVersion(id) {
  try {
    const versions = (await call("GET", `${WORKSPACE}/organisations/${id}/manifests`)).body.versions;
    const last = versions[versions.length - 1];
    return {current: last.number, author: last.author};
  } catch (e) {
    return {current: "?", author: null};
  }
}

function wireWorkspace() {
  $("#ws-save-form").addEventListener("submit", saveToWorkspace);
  $("#ws-reload").addEventListener("click", () => window.location.reload());
  $("#ws-logout").addEventListener("click", async () => {
    try {
      await call("POST", `${WORKSPACE}/logout`, {headers: {"X-CSRF-Token": (state.workspace && state.workspace.csrf) || ""}});
    } catch (e) { /* an ended session is logged out already */ }
    window.location.assign("/w/login");
  });
}

// Exposed for the browser tests and for debugging: the YAML reader and writer.
window.hegui = {parseYaml, toYaml, state};

document.addEventListener("DOMContentLoaded", wire);
