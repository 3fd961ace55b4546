// 메추리 web client: one small vanilla file, no build step, no CDN.
// Every piece of user or model text is put on the page with textContent (never parsed as HTML).
"use strict";

const STRINGS = {
  kinds: { like: "좋아함", dislike: "싫어함", allergy: "알레르기", diet: "식단", goal: "목표" },
  edit: "수정", remove: "삭제", save: "저장", cancel: "취소", revoke: "폐기",
  retry: "다시 시도", stopped: "(중지했어요)", networkError: "연결이 끊겼어요. 잠시 뒤에 다시 해 주세요.",
  serverError: "문제가 생겼어요.", noPrefs: "아직 기억한 게 없어요. 대화하거나 아래에서 추가해 보세요.",
  noMeals: "오늘 기록한 식사가 없어요. “점심에 비빔밥 먹었어”처럼 말해 보세요.",
  today: (day) => `${dateLabel(day)} 기준이에요 (한국 시간).`,
  servings: (n, g) => `${n === 1 ? "1인분" : number(n) + "인분"} · ${amount(g, "g")}`,
  sodium: (mg, pct) => `나트륨 ${amount(mg, "mg")} · 하루 기준의 ${pct}%`,
  macroNames: { carb: "탄수화물", protein: "단백질", fat: "지방" },
  logged: (meal, name) => `${meal} 기록: ${name}`,
  caution: { allergy: (w) => `⚠ ${w} 알레르기 주의`, diet: (w) => `${w} 식단에 맞지 않음` },
  nutrients: { kcal: "열량", carbohydrate_g: "탄수화물", protein_g: "단백질", fat_g: "지방", sodium_mg: "나트륨" },
  states: { ok: "목표 안", over: "목표 넘음", under: "목표보다 적음" },
  targetBasis: (t) => `하루 목표 ${amount(t.kcal, "kcal")} — ${t.summary}`,
  targetRanges: (t) => [["탄수화물", amountRange(t.carbohydrate_g.min, t.carbohydrate_g.max, "g")],
    ["단백질", amountRange(t.protein_g.min, t.protein_g.max, "g")], ["지방", amountRange(t.fat_g.min, t.fat_g.max, "g")],
    ["나트륨", `${amount(t.sodium_mg_max, "mg")} 이하`]],
  kcalGoal: (kcal) => `${amount(kcal, "kcal")} ±5%`,
  atMost: (text) => `${text} 이하`,
  tokenShown: "새 토큰 (지금만 보여요, 복사해 두세요): ",
  tokenMeta: (t) => `${t.prefix}… · ${t.last_used_at ? "마지막 사용 " + dateLabel(t.last_used_at) : "아직 안 씀"}`,
  confirmRevoke: "이 토큰을 폐기할까요? 이 토큰을 쓰는 클라이언트는 더 이상 접속할 수 없어요.",
  choose: "이걸로 먹을래요", chooseFor: (name) => `${name} 이걸로 먹을래요`,
  choiceSay: (rank) => `${rank}번으로 할게`, chosen: "골랐어요 ✓", chosenFor: (name) => `${name} 골랐어요 ✓`,
  up: (name) => `${name} 좋아요`, down: (name) => `${name} 별로예요`,
  upDone: "좋아요를 기억했어요", downDone: "별로라고 기억했어요",
  tasteEmpty: "아직 배운 입맛이 없어요. 추천 카드에서 고르거나 👍/👎를 눌러 보세요.",
  tasteLike: "좋아해요", tasteDislike: "덜 좋아해요",
  tasteEvents: (n) => `고른 메뉴·먹은 음식·👍/👎 ${fmt(n)}번에서 배웠어요.`,
  tasteChosen: (names) => `고른 메뉴: ${names.join(", ")}`,
  tasteReset: "입맛 초기화", tasteResetAsk: "배운 입맛을 모두 지울까요? 알레르기·식단 같은 취향은 그대로예요.",
  tasteResetYes: "지우기", tasteResetDone: "입맛을 초기화했어요.",
  streamCut: "답변이 중간에 끊겼어요.",
  copyToken: "토큰 복사",
  panelError: (what, message) => `${particle(what, "을", "를")} ${what === "식사" ? "지우지" : "불러오지"} 못했어요: ${message}`,
  panelWhat: { today: "오늘 기록", prefs: "취향", profile: "프로필", tokens: "토큰", taste: "입맛", remove: "식사",
               report: "주간 리포트", history: "대화 기록" },
  counter: (n, max) => `${fmt(n)} / ${fmt(max)}자`,
  tooLong: (n, max) => `${fmt(max)}자까지 보낼 수 있어요. ${fmt(n - max)}자를 줄여 주세요.`,
};
const DRAFT_KEY = "mechuri.draft";
let chatSay = null;       // initChat's say(): the card buttons send through the same chat path
let chatHistory = null;   // initChat's paging (reload, loadOlder, hasOlder): history.js searches and jumps with it
let lastSent = null;      // the message on its way (kept as a draft if the session turns out to be over)
let todayState = { day: null, meals: new Set() };  // today's date and logged meal types (plan log buttons)
const CHOICES = { diet: [], goal: [], allergy: [] };
let dailySodiumMax = 2300;

