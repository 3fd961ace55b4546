// 메추리 web client: one small vanilla file, no build step, no CDN.
// Every piece of user or model text is put on the page with textContent (never parsed as HTML).
"use strict";

const STRINGS = {
  kinds: { like: "좋아함", dislike: "싫어함", allergy: "알레르기", diet: "식단", goal: "목표" },
  edit: "수정", remove: "삭제", save: "저장", cancel: "취소", revoke: "폐기",
  retry: "다시 시도", stopped: "(중지했어요)", networkError: "연결이 끊겼어요. 잠시 뒤에 다시 해 주세요.",
  serverError: "문제가 생겼어요.", noPrefs: "아직 기억한 게 없어요. 대화하거나 아래에서 추가해 보세요.",
  noMeals: "오늘 기록한 식사가 없어요. “점심에 비빔밥 먹었어”처럼 말해 보세요.",
  today: (day) => `${day} (한국 시간) 기준이에요.`,
  servings: (n, g) => `${n === 1 ? "1인분" : n + "인분"} · ${Math.round(g)} g`,
  sodium: (mg, pct) => `나트륨 ${fmt(mg)} mg · 하루 기준의 ${pct}%`,
  macros: (c, p, f) => `탄수화물 ${fmt(c)} g · 단백질 ${fmt(p)} g · 지방 ${fmt(f)} g`,
  logged: (meal, name) => `${meal} 기록: ${name}`,
  caution: { allergy: (w) => `⚠ ${w} 알레르기 주의`, diet: (w) => `${w} 식단에 맞지 않음` },
  nutrients: { kcal: "열량", carbohydrate_g: "탄수화물", protein_g: "단백질", fat_g: "지방", sodium_mg: "나트륨" },
  states: { ok: "목표 안", over: "목표 넘음", under: "목표보다 적음" },
  targetBasis: (t) => `하루 목표 ${fmt(t.kcal)} kcal — ${t.basis}`,
  tokenShown: "새 토큰 (지금만 보여요, 복사해 두세요): ",
  tokenMeta: (t) => `${t.prefix}… · ${t.last_used_at ? "마지막 사용 " + t.last_used_at.slice(0, 10) : "아직 안 씀"}`,
  confirmRevoke: "이 토큰을 폐기할까요? 이 토큰을 쓰는 클라이언트는 더 이상 접속할 수 없어요.",
  choose: "이걸로 먹을래요", chooseFor: (name) => `${name} 이걸로 먹을래요`,
  choiceSay: (rank) => `${rank}번으로 할게`, chosen: "골랐어요 ✓",
  up: (name) => `${name} 좋아요`, down: (name) => `${name} 별로예요`,
  upDone: "좋아요를 기억했어요", downDone: "별로라고 기억했어요",
  tasteEmpty: "아직 배운 입맛이 없어요. 추천 카드에서 고르거나 👍/👎를 눌러 보세요.",
  tasteLike: "좋아해요", tasteDislike: "덜 좋아해요",
  tasteEvents: (n) => `고른 메뉴·먹은 음식·👍/👎 ${fmt(n)}번에서 배웠어요.`,
  tasteChosen: (names) => `고른 메뉴: ${names.join(", ")}`,
  tasteReset: "입맛 초기화", tasteResetAsk: "배운 입맛을 모두 지울까요? 알레르기·식단 같은 취향은 그대로예요.",
  tasteResetYes: "지우기", tasteResetDone: "입맛을 초기화했어요.",
  streamCut: "답변이 중간에 끊겼어요.",
  panelError: (what, message) => `${particle(what, "을", "를")} ${what === "식사" ? "지우지" : "불러오지"} 못했어요: ${message}`,
  panelWhat: { today: "오늘 기록", prefs: "취향", profile: "프로필", tokens: "토큰", taste: "입맛", remove: "식사" },
  counter: (n, max) => `${fmt(n)} / ${fmt(max)}자`,
  tooLong: (n, max) => `${fmt(max)}자까지 보낼 수 있어요. ${fmt(n - max)}자를 줄여 주세요.`,
};
const DRAFT_KEY = "mechuri.draft";
let chatSay = null;       // initChat's say(): the card buttons send through the same chat path
let lastSent = null;      // the message on its way (kept as a draft if the session turns out to be over)
let todayState = { day: null, meals: new Set() };  // today's date and logged meal types (plan log buttons)
const CHOICES = { diet: [], goal: [], allergy: [] };
let dailySodiumMax = 2300;

function fmt(x) { return Number(x).toLocaleString("ko-KR", { maximumFractionDigits: 1 }); }

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
  for (const name of Object.keys(tabs)) {
    tabs[name].addEventListener("click", () => {
      for (const other of Object.keys(tabs)) {
        tabs[other].setAttribute("aria-selected", String(other === name));
        forms[other].hidden = other !== name;
      }
    });
  }
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
  if (button) { button.textContent = STRINGS.chosen; button.disabled = true; button.classList.add("done"); }
}

