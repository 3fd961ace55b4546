// 메추리 meal plans in the browser: the plan tab (식단 짜기 / 다시 짜기), the plan card a chat turn brings,
// and 「이 식단 기록하기」. Loaded after app.js and uses its helpers (el, api, fmt, targetChart, selectTab,
// loadToday). Every name and number goes on the page with textContent, like app.js.
"use strict";

const PLAN_STRINGS = {
  dayTitle: (day, date) => (date ? `${day}일차 · ${dateLabel(date)}` : `${day}일차`),
  dayKcal: (kcal) => amount(kcal, "kcal"),
  error: (pct) => `목표 대비 ${pct > 0 ? "+" : ""}${fmt(pct)}%`,
  menu: "메뉴", energy: "열량(kcal)",
  mealTotal: (kcal) => amount(kcal, "kcal"),
  // no-break spaces: a narrow screen wraps between the parts, never inside 「나트륨 250mg」
  macros: (i) => `탄\u00a0${amount(i.carbohydrate_g, "g")} · 단\u00a0${amount(i.protein_g, "g")} · ` +
    `지\u00a0${amount(i.fat_g, "g")} · 나트륨\u00a0${amount(i.sodium_mg, "mg")}`,
  portion: { 0.5: "반 공기", 1.5: "한 공기 반" },
  times: (n) => `×${fmt(n)}`,
  fixed: "정한 메뉴",
  logMeal: "이 식단 기록하기",
  logMealFor: (meal) => `${meal}: 이 식단 기록하기`,  // the visible words stay in the accessible name
  logged: "기록했어요 ✓",
  loggedFor: (meal) => `${meal}: 기록했어요 ✓`,
  alreadyLogged: "오늘 기록함",
  laterDay: "그날 기록해요",
  laterDayHint: "아직 오지 않은 날이라 기록 버튼이 없어요. 그날 ‘오늘’ 식단으로 기록하거나 채팅으로 말해 주세요.",
  loggedStatus: (meal) => `${particle(meal, "을", "를")} 오늘 먹은 것으로 기록했어요. ‘오늘’ 탭에 반영됐어요.`,
  kcalGoal: (kcal) => STRINGS.kcalGoal(kcal),
  intro: (result) => (result.plan.length > 1 ? `일주일 식단을 하루 ${amount(result.target_kcal, "kcal")}에 맞춰 짰어요.`
    : `하루 ${amount(result.target_kcal, "kcal")}에 맞춰 짰어요.`),
  skipped: (meals) => `${particle(meals.join("·"), "은", "는")} 빼고, 그 몫만큼 하루 목표도 줄였어요.`,
  failed: "식단을 짤 수 없었어요.",
  failedHint: "끼니나 목표 열량을 바꿔서 다시 짜 보세요. 알레르기·싫어하는 음식·식단은 ‘취향’ 탭에서 바꿀 수 있어요.",
  working: (days) => (days > 1 ? "일주일 식단을 짜고 있어요… (몇 초 걸려요)" : "식단을 짜고 있어요…"),
  done: (days) => (days > 1 ? "일주일 식단을 짰어요." : "하루 식단을 짰어요."),
  openInTab: "식단 탭에서 보기",
  cardTitle: (days) => (days > 1 ? "일주일 식단" : "하루 식단"),
  basis: (t) => `목표 근거: ${t.summary}`,
};
const MAIN_MEALS = ["아침", "점심", "저녁"];
let planState = null;  // {request, result}: the plan on the tab, for 「다시 짜기」

// 을/를, 은/는 after a Hangul word, by whether its last syllable has a final consonant (받침).
function particle(word, withFinal, withoutFinal) {
  const code = word.charCodeAt(word.length - 1) - 0xac00;
  const hasFinal = code >= 0 && code <= 11171 && code % 28 !== 0;
  return word + (hasFinal ? withFinal : withoutFinal);
}

// Put a message in a live region; quiet ones are for screen readers only.
function announce(region, text, { quiet = false } = {}) {
  region.textContent = text;
  region.classList.toggle("sr-only", quiet);
}