// ---------- numbers and dates: one way to write each, as the server writes them ------------------
// The rules of mechuri/units.py (a browser test checks both agree on a table of values): the unit touches
// the number (「79g」), kcal and mg are whole, grams keep one decimal where there is one (「12.5g」),
// thousands are separated, a target band is whole at both ends (「190–224g」). Halves round away from zero
// on the shortest decimal form, as Intl.NumberFormat does and units.number copies.
const NUMBER_FORMATS = [0, 1].map((digits) => new Intl.NumberFormat("ko-KR", { maximumFractionDigits: digits }));
const WHOLE_UNITS = new Set(["kcal", "mg"]);

function number(value, decimals = 1) {
  const text = NUMBER_FORMATS[decimals].format(Number(value));
  return text === "-0" ? "0" : text;
}
// the number an amount writes, without its unit: for a table column or a chart whose heading names the unit
function amountNumber(value, unit) { return number(value, WHOLE_UNITS.has(unit) ? 0 : 1); }
function amount(value, unit) { return `${amountNumber(value, unit)}${unit}`; }
function amountRange(low, high, unit) {
  const [lo, hi] = [number(low, 0), number(high, 0)];
  return lo === hi ? `${lo}${unit}` : `${lo}–${hi}${unit}`;
}
// An amount or a band in running text, kept on one line: 「303–」 at the end of a line and 「358g」 on the next
// reads as two numbers (a line may break after a dash). The text is amount()'s; only the wrapping changes.
function amountEl(text) { return el("span", { class: "amount" }, text); }
// a day's target band, as the today chart, a planned day and the weekly report all write it:
// 「190–224g」, or 「2,300mg 이하」 for a line with no floor (sodium)
function targetBand(low, high, unit) { return low === 0 ? STRINGS.atMost(amount(high, unit)) : amountRange(low, high, unit); }
// a bare count or percentage (no unit): 「1,000자」, 「+2.5%」
function fmt(x) { return number(x); }

// Every date the page shows: 「12월 5일 (토)」, with the year only when it is not this year. A bare date
// (「2026-12-05」, a day in Seoul) is that day; a timestamp is the day it falls on here.
function dateLabel(iso) {
  const text = String(iso);
  const day = new Date(text.length > 10 ? text : `${text}T00:00:00`);
  const year = day.getFullYear() === new Date().getFullYear() ? {} : { year: "numeric" };
  return day.toLocaleDateString("ko-KR", { ...year, month: "long", day: "numeric", weekday: "short" });
}

// Build an element; strings become text nodes (safe), attributes are set one by one.
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error && body.error.message) || STRINGS.serverError);
    this.status = status;
    this.body = body;
  }
}

const csrf = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

async function api(method, url, body, options = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRF-Token"] = csrf();
  const response = await fetch(url, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin", signal: options.signal,
  });
  if (response.status === 401 && document.body.dataset.page === "chat") {
    // the session is over: keep what was being typed or sent, to put back after logging in again
    const input = document.getElementById("input");
    const draft = (input && input.value.trim() ? input.value : lastSent) || "";
    if (draft) sessionStorage.setItem(DRAFT_KEY, draft);
    location.href = "/";
  }
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
  if (options.raw) return response;
  return response.status === 204 ? null : response.json();
}

// ---------- main screen -------------------------------------------------------------------------

function initIndex() {
  const tabs = { login: document.getElementById("tab-login"), signup: document.getElementById("tab-signup") };
  const forms = { login: document.getElementById("login-form"), signup: document.getElementById("signup-form") };
  const names = Object.keys(tabs);
  const select = (name) => {
    for (const other of names) {
      tabs[other].setAttribute("aria-selected", String(other === name));
      tabs[other].tabIndex = other === name ? 0 : -1;  // one Tab stop for the tab list, as in the chat panel
      forms[other].hidden = other !== name;
    }
  };
  for (const name of names) {
    tabs[name].addEventListener("click", () => select(name));
    tabs[name].addEventListener("keydown", (event) => {
      if (!["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) return;
      event.preventDefault();
      const at = names.indexOf(name);
      const index = { ArrowLeft: at - 1 + names.length, ArrowRight: at + 1, Home: 0, End: names.length - 1 }[event.key];
      const next = names[index % names.length];
      select(next);
      tabs[next].focus();
    });
  }
  select("login");
  for (const [name, form] of Object.entries(forms)) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const error = form.querySelector(".form-error");
      error.hidden = true;
      const data = Object.fromEntries(new FormData(form));
      try {
        await api("POST", `/api/auth/${name}`, data);
        location.href = "/chat";
      } catch (err) {
        error.textContent = err.message;
        error.hidden = false;
      }
    });
  }
}

// ---------- chat: messages and cards ------------------------------------------------------------

// The macro bar's legend: a swatch of each part's colour beside its name and grams (「■ 탄수화물 12.5g」), so
// the colours are explained and the numbers are there for whoever cannot tell them apart.
function macroLegend(grams) {
  const items = Object.entries(grams).map(([part, g]) => el("span", { class: "key" },
    el("span", { class: `swatch ${part}`, "aria-hidden": "true" }), `${STRINGS.macroNames[part]} ${amount(g, "g")}`));
  return el("p", { class: "legend macro-legend" }, items.flatMap((item, i) => (i ? [" · ", item] : [item])));
}