// cautions: the turn's allergy and diet warnings about this dish (turn.cautions), shown above its numbers.
function dishCard(dish, extra, cautions = [], rank = null) {
  const energy = dish.carbohydrate_g * 4 + dish.protein_g * 4 + dish.fat_g * 9 || 1;
  const sodiumShare = dish.sodium_mg / dailySodiumMax;
  const warnings = cautions.filter((c) => c.dish === dish.name)
    .map((c) => el("p", { class: `caution ${c.kind}` }, STRINGS.caution[c.kind](c.word)));
  return el("article", { class: "card" },
    el("header", {}, el("h3", {}, dish.name), el("span", { class: "kcal" }, `${fmt(dish.kcal)} kcal`)),
    ...warnings,
    el("p", { class: "serving" }, STRINGS.servings(dish.servings ?? 1, dish.serving_g)),
    bar([["carb", dish.carbohydrate_g * 4 / energy], ["protein", dish.protein_g * 4 / energy],
         ["fat", dish.fat_g * 9 / energy]]),
    el("p", { class: "legend" }, STRINGS.macros(dish.carbohydrate_g, dish.protein_g, dish.fat_g)),
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

function bubble(role, text) {
  const body = el("div", { class: "text" }, text);
  const node = el("div", { class: `msg ${role}` }, body);
  return { node, body };
}

function messageNode(message) {
  const { node } = bubble(message.role, message.content);
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
    if (first) toBottom(); else log.scrollTop = log.scrollHeight - height;
  }

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
    if (echo) list.append(bubble("user", text).node);
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
  const setOpen = (open) => { panel.classList.toggle("open", open); toggle.setAttribute("aria-expanded", String(open)); };
  toggle.addEventListener("click", () => setOpen(!panel.classList.contains("open")));
  document.getElementById("panel-close").addEventListener("click", () => setOpen(false));
  for (const tab of panel.querySelectorAll("[data-tab]")) {
    tab.addEventListener("click", () => selectTab(tab.dataset.tab));
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
    tab.setAttribute("aria-selected", String(tab.dataset.tab === name));
    document.getElementById(`tab-${tab.dataset.tab}`).hidden = tab.dataset.tab !== name;
  }
  panel.classList.toggle("wide", name === "plan");  // the plan's tables want more room on a laptop
  if (open) {
    panel.classList.add("open");
    document.getElementById("panel-toggle").setAttribute("aria-expanded", "true");
  }
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
  const range = (r) => `${fmt(r.min)}–${fmt(r.max)} g`;
  document.getElementById("targets").replaceChildren(
    el("p", {}, STRINGS.targetBasis(t)),
    el("p", { class: "legend" }, `탄수화물 ${range(t.carbohydrate_g)} · 단백질 ${range(t.protein_g)} · ` +
       `지방 ${range(t.fat_g)} · 나트륨 ${fmt(t.sodium_mg_max)} mg 이하`));
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
    const range = goal || (lo === hi || lo === 0 ? `${fmt(hi)}` : `${fmt(lo)}–${fmt(hi)}`);
    return el("div", { class: "chart-row", "data-nutrient": key, "data-state": state },
      el("span", { class: "label" }, STRINGS.nutrients[key]), track,
      el("span", { class: "nums" }, `${fmt(total)} / ${range} ${unit}`, el("span", { class: "sr-only" }, ` (${STRINGS.states[state]})`)));
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
      goal: `${fmt(t.kcal)} ±5%` },
    { key: "carbohydrate_g", total: today.totals.carbohydrate_g, lo: t.carbohydrate_g.min, hi: t.carbohydrate_g.max, unit: "g" },
    { key: "protein_g", total: today.totals.protein_g, lo: t.protein_g.min, hi: t.protein_g.max, unit: "g" },
    { key: "fat_g", total: today.totals.fat_g, lo: t.fat_g.min, hi: t.fat_g.max, unit: "g" },
    { key: "sodium_mg", total: today.totals.sodium_mg, lo: 0, hi: t.sodium_mg_max, unit: "mg" },
  ]));
  const meals = document.getElementById("today-meals");
  meals.replaceChildren(...(today.meals.length ? today.meals.map((meal) => el("li", {},
    el("span", {}, `${meal.meal_type} · ${meal.food_name}${meal.servings !== 1 ? ` ×${meal.servings}` : ""}`),
    el("span", { class: "legend" }, `${fmt(meal.nutrition.kcal)} kcal`),
    el("button", { type: "button", class: "ghost small", "aria-label": `${meal.food_name} ${STRINGS.remove}`, onclick: async () => {
      try {
        await api("DELETE", `/api/today/meals/${meal.id}`);
      } catch (err) {
        panelError("remove", err);
        return;
      }
      loadToday();
    } }, STRINGS.remove))) : [el("li", { class: "empty" }, STRINGS.noMeals)]));
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
    shown.replaceChildren(STRINGS.tokenShown, el("code", {}, created.token));
    form.reset();
  } catch (err) {
    shown.replaceChildren(err.message);
  }
  shown.hidden = false;
  loadTokens();
}

document.addEventListener("DOMContentLoaded", () => {
  if (document.body.dataset.page === "index") initIndex();
  if (document.body.dataset.page === "chat") initChat();
});
