// 메추리: correcting a logged meal in the 오늘 tab (인분, 끼니, 날짜와 시각). Loaded after app.js and uses its
// helpers (el, api, loadToday, STRINGS). The server recomputes the numbers from the food table; this page only
// sends what changed, and a time without a zone is read in the app's time zone.
"use strict";

const EDIT_STRINGS = {
  edit: (name) => `${name} 수정`,
  servings: "인분", meal: "끼니", date: "날짜", time: "시각",
  meals: ["아침", "점심", "저녁", "간식", "야식"],
  saved: (name) => `${name} 기록을 고쳤어요.`,
};
const EDIT_MAX_AGE_DAYS = 7;  // the API's limit (web.meals.MAX_AGE_DAYS): older dates are refused there too

function isoDay(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

// The 「수정」 button of one logged meal: swaps its row for a small form, and back.
function mealEditButton(item, meal) {
  return el("button", { type: "button", class: "ghost small edit-meal", "aria-label": EDIT_STRINGS.edit(meal.food_name),
                        onclick: () => openMealEditor(item, meal) }, STRINGS.edit);
}

function openMealEditor(item, meal) {
  const eatenDay = meal.eaten_at.slice(0, 10);  // the API gives the app's local time (+09:00)
  const eatenTime = meal.eaten_at.slice(11, 16);
  const today = todayState.day || eatenDay;
  const oldest = new Date(`${today}T00:00:00`);
  oldest.setDate(oldest.getDate() - EDIT_MAX_AGE_DAYS);
  const servings = el("input", { type: "number", name: "servings", min: "0.1", max: "20", step: "0.1",
                                 value: meal.servings, inputmode: "decimal", required: true });
  const slot = el("select", { name: "meal" },
    EDIT_STRINGS.meals.map((m) => el("option", { value: m, selected: m === meal.meal_type }, m)));
  const day = el("input", { type: "date", name: "date", value: eatenDay, min: isoDay(oldest), max: today, required: true });
  const time = el("input", { type: "time", name: "time", value: eatenTime, required: true });
  const error = el("p", { class: "form-error", role: "alert", hidden: true });
  const label = (text, control) => el("label", {}, el("span", {}, text), control);
  const form = el("form", { class: "meal-edit", novalidate: true, "aria-label": EDIT_STRINGS.edit(meal.food_name) },
    el("strong", {}, meal.food_name),
    label(EDIT_STRINGS.servings, servings), label(EDIT_STRINGS.meal, slot),
    label(EDIT_STRINGS.date, day), label(EDIT_STRINGS.time, time),
    el("div", { class: "meal-edit-actions" },
      el("button", { type: "submit", class: "primary small" }, STRINGS.save),
      el("button", { type: "button", class: "ghost small", onclick: () => loadToday() }, STRINGS.cancel)),
    error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {};
    if (Number(servings.value) !== meal.servings) body.servings = Number(servings.value);
    if (slot.value !== meal.meal_type) body.meal = slot.value;
    if (day.value !== eatenDay || time.value !== eatenTime) body.eaten_at = `${day.value}T${time.value}:00`;
    if (!Object.keys(body).length) { loadToday(); return; }
    try {
      await api("PATCH", `/api/meals/${meal.id}`, body);
    } catch (err) {
      const details = err.body && err.body.error && err.body.error.details;
      error.textContent = details && typeof details === "object" ? Object.values(details).join(" ") : err.message;
      error.hidden = false;
      return;
    }
    await loadToday();
    const status = document.getElementById("today-status");
    if (status) status.textContent = EDIT_STRINGS.saved(meal.food_name);
    if (typeof loadReport === "function") loadReport();  // report.js: the week changes with the day
  });
  item.replaceChildren(form);
  servings.focus();
}