function bar(parts) {
  const track = el("div", { class: "bar" });
  for (const [cls, share] of parts) {
    const span = el("span", { class: cls });
    span.style.width = `${Math.max(0, Math.min(100, share * 100)).toFixed(1)}%`;
    track.append(span);
  }
  return track;
}

// The buttons of a recommendation card: 「이걸로 먹을래요」 sends 「N번으로 할게」 through chat (so the dialogue,
// the Turn, the meal log and the taste model see one and the same choice), 👍/👎 post /api/feedback.
function cardActions(dish, rank) {
  const status = el("span", { class: "feedback-status", role: "status" });
  const thumbs = [];
  const thumb = (value, emoji, label, done) => {
    const button = el("button", { type: "button", class: `ghost small thumb ${value}`, "aria-pressed": "false",
                                  "aria-label": label }, emoji);
    button.addEventListener("click", async () => {
      if (button.getAttribute("aria-pressed") === "true") return;
      try {
        renderTaste(await api("POST", "/api/feedback", { dish: dish.name, value }));
        for (const other of thumbs) other.setAttribute("aria-pressed", String(other === button));
        status.textContent = done;
      } catch (err) {
        status.textContent = err.message;
      }
    });
    thumbs.push(button);
    return button;
  };
  const choose = el("button", { type: "button", class: "ghost small choose", "data-rank": rank,
                                "aria-label": STRINGS.chooseFor(dish.name) }, STRINGS.choose);
  choose.addEventListener("click", () => {
    if (chatSay && !choose.disabled) chatSay(STRINGS.choiceSay(rank));
  });
  return el("div", { class: "card-actions" }, choose,
    thumb("up", "👍", STRINGS.up(dish.name), STRINGS.upDone),
    thumb("down", "👎", STRINGS.down(dish.name), STRINGS.downDone), status);
}

// 「N번으로 할게」 points at the last list only: older lists keep their 👍/👎 but lose 「이걸로 먹을래요」.
function refreshChoosers() {
  const lists = document.querySelectorAll("#messages .cards.recs");
  lists.forEach((list, index) => {
    if (index < lists.length - 1) for (const button of list.querySelectorAll(".choose")) button.remove();
  });
}

// A choice made in chat (turn.choice with its rank in the last list) marks that card's button.
function markChoice(choice) {
  if (!choice || !choice.dish || !choice.rank) return;
  const lists = document.querySelectorAll("#messages .cards.recs");
  const last = lists[lists.length - 1];
  const button = last && last.querySelector(`.choose[data-rank="${choice.rank}"]`);
  if (button) {
    button.textContent = STRINGS.chosen;
    button.setAttribute("aria-label", STRINGS.chosenFor(choice.dish));  // the name keeps the visible words
    button.disabled = true;
    button.classList.add("done");
  }
}

// cautions: the turn's allergy and diet warnings about this dish (turn.cautions), shown above its numbers.
function dishCard(dish, extra, cautions = [], rank = null) {
  const energy = dish.carbohydrate_g * 4 + dish.protein_g * 4 + dish.fat_g * 9 || 1;
  const sodiumShare = dish.sodium_mg / dailySodiumMax;
  const warnings = cautions.filter((c) => c.dish === dish.name)
    .map((c) => el("p", { class: `caution ${c.kind}` }, STRINGS.caution[c.kind](c.word)));
  return el("article", { class: "card" },
    el("header", {}, el("h3", {}, dish.name), el("span", { class: "kcal" }, amount(dish.kcal, "kcal"))),
    ...warnings,
    el("p", { class: "serving" }, STRINGS.servings(dish.servings ?? 1, dish.serving_g)),
    bar([["carb", dish.carbohydrate_g * 4 / energy], ["protein", dish.protein_g * 4 / energy],
         ["fat", dish.fat_g * 9 / energy]]),
    macroLegend({ carb: dish.carbohydrate_g, protein: dish.protein_g, fat: dish.fat_g }),
    bar([[sodiumShare > 0.4 ? "sodium high" : "sodium", sodiumShare]]),
    el("p", { class: "legend" }, STRINGS.sodium(dish.sodium_mg, Math.round(sodiumShare * 100))),
    extra ? el("p", { class: "reason" }, extra) : null,
    rank ? cardActions(dish, rank) : null);
}

function turnCards(turn) {
  const cards = [];
  const recs = turn.recommendations || [];
  recs.forEach((rec, index) => cards.push(dishCard(rec, rec.reason, [], index + 1)));
  const cautions = turn.cautions || [];
  if (turn.nutrition && turn.nutrition.dish) {
    for (const dish of [turn.nutrition.dish, ...(turn.nutrition.compared || [])]) {
      cards.push(dishCard(dish, null, cautions));
    }
  }
  for (const meal of turn.meal_logged || []) {
    cards.push(dishCard(meal, STRINGS.logged(meal.meal, meal.name), cautions));
  }
  if (turn.plan && turn.plan.length) cards.push(planCard(turn));  // plan.js
  return cards.length ? el("div", { class: recs.length ? "cards recs" : "cards" }, cards) : null;
}

