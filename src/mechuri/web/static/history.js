// 메추리: the chat history tools above the log — 「새 대화」 (a fresh view, the old messages one click away),
// search on the server (GET /api/messages/search) with a jump to each hit, and 「기록 지우기」 after a
// confirmation (DELETE /api/messages). Loaded after app.js; uses el, api, chatHistory, panelError.
"use strict";

const HISTORY_STRINGS = {
  fresh: "새 대화", freshLabel: "새 대화 시작 (이전 대화는 남아요)",
  search: "대화 검색", searchLabel: "대화에서 찾을 말", find: "찾기", closeSearch: "검색 닫기",
  clear: "기록 지우기",
  clearAsk: "대화 기록을 모두 지울까요? 되돌릴 수 없어요. 취향·식사 기록·입맛은 그대로예요.",
  clearYes: "모두 지우기", cancel: "취소",
  cleared: (n) => `대화 ${n.toLocaleString("ko-KR")}개를 지웠어요.`,
  freshSince: (when) => `새 대화 · ${when}부터`,
  showOlder: "이전 대화 보기",
  found: (n, more) => (n ? `${n}개 찾았어요${more ? " (최근 것부터 일부만)" : ""}.` : "찾는 말이 들어간 대화가 없어요."),
  role: { user: "나", assistant: "메추리" },
  notFound: "그 메시지를 찾지 못했어요. 지워졌을 수 있어요.",
};
const FRESH_KEY = () => `mechuri.fresh.${document.getElementById("who")?.dataset.username || "me"}`;
let freshRevealed = false;  // 「이전 대화 보기」 pressed: this page shows everything until reloaded

function freshMarker() {
  try {
    const saved = JSON.parse(localStorage.getItem(FRESH_KEY()) || "null");
    return saved && Number.isInteger(saved.id) ? saved : null;
  } catch (err) {
    return null;
  }
}

function timeLabel(iso) {
  return new Date(iso).toLocaleString("ko-KR", { month: "long", day: "numeric", hour: "numeric", minute: "2-digit" });
}

// Hide the messages from before the last 「새 대화」 (unless revealed), with a divider that brings them back.
function applyFreshView() {
  const marker = freshMarker();
  const active = Boolean(marker) && !freshRevealed;
  let hidden = 0;
  for (const node of document.querySelectorAll("#messages .msg[data-id]")) {
    const old = active && Number(node.dataset.id) <= marker.id;
    node.hidden = old;
    if (old) hidden += 1;
  }
  const log = document.getElementById("log");
  log.classList.toggle("fresh-view", active);
  let divider = document.getElementById("fresh-divider");
  if (!active) { if (divider) divider.remove(); return; }
  if (!divider) {
    divider = el("div", { id: "fresh-divider", class: "fresh-divider" },
      el("span", { class: "legend" }, HISTORY_STRINGS.freshSince(timeLabel(marker.at))),
      el("button", { type: "button", class: "ghost small", onclick: revealOlder }, HISTORY_STRINGS.showOlder));
    document.getElementById("messages").before(divider);
  }
  divider.querySelector("button").hidden = !(hidden || (chatHistory && chatHistory.hasOlder()));
  const visible = document.querySelectorAll("#messages .msg:not([hidden])").length;
  document.getElementById("empty").hidden = visible > 0;
}

function revealOlder() {
  freshRevealed = true;
  applyFreshView();
  document.getElementById("empty").hidden = document.querySelectorAll("#messages .msg").length > 0;
}

async function startFresh() {
  const page = await api("GET", "/api/messages?limit=1");
  const last = page.messages[page.messages.length - 1];
  if (last) localStorage.setItem(FRESH_KEY(), JSON.stringify({ id: last.id, at: new Date().toISOString() }));
  freshRevealed = false;
  await chatHistory.reload();
  document.getElementById("input").focus();
}