function mealsOfDay(day) {
  const grouped = new Map();
  for (const item of day.meals) {
    if (!grouped.has(item.meal)) grouped.set(item.meal, []);
    grouped.get(item.meal).push(item);
  }
  return [...grouped.entries()];
}

function itemName(item) {
  const portion = item.role === "rice" ? PLAN_STRINGS.portion[item.servings] : null;
  if (portion) return `${item.name} ${portion}`;
  return item.servings !== 1 ? `${item.name} ${PLAN_STRINGS.times(item.servings)}` : item.name;
}

// 「이 식단 기록하기」: the meal's dish names and servings go to the server, which stores the food table's
// numbers for them (never numbers from this page); then the today tab is redrawn.
async function logPlannedMeal(button, meal, items, status) {
  button.disabled = true;
  const note = button.parentElement.querySelector(".form-error");
  if (note) note.remove();
  try {
    await api("POST", "/api/meals", { meal, items: items.map((i) => ({ name: i.name, servings: i.servings })) });
    button.textContent = PLAN_STRINGS.logged;
    button.setAttribute("aria-label", PLAN_STRINGS.loggedFor(meal));  // the name keeps the visible words
    button.classList.add("done");
    if (status) announce(status, PLAN_STRINGS.loggedStatus(meal));
    loadToday();
  } catch (err) {
    button.disabled = false;
    button.parentElement.append(el("span", { class: "form-error", role: "alert" }, err.message));
  }
}

// Is this planned day today? A dated day (the plan tab) is compared with today's date; an undated one (a
// chat card) counts from today, so its day 1 is today.
function isToday(day) {
  if (day.date && todayState.day) return day.date === todayState.day;
  return day.day === 1;
}

// A meal type logged today (from any card, the plan tab or chat) is not offered for logging again: its
// button becomes the 「오늘 기록함」 badge. Called after each redraw of the today tab and of a plan.
function markLoggedPlanMeals() {
  for (const button of document.querySelectorAll('.log-meal[data-today="true"]:not(.done)')) {
    if (todayState.meals.has(button.dataset.meal)) {
      button.replaceWith(el("span", { class: "badge" }, PLAN_STRINGS.alreadyLogged));
    }
  }
}

function mealRows(meal, items, { logged, status, today = true }) {
  const kcal = items.reduce((sum, item) => sum + item.kcal, 0);
  const action = el("td", { class: "num" });
  if (logged) {
    action.append(el("span", { class: "badge" }, PLAN_STRINGS.alreadyLogged));
  } else if (!today) {
    // a later day of a week plan has not been eaten yet, and a meal cannot be logged ahead (the API
    // refuses future dates): no button that would record it as eaten today
    action.append(el("span", { class: "legend later" }, PLAN_STRINGS.laterDay));
  } else {
    const button = el("button", { type: "button", class: "ghost small log-meal", "data-meal": meal,
                                  "data-today": "true",
                                  "aria-label": PLAN_STRINGS.logMealFor(meal) }, PLAN_STRINGS.logMeal);
    button.addEventListener("click", () => logPlannedMeal(button, meal, items, status));
    action.append(button);
  }
  const head = el("tr", { class: "meal-head" },
    el("th", { scope: "rowgroup" }, meal, el("span", { class: "legend" }, ` · ${PLAN_STRINGS.mealTotal(kcal)}`)),
    action);
  const rows = items.map((item) => el("tr", { class: "item" },
    el("td", {},
      el("span", { class: "dish" }, itemName(item)),
      item.fixed ? el("span", { class: "badge" }, PLAN_STRINGS.fixed) : null,
      el("span", { class: "serving" }, ` ${amount(item.serving_g, "g")}`),
      el("span", { class: "legend macros" }, PLAN_STRINGS.macros(item))),
    el("td", { class: "num" }, amountNumber(item.kcal, "kcal"))));  // the column is headed 열량 (kcal)
  return el("tbody", { "data-meal": meal }, head, rows);
}