// A finished reply is read out once, from a status region of its own: the chat log is not a live region,
// so the pieces of a streaming reply and its cards are not announced one by one. Emptied first, so that
// the same words twice in a row are announced twice.
function announceReply(text) {
  const region = document.getElementById("reply-status");
  region.textContent = "";
  window.setTimeout(() => { region.textContent = text; }, 50);
}

function bubble(role, text) {
  const body = el("div", { class: "text" }, text);
  const node = el("div", { class: `msg ${role}` }, body);
  return { node, body };
}

function messageNode(message) {
  const { node, body } = bubble(message.role, message.content);
  node.dataset.id = message.id;
  if (message.role === "assistant") body.after(replyCopy(message.content));  // copy.js
  const failed = typeof failedTurnNote === "function" ? failedTurnNote(message) : null;  // failed-turn.js
  if (failed) node.append(failed);
  if (message.turn) {
    const cards = turnCards(message.turn);
    if (cards) node.append(cards);
  }
  return node;
}

// ---------- chat page ---------------------------------------------------------------------------

function initChat() {
  const log = document.getElementById("log");
  const list = document.getElementById("messages");
  const older = document.getElementById("older");
  const empty = document.getElementById("empty");
  const input = document.getElementById("input");
  const composer = document.getElementById("composer");
  const send = document.getElementById("send");
  const stop = document.getElementById("stop");
  let beforeId = null;
  let controller = null;

  const toBottom = () => { log.scrollTop = log.scrollHeight; };

  async function loadHistory(first) {
    const query = beforeId ? `&before_id=${beforeId}` : "";
    const page = await api("GET", `/api/messages?limit=30${query}`);
    const height = log.scrollHeight;
    list.prepend(...page.messages.map(messageNode));
    refreshChoosers();
    beforeId = page.next_before_id;
    older.hidden = !beforeId;
    empty.hidden = list.childElementCount > 0;
    applyFreshView();  // history.js: a 「새 대화」 view hides what came before it
    if (first) toBottom(); else log.scrollTop = log.scrollHeight - height;
  }
  chatHistory = {
    reload: async () => { list.replaceChildren(); beforeId = null; await loadHistory(true); },
    loadOlder: () => loadHistory(false),
    hasOlder: () => Boolean(beforeId),
  };

  function streaming(on) {
    send.hidden = on;
    stop.hidden = !on;
    document.body.classList.toggle("busy", on);
  }

  function showError(target, message, retryText) {
    const note = el("div", { class: "error-note", role: "alert" }, message);
    if (retryText) {
      note.append(el("button", { type: "button", class: "ghost small", onclick: () => {
        target.remove(); say(retryText, { echo: false });
      } }, STRINGS.retry));
    }
    target.append(note);
  }

  async function say(text, { echo = true } = {}) {
    if (controller || !text.trim()) return;
    empty.hidden = true;
    const mine = echo ? bubble("user", text).node : null;
    if (mine) list.append(mine);
    const reply = bubble("assistant", "");
    reply.node.classList.add("pending");
    list.append(reply.node);
    toBottom();
    controller = new AbortController();
    streaming(true);
    lastSent = text;
    let finished = false;
    try {
      const response = await api("POST", "/api/chat/stream", { message: text },
                                 { signal: controller.signal, raw: true });
      for await (const { event, data } of sseEvents(response)) {
        const payload = JSON.parse(data);
        if (event === "delta") {
          reply.node.classList.remove("pending");
          reply.body.textContent += payload.text;
        } else if (event === "turn") {
          finished = true;
          reply.body.textContent = payload.reply;
          announceReply(payload.reply);
          if (payload.reply_id) reply.node.dataset.id = payload.reply_id;
          if (mine && payload.message_id) mine.dataset.id = payload.message_id;
          reply.body.after(replyCopy(payload.reply));  // copy.js
          const cards = turnCards(payload);
          if (cards) reply.node.append(cards);
          refreshChoosers();
          markChoice(payload.choice);
          if (payload.choice || (payload.meal_logged || []).length) loadTaste();
          const goalChanged = (payload.preferences_changed || []).some((c) => c.kind === "goal");
          if ((payload.preferences_changed || []).length) loadPreferences();
          if (goalChanged) loadProfile();
          if (goalChanged || (payload.meal_logged || []).length) loadToday();
        } else if (event === "error") {
          throw new ApiError(500, payload);
        }
        toBottom();
      }
      // the stream ended without its final event (a proxy or the network cut it): not a finished reply
      if (!finished) throw new ApiError(502, { error: { message: `${STRINGS.streamCut} ${STRINGS.networkError}` } });
      lastSent = null;
    } catch (err) {
      reply.node.classList.remove("pending");
      if (err.name === "AbortError") {
        reply.node.append(el("div", { class: "stopped" }, STRINGS.stopped));
        announceReply(STRINGS.stopped);
      } else {
        const canRetry = !(err.status >= 400 && err.status < 500);
        lastSent = null;
        showError(reply.node, err instanceof ApiError ? err.message : STRINGS.networkError,
                  canRetry ? text : null);
      }
    } finally {
      controller = null;
      streaming(false);
      toBottom();
    }
  }

  const maxChars = Number(input.dataset.max) || 2000;
  const counter = document.getElementById("counter");
  const updateCounter = () => {
    const n = input.value.length;
    const over = n > maxChars;
    counter.textContent = STRINGS.counter(n, maxChars);
    counter.hidden = n < maxChars * 0.75;
    counter.classList.toggle("over", over);
    const note = document.getElementById("too-long");
    note.textContent = over ? STRINGS.tooLong(n, maxChars) : "";
    note.hidden = !over;
    input.setAttribute("aria-invalid", String(over));
  };
  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim() || controller || text.length > maxChars) { updateCounter(); return; }
    input.value = "";
    resize();
    updateCounter();
    say(text);
  });
  input.addEventListener("keydown", (event) => {
    // Korean IME: Enter that finishes composing a syllable must not send.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });
  const resize = () => { input.style.height = "auto"; input.style.height = `${Math.min(input.scrollHeight, 160)}px`; };
  input.addEventListener("input", () => { resize(); updateCounter(); });
  // a double click on 보내기 lands its second click on 중지 (same spot): a stop that soon is not meant
  // (the second click of a double click has event.detail 2): only a click of its own stops the reply
  stop.addEventListener("click", (event) => {
    if (controller && event.detail < 2) controller.abort();
  });
  older.addEventListener("click", () => loadHistory(false));
  for (const chip of document.querySelectorAll(".chip")) chip.addEventListener("click", () => say(chip.dataset.say));
  document.getElementById("logout").addEventListener("click", async () => {
    await api("POST", "/api/auth/logout").catch(() => null);
    location.href = "/";
  });

  chatSay = (text) => say(text);
  const draft = sessionStorage.getItem(DRAFT_KEY);
  if (draft) {  // typed before the session ran out: back in the box, not sent by itself
    sessionStorage.removeItem(DRAFT_KEY);
    input.value = draft;
    resize();
    updateCounter();
  }
  initPanel();
  loadHistory(true).catch((err) => showError(log, err.message, null));
  input.focus();
}

async function* sseEvents(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const raw = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = "message";
      const data = [];
      for (const line of raw.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length) yield { event, data: data.join("\n") };
    }
  }
}