// Bring a message into view: reveal the old ones, page back until it is on the page, mark it.
async function jumpTo(id, status) {
  revealOlder();
  const find = () => document.querySelector(`#messages .msg[data-id="${id}"]`);
  if (!find()) await chatHistory.reload();
  while (!find() && chatHistory.hasOlder()) await chatHistory.loadOlder();
  const node = find();
  if (!node) { status.textContent = HISTORY_STRINGS.notFound; return; }
  for (const other of document.querySelectorAll("#messages .msg.found")) other.classList.remove("found");
  node.classList.add("found");
  node.scrollIntoView({ block: "center" });
  node.setAttribute("tabindex", "-1");
  node.focus({ preventScroll: true });
}

function searchBox() {
  const input = el("input", { type: "search", name: "q", maxlength: "100", required: true,
                              "aria-label": HISTORY_STRINGS.searchLabel, placeholder: HISTORY_STRINGS.searchLabel });
  const status = el("p", { class: "hint search-status", role: "status" });
  const results = el("ul", { class: "search-results" });
  const form = el("form", { class: "inline-form search-form", role: "search" }, input,
    el("button", { type: "submit", class: "primary small" }, HISTORY_STRINGS.find));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const found = await api("GET", `/api/messages/search?q=${encodeURIComponent(input.value)}&limit=20`);
      status.textContent = HISTORY_STRINGS.found(found.results.length, found.more);
      results.replaceChildren(...found.results.map((hit) => el("li", {},
        el("button", { type: "button", class: "ghost search-hit", "data-id": hit.id, onclick: () => jumpTo(hit.id, status) },
          el("span", { class: "legend" }, `${HISTORY_STRINGS.role[hit.role]} · ${timeLabel(hit.created_at)}`),
          el("span", { class: "snippet" }, hit.snippet)))));
    } catch (err) {
      status.textContent = err.message;
    }
  });
  return el("div", { class: "search-box", id: "search-box", hidden: true }, form, status, results);
}

function askClear(tools) {
  const box = tools.querySelector(".clear-confirm");
  const opener = tools.querySelector(".clear-history");
  const status = tools.querySelector(".history-status");
  const close = () => { box.hidden = true; box.replaceChildren(); opener.focus(); };
  const yes = el("button", { type: "button", class: "danger small", onclick: async () => {
    try {
      const { deleted } = await api("DELETE", "/api/messages");
      localStorage.removeItem(FRESH_KEY());
      close();
      freshRevealed = false;
      await chatHistory.reload();
      status.textContent = HISTORY_STRINGS.cleared(deleted);  // once the emptied history is on screen
    } catch (err) {
      panelError("history", err);
    }
  } }, HISTORY_STRINGS.clearYes);
  box.replaceChildren(el("p", {}, HISTORY_STRINGS.clearAsk), yes,
                      el("button", { type: "button", class: "ghost small", onclick: close }, HISTORY_STRINGS.cancel));
  box.hidden = false;
  yes.focus();
}

function initHistoryTools() {
  const tools = document.getElementById("chat-tools");
  if (!tools) return;
  const search = searchBox();
  const toggle = el("button", { type: "button", class: "ghost small", "aria-expanded": "false",
                                "aria-controls": "search-box" }, HISTORY_STRINGS.search);
  toggle.addEventListener("click", () => {
    search.hidden = !search.hidden;
    toggle.setAttribute("aria-expanded", String(!search.hidden));
    if (!search.hidden) search.querySelector("input").focus();
  });
  tools.replaceChildren(
    el("div", { class: "tool-row" },
      el("button", { type: "button", class: "ghost small new-chat", "aria-label": HISTORY_STRINGS.freshLabel,
                     onclick: () => startFresh().catch((err) => panelError("history", err)) }, HISTORY_STRINGS.fresh),
      toggle,
      el("button", { type: "button", class: "ghost small clear-history", onclick: () => askClear(tools) }, HISTORY_STRINGS.clear),
      el("span", { class: "hint history-status", role: "status" })),
    el("div", { class: "clear-confirm", role: "group", "aria-label": HISTORY_STRINGS.clear, hidden: true }),
    search);
}

document.addEventListener("DOMContentLoaded", () => {
  if (document.body.dataset.page === "chat") initHistoryTools();
});