function dayChart(day) {
  const t = day.target;
  const sum = day.totals;
  return targetChart({ compact: true }, [
    { key: "kcal", total: sum.kcal, lo: t.kcal * 0.95, hi: t.kcal * 1.05, unit: "kcal", goal: PLAN_STRINGS.kcalGoal(t.kcal) },
    { key: "carbohydrate_g", total: sum.carbohydrate_g, lo: t.carbohydrate_g[0], hi: t.carbohydrate_g[1], unit: "g" },
    { key: "protein_g", total: sum.protein_g, lo: t.protein_g[0], hi: t.protein_g[1], unit: "g" },
    { key: "fat_g", total: sum.fat_g, lo: t.fat_g[0], hi: t.fat_g[1], unit: "g" },
    { key: "sodium_mg", total: sum.sodium_mg, lo: 0, hi: t.sodium_mg_max, unit: "mg" },
  ]);
}

// One planned day: its meals as a table (dishes, serving, macros, sodium, kcal, a log button per meal)
// and its totals against the day's targets. A week in chat folds each day into a <details>.
function planDay(day, { folded = false, open = true, logged = [], status = null } = {}) {
  const title = PLAN_STRINGS.dayTitle(day.day, day.date);
  const summary = [el("span", { class: "day-title" }, title),
    el("span", { class: "kcal" }, PLAN_STRINGS.dayKcal(day.totals.kcal)),
    el("span", { class: `delta ${day.checks.energy_ok ? "ok" : "over"}` }, PLAN_STRINGS.error(day.checks.energy_error_pct))];
  const table = el("table", { class: "plan-table" },
    el("caption", { class: "sr-only" }, title),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, PLAN_STRINGS.menu),
                       el("th", { scope: "col", class: "num" }, PLAN_STRINGS.energy))),
    mealsOfDay(day).map(([meal, items]) => mealRows(meal, items, {
      logged: isToday(day) && (logged.includes(meal) || todayState.meals.has(meal)), status, today: isToday(day) })));
  const body = [table, dayChart(day)];
  if (!isToday(day) && day.day === 2) body.push(el("p", { class: "hint" }, PLAN_STRINGS.laterDayHint));
  if (folded) {
    return el("details", { class: "plan-day", open, "data-day": day.day }, el("summary", {}, summary), body);
  }
  return el("section", { class: "plan-day", "data-day": day.day }, el("h4", {}, summary), body);
}

function planNotes(result) {
  const lines = [];
  if (result.request && result.request.skip_meals.length) lines.push(PLAN_STRINGS.skipped(result.request.skip_meals));
  lines.push(...result.notes);
  return lines.length ? el("ul", { class: "plan-notes" }, lines.map((line) => el("li", {}, line))) : null;
}

function planFailure(result) {
  return el("div", { class: "plan-problem", role: "alert" },
    el("strong", {}, PLAN_STRINGS.failed),
    el("ul", {}, result.problems.map((p) => el("li", {}, p))),
    el("p", { class: "hint" }, PLAN_STRINGS.failedHint));
}

// ---------- the plan card of a chat turn --------------------------------------------------------

// A chat turn's plan in the API's shape, so the card and the plan tab draw it the same way.
function planFromTurn(turn) {
  const info = (turn.meta && turn.meta.plan_info) || {};
  const asked = (turn.meta && turn.meta.plan_request) || {};
  const skip = asked.skip_meals || [];
  return {
    feasible: info.feasible !== false, plan: turn.plan || [], problems: info.problems || [], notes: info.notes || [],
    target_kcal: info.target_kcal || (turn.plan[0] && turn.plan[0].target.kcal) || 0,
    already_logged: info.already_logged || [],
    request: {
      days: asked.days || turn.plan.length, meals: (asked.meals || MAIN_MEALS).filter((m) => !skip.includes(m)),
      skip_meals: skip, kcal_target: asked.kcal_target ?? null, goal: asked.goal ?? null,
      fixed: (asked.fixed || []).map(([day, meal, name]) => ({ day, meal, name })),
      variant: asked.variant || 0, dishes: asked.dishes || [],
    },
  };
}