// ---------- side panel: preferences, profile, today, tokens -------------------------------------

function initPanel() {
  const panel = document.getElementById("panel");
  const toggle = document.getElementById("panel-toggle");
  toggle.addEventListener("click", () => (panel.classList.contains("open") ? closeSheet() : openSheet(toggle)));
  document.getElementById("panel-close").addEventListener("click", () => closeSheet());
  panel.addEventListener("keydown", sheetKeys);
  PHONE.addEventListener("change", syncSheet);
  syncSheet();
  const tabs = [...panel.querySelectorAll("[data-tab]")];
  for (const tab of tabs) {
    tab.addEventListener("click", () => selectTab(tab.dataset.tab));
    // the tab list is one stop for Tab; the arrow keys, Home and End move between the tabs (ARIA tabs pattern)
    tab.addEventListener("keydown", (event) => {
      const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: -tabs.length, End: tabs.length };
      if (!(event.key in moves)) return;
      event.preventDefault();
      const index = Math.max(0, Math.min(tabs.length - 1, tabs.indexOf(tab) + moves[event.key]));
      const next = event.key === "Home" || event.key === "End" ? tabs[index]
        : tabs[(tabs.indexOf(tab) + moves[event.key] + tabs.length) % tabs.length];
      selectTab(next.dataset.tab);
      next.focus();
    });
  }
  const addForm = document.getElementById("pref-add");
  addForm.kind.addEventListener("change", () => fillValues(addForm.kind.value));
  addForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const ok = await changePreferences("PUT", "/api/preferences",
                                       { kind: addForm.kind.value, value: addForm.value.value });
    if (ok) addForm.value.value = "";
  });
  document.getElementById("profile-form").addEventListener("submit", saveProfile);
  document.getElementById("token-form").addEventListener("submit", createToken);
  document.getElementById("taste-reset").addEventListener("click", askTasteReset);
  initPlan();  // plan.js
  loadPreferences();
  loadProfile();
  loadToday();
  loadTokens();
  loadTaste();
}

// ---------- the phone's 내 정보 sheet: a modal dialog over the chat ------------------------------------
// On a phone the panel covers the whole screen. While it is open it is a modal dialog: it takes focus, Tab
// stays inside it, Escape closes it, the chat behind it is inert (out of Tab order and of the accessibility
// tree), and closing gives focus back to the button that opened it. On a laptop the panel is a column
// beside the chat and none of this applies.
const PHONE = window.matchMedia("(max-width: 899px)");
let sheetOpener = null;

function sheetIsModal() {
  return PHONE.matches && document.getElementById("panel").classList.contains("open");
}

// Apply the open/closed state to the page: the dialog role, the inert chat, the toggle's aria-expanded.
function syncSheet() {
  const panel = document.getElementById("panel");
  const modal = sheetIsModal();
  document.getElementById("panel-toggle").setAttribute("aria-expanded", String(panel.classList.contains("open")));
  if (modal) { panel.setAttribute("role", "dialog"); panel.setAttribute("aria-modal", "true"); }
  else { panel.removeAttribute("role"); panel.removeAttribute("aria-modal"); }
  for (const behind of document.querySelectorAll(".topbar, .chat")) behind.inert = modal;
}

function openSheet(opener = document.activeElement) {
  const panel = document.getElementById("panel");
  const wasOpen = panel.classList.contains("open");
  panel.classList.add("open");
  syncSheet();
  if (!wasOpen) sheetOpener = opener;
  if (sheetIsModal() && !panel.contains(document.activeElement)) {
    panel.querySelector('[role="tab"][aria-selected="true"]').focus();
  }
}

function closeSheet() {
  const panel = document.getElementById("panel");
  const modal = sheetIsModal();
  panel.classList.remove("open");
  syncSheet();
  if (!modal) return;
  // back to the opener; one inside the chat that is gone (a redrawn card) hands over to 내 정보
  const back = sheetOpener && sheetOpener.isConnected && sheetOpener.offsetParent !== null
    ? sheetOpener : document.getElementById("panel-toggle");
  sheetOpener = null;
  back.focus();
}

// Escape closes the sheet; Tab and Shift+Tab wrap around inside it.
function sheetKeys(event) {
  if (!sheetIsModal()) return;
  if (event.key === "Escape") { event.preventDefault(); closeSheet(); return; }
  if (event.key !== "Tab") return;
  const panel = document.getElementById("panel");
  const focusable = [...panel.querySelectorAll("button, input, select, textarea, summary, a[href], [tabindex]")]
    .filter((node) => !node.disabled && node.tabIndex >= 0 && node.offsetParent !== null);
  if (!focusable.length) return;
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (event.shiftKey && (document.activeElement === first || !panel.contains(document.activeElement))) {
    event.preventDefault(); last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault(); first.focus();
  }
}

// A side-panel load or action that failed says so, in Korean, at the top of the panel (never silently).
// Each failing source keeps its line until it loads again.
const panelProblems = new Map();
function showPanelProblems() {
  const note = document.getElementById("panel-error");
  note.replaceChildren(...[...panelProblems.values()].map((line) => el("span", { class: "line" }, line)));
  note.hidden = panelProblems.size === 0;
}
function panelError(what, err) {
  panelProblems.set(what, STRINGS.panelError(STRINGS.panelWhat[what], err.message || STRINGS.networkError));
  showPanelProblems();
}
function panelOk(what) {
  if (panelProblems.delete(what)) showPanelProblems();
}
function guarded(what, load) {
  return async (...args) => {
    try {
      const result = await load(...args);
      panelOk(what);
      return result;
    } catch (err) {
      if (err.name === "TypeError") err = new Error(STRINGS.networkError);
      panelError(what, err);
      return null;
    }
  };
}

// ---------- 내 입맛: what the taste model learned, and forgetting it ----------------------------------

function renderTaste(taste) {
  const top = document.getElementById("taste-top");
  const chosen = document.getElementById("taste-chosen");
  if (!taste.events) {
    top.replaceChildren(el("li", { class: "empty" }, STRINGS.tasteEmpty));
    chosen.hidden = true;
    document.getElementById("taste-reset").disabled = true;
    return;
  }
  document.getElementById("taste-reset").disabled = false;
  top.replaceChildren(el("li", { class: "legend" }, STRINGS.tasteEvents(taste.events)),
    ...taste.top.map((item) => {
      const like = item.weight > 0;
      return el("li", { class: `taste-item ${like ? "like" : "dislike"}`, "data-feature": item.feature },
        el("span", { class: "dir", "aria-hidden": "true" }, like ? "▲" : "▼"),
        el("span", {}, item.label),
        el("span", { class: "legend" }, ` · ${like ? STRINGS.tasteLike : STRINGS.tasteDislike}`));
    }));
  chosen.textContent = taste.chosen.length ? STRINGS.tasteChosen(taste.chosen) : "";
  chosen.hidden = !taste.chosen.length;
}

const loadTaste = guarded("taste", async () => renderTaste(await api("GET", "/api/taste")));

// 「입맛 초기화」 asks first, in the page (a yes/no pair, keyboard reachable), then forgets.
function askTasteReset() {
  const box = document.getElementById("taste-confirm");
  const status = document.getElementById("taste-status");
  status.textContent = "";
  const close = () => { box.hidden = true; box.replaceChildren(); document.getElementById("taste-reset").focus(); };
  const yes = el("button", { type: "button", class: "danger small", onclick: async () => {
    try {
      await api("DELETE", "/api/taste");
      close();
      status.textContent = STRINGS.tasteResetDone;
      await loadTaste();
    } catch (err) {
      panelError("taste", err);
    }
  } }, STRINGS.tasteResetYes);
  box.replaceChildren(el("p", {}, STRINGS.tasteResetAsk), yes,
                      el("button", { type: "button", class: "ghost small", onclick: close }, STRINGS.cancel));
  box.hidden = false;
  yes.focus();
}

// Show one tab of the side panel (and open the panel on a phone, where it is a sheet).
function selectTab(name, { open = false } = {}) {
  const panel = document.getElementById("panel");
  for (const tab of panel.querySelectorAll("[data-tab]")) {
    const selected = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;  // roving tabindex: Tab reaches the selected tab only
    document.getElementById(`tab-${tab.dataset.tab}`).hidden = !selected;
  }
  panel.classList.toggle("wide", name === "plan");  // the plan's tables want more room on a laptop
  if (open) openSheet();
}