function planCard(turn) {
  const result = planFromTurn(turn);
  const week = result.plan.length > 1;
  const status = el("p", { class: "hint", role: "status" });
  const logged = result.already_logged;
  return el("article", { class: "card plan-card" },
    el("header", {}, el("h3", {}, PLAN_STRINGS.cardTitle(result.plan.length)),
       el("span", { class: "kcal" }, PLAN_STRINGS.kcalGoal(result.target_kcal))),
    result.plan.map((day, index) => planDay(day, { folded: week, open: index === 0, logged, status })),
    status,
    planShareTools(result),  // share.js
    el("button", { type: "button", class: "ghost small open-plan", onclick: () => {
      showPlan(result);
      selectTab("plan", { open: true });
      document.getElementById("plan-result").focus();
    } }, PLAN_STRINGS.openInTab));
}

// ---------- the plan tab ------------------------------------------------------------------------

function showPlan(result) {
  planState = result;
  const form = document.getElementById("plan-form");
  const asked = result.request;
  form.elements.days.value = String(asked.days);
  for (const box of form.querySelectorAll('input[name="meals"]')) box.checked = asked.meals.includes(box.value);
  form.elements.kcal_target.value = asked.kcal_target ?? "";
  document.getElementById("plan-again").disabled = false;
  const status = document.getElementById("plan-status");
  announce(status, "");  // a message about the plan shown before would be about the wrong plan now
  const view = [];
  if (!result.feasible) {
    view.push(planFailure(result));
  } else {
    view.push(el("p", { class: "plan-intro" }, PLAN_STRINGS.intro(result)));
    if (result.targets) view.push(el("p", { class: "legend" }, PLAN_STRINGS.basis(result.targets)));
    view.push(planNotes(result));
    view.push(planShareTools(result));  // share.js
    const week = result.plan.length > 1;  // a week folds each day; the summaries make the overview
    view.push(...result.plan.map((day, index) => planDay(day, { folded: week, open: index === 0,
                                                                 logged: result.already_logged, status })));
  }
  document.getElementById("plan-result").replaceChildren(...view.filter(Boolean));
}

// What the form asks for. An unticked 아침/점심/저녁 is eaten elsewhere: it is skipped and its share of the
// day leaves the targets (as 「저녁 약속 있어」 does in chat); 간식 is planned only when ticked.
function planBody(form) {
  const ticked = [...form.querySelectorAll('input[name="meals"]:checked')].map((box) => box.value);
  const kcal = form.elements.kcal_target.value.trim();
  return {
    days: Number(form.elements.days.value),
    meals: ticked,
    skip_meals: MAIN_MEALS.filter((meal) => !ticked.includes(meal)),
    kcal_target: kcal ? Number(kcal) : null,
  };
}

async function requestPlan(body) {
  const form = document.getElementById("plan-form");
  const error = form.querySelector(".form-error");
  const status = document.getElementById("plan-status");
  const buttons = form.querySelectorAll("button");
  error.hidden = true;
  for (const button of buttons) button.disabled = true;
  form.setAttribute("aria-busy", "true");
  announce(status, PLAN_STRINGS.working(body.days));
  try {
    const result = await api("POST", "/api/plan", body);
    showPlan(result);
    // the result speaks for itself on screen; a screen reader hears that it arrived
    announce(status, result.feasible ? PLAN_STRINGS.done(body.days) : PLAN_STRINGS.failed, { quiet: true });
  } catch (err) {
    const details = err.body && err.body.error && err.body.error.details;
    error.textContent = details && typeof details === "object" && !Array.isArray(details)
      ? Object.values(details).join(" ") : err.message;
    error.hidden = false;
    announce(status, "");
  } finally {
    form.removeAttribute("aria-busy");
    for (const button of buttons) button.disabled = false;
    document.getElementById("plan-again").disabled = !planState;
  }
}

function initPlan() {
  const form = document.getElementById("plan-form");
  if (!form) return;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    requestPlan(planBody(form));
  });
  // 「다시 짜기」: the form's request again, the last plan's decided meals and goal kept, and the next variant,
  // which breaks ties differently and avoids the last plan's dishes where the food table allows.
  document.getElementById("plan-again").addEventListener("click", () => {
    if (!planState) return;
    const last = planState.request;
    const body = planBody(form);
    requestPlan({ ...body, fixed: last.fixed.filter((f) => f.day <= body.days && !body.skip_meals.includes(f.meal)),
                  goal: last.goal, variant: last.variant + 1, avoid_dishes: last.dishes });
  });
}