function fillValues(kind) {
  const list = document.getElementById("pref-values");
  list.replaceChildren(...(CHOICES[kind] || []).map((value) => el("option", { value })));
}

function renderPreferences(data) {
  CHOICES.diet = data.diets; CHOICES.goal = data.goals; CHOICES.allergy = data.allergens;
  fillValues(document.getElementById("pref-add").kind.value);
  const groups = document.getElementById("pref-groups");
  if (!data.preferences.length) { groups.replaceChildren(el("p", { class: "empty" }, STRINGS.noPrefs)); return; }
  const byKind = {};
  for (const pref of data.preferences) (byKind[pref.kind] ||= []).push(pref);
  groups.replaceChildren(...Object.keys(STRINGS.kinds).filter((k) => byKind[k]).map((kind) =>
    el("div", { class: "pref-group" }, el("h4", {}, STRINGS.kinds[kind]),
       el("ul", { class: "prefs" }, byKind[kind].map(preferenceItem)))));
}

function preferenceItem(pref) {
  const item = el("li", { class: "pref", "data-id": pref.id });
  const view = () => item.replaceChildren(
    el("span", { class: "value" }, pref.value),
    el("button", { type: "button", class: "ghost small", onclick: edit }, STRINGS.edit),
    el("button", { type: "button", class: "ghost small", onclick: () =>
      changePreferences("DELETE", `/api/preferences/${pref.id}`) }, STRINGS.remove));
  const edit = () => {
    const kind = el("select", { "aria-label": "종류" },
      Object.entries(STRINGS.kinds).map(([k, label]) => el("option", { value: k, selected: k === pref.kind }, label)));
    const value = el("input", { value: pref.value, maxlength: 64, "aria-label": "내용" });
    const form = el("form", { class: "inline-form", onsubmit: (event) => {
      event.preventDefault();
      changePreferences("PUT", "/api/preferences", { id: pref.id, kind: kind.value, value: value.value });
    } }, kind, value, el("button", { type: "submit", class: "primary small" }, STRINGS.save),
       el("button", { type: "button", class: "ghost small", onclick: view }, STRINGS.cancel));
    item.replaceChildren(form);
    value.focus();
  };
  view();
  return item;
}

const loadPreferences = guarded("prefs", async () => renderPreferences(await api("GET", "/api/preferences")));

async function changePreferences(method, url, body) {
  const error = document.getElementById("pref-error");
  error.hidden = true;
  try {
    renderPreferences(await api(method, url, body));
    loadProfile();
    return true;
  } catch (err) {
    error.textContent = err.message;
    error.hidden = false;
    return false;
  }
}

const loadProfile = guarded("profile", async () => {
  const profile = await api("GET", "/api/profile");
  const form = document.getElementById("profile-form");
  for (const name of ["display_name", "sex", "birth_year", "height_cm", "weight_kg", "activity_level", "goal"]) {
    form.elements[name].value = profile[name] ?? "";
  }
  renderTargets(profile.targets);
});

function renderTargets(t) {
  dailySodiumMax = t.sodium_mg_max;
  document.getElementById("targets").replaceChildren(
    el("p", {}, STRINGS.targetBasis(t)),
    el("p", { class: "legend" }, STRINGS.targetRanges(t).flatMap(([name, band], i) => [i ? " · " : "", `${name} `, amountEl(band)])));
}

async function saveProfile(event) {
  event.preventDefault();
  const form = event.target;
  const error = form.querySelector(".form-error");
  const saved = form.querySelector(".saved");
  error.hidden = true; saved.hidden = true;
  const value = (name) => form.elements[name].value.trim() || null;
  const number = (name) => (value(name) === null ? null : Number(value(name)));
  const body = { display_name: value("display_name"), sex: value("sex"), birth_year: number("birth_year"),
                 height_cm: number("height_cm"), weight_kg: number("weight_kg"),
                 activity_level: value("activity_level"), goal: value("goal") };
  try {
    const profile = await api("PUT", "/api/profile", body);
    renderTargets(profile.targets);
    document.getElementById("who").textContent = profile.display_name;
    saved.hidden = false;
    loadPreferences(); loadToday();
  } catch (err) {
    const details = err.body && err.body.error && err.body.error.details;
    error.textContent = details && typeof details === "object" && !Array.isArray(details)
      ? Object.values(details).join(" ") : err.message;
    error.hidden = false;
  }
}

// One chart for every "totals against targets" view (today, each planned day): a bar per nutrient, the
// target range as a green band, the fill green inside it, red over it. rows: {key, total, lo, hi, unit, goal?};
// compact puts each nutrient on one line (the plan's days, where several charts share the screen).
function targetChart({ compact = false }, rows) {
  return el("div", { class: compact ? "chart compact" : "chart" }, rows.map(({ key, total, lo, hi, unit, goal }) => {
    const scale = Math.max(hi * 1.25, total, 1);
    const track = el("div", { class: "track", "aria-hidden": "true" });
    const band = el("span", { class: "band" });
    band.style.left = `${(lo / scale) * 100}%`;
    band.style.width = `${Math.max(((hi - lo) / scale) * 100, 0.8)}%`;
    const state = total > hi ? "over" : total >= lo ? "ok" : "under";
    const fill = el("span", { class: `fill ${state}` });
    fill.style.width = `${(total / scale) * 100}%`;
    track.append(band, fill);
    const range = goal || targetBand(lo, hi, unit);
    return el("div", { class: "chart-row", "data-nutrient": key, "data-state": state },
      el("span", { class: "label" }, STRINGS.nutrients[key]), track,
      el("span", { class: "nums" }, amountEl(amount(total, unit)), " / ", amountEl(range),
         el("span", { class: "sr-only" }, ` (${STRINGS.states[state]})`)));
  }));
}

const loadToday = guarded("today", async () => {
  const today = await api("GET", "/api/today");
  const t = today.targets;
  todayState = { day: today.day, meals: new Set(today.meals.map((meal) => meal.meal_type)) };
  document.getElementById("today-day").textContent = STRINGS.today(today.day);
  document.getElementById("today-chart").replaceChildren(targetChart({}, [
    // the same ±5 % band as a planned day, so a day that follows the plan is green in both
    { key: "kcal", total: today.totals.kcal, lo: t.kcal * 0.95, hi: t.kcal * 1.05, unit: "kcal",
      goal: STRINGS.kcalGoal(t.kcal) },
    { key: "carbohydrate_g", total: today.totals.carbohydrate_g, lo: t.carbohydrate_g.min, hi: t.carbohydrate_g.max, unit: "g" },
    { key: "protein_g", total: today.totals.protein_g, lo: t.protein_g.min, hi: t.protein_g.max, unit: "g" },
    { key: "fat_g", total: today.totals.fat_g, lo: t.fat_g.min, hi: t.fat_g.max, unit: "g" },
    { key: "sodium_mg", total: today.totals.sodium_mg, lo: 0, hi: t.sodium_mg_max, unit: "mg" },
  ]));
  const meals = document.getElementById("today-meals");
  meals.replaceChildren(...(today.meals.length ? today.meals.map((meal) => {
    const item = el("li", { "data-id": meal.id });
    item.append(
      el("span", {}, `${meal.meal_type} · ${meal.food_name}${meal.servings !== 1 ? ` ×${meal.servings}` : ""}`),
      el("span", { class: "legend" }, amount(meal.nutrition.kcal, "kcal")),
      mealEditButton(item, meal),  // meal-edit.js
      el("button", { type: "button", class: "ghost small", "aria-label": `${meal.food_name} ${STRINGS.remove}`, onclick: async () => {
        try {
          await api("DELETE", `/api/today/meals/${meal.id}`);
        } catch (err) {
          panelError("remove", err);
          return;
        }
        loadToday();
      } }, STRINGS.remove));
    return item;
  }) : [el("li", { class: "empty" }, STRINGS.noMeals)]));
  markLoggedPlanMeals();  // plan.js: a meal logged today is not offered for logging again
});

const loadTokens = guarded("tokens", async () => {
  const { tokens } = await api("GET", "/api/tokens");
  document.getElementById("tokens").replaceChildren(...tokens.map((token) => el("li", {},
    el("span", {}, token.name), el("span", { class: "legend" }, STRINGS.tokenMeta(token)),
    el("button", { type: "button", class: "ghost small", onclick: async () => {
      if (!confirm(STRINGS.confirmRevoke)) return;
      await api("DELETE", `/api/tokens/${token.id}`).catch((err) => panelError("tokens", err)); loadTokens();
    } }, STRINGS.revoke))));
});

async function createToken(event) {
  event.preventDefault();
  const form = event.target;
  const shown = document.getElementById("token-new");
  try {
    const created = await api("POST", "/api/tokens", { name: form.elements.name.value });
    shown.replaceChildren(STRINGS.tokenShown, el("code", {}, created.token),
                          copyButton(() => created.token, { label: STRINGS.copyToken }));  // copy.js
    form.reset();
  } catch (err) {
    shown.replaceChildren(err.message);
  }
  shown.hidden = false;
  loadTokens();
}

// ---------- theme: the system's light or dark, or the one chosen with the toggle (remembered) -----------
const SYSTEM_DARK = window.matchMedia(THEME_SYSTEM);  // THEME_KEY, THEME_SYSTEM and applyTheme: theme.js

function currentTheme() {
  return document.documentElement.dataset.theme || (SYSTEM_DARK.matches ? "dark" : "light");
}

// theme.js has already applied a remembered choice before the page was drawn; this wires the toggle.
function initTheme() {
  const buttons = document.querySelectorAll(".theme-toggle");
  const show = () => { for (const b of buttons) b.setAttribute("aria-pressed", String(currentTheme() === "dark")); };
  for (const button of buttons) {
    button.addEventListener("click", () => {
      const next = currentTheme() === "dark" ? "light" : "dark";
      applyTheme(next);
      try { localStorage.setItem(THEME_KEY, next); } catch (err) { /* not remembered, still applied */ }
      show();
    });
  }
  SYSTEM_DARK.addEventListener("change", show);
  show();
}

document.addEventListener("DOMContentLoaded", () => {
  initTheme();
  if (document.body.dataset.page === "index") initIndex();
  if (document.body.dataset.page === "chat") initChat();
});
