// 메추리: sharing a plan — copy it as text, download its meals as an .ics calendar (written by the server
// from the food table: POST /api/plan/ics) or as a PNG image drawn on a canvas here. Loaded after plan.js
// and uses its helpers (el, api, amount, copyButton, itemName, mealsOfDay, dateLabel, todayState). Amounts are
// app.js's amount(), the one format of the cards and mechuri/units.py: a shared plan reads like the page.
"use strict";

const SHARE_STRINGS = {
  group: "식단 공유", copy: "텍스트로 복사", ics: "캘린더(.ics) 받기", image: "이미지로 저장",
  copyLabel: "식단을 텍스트로 복사",
  title: (result) => `메추리 ${result.plan.length > 1 ? "일주일" : "하루"} 식단 · 하루 ${amount(result.target_kcal, "kcal")}`,
  day: (day) => `${day.day}일차 · ${dateLabel(day.date)} · ${amount(day.totals.kcal, "kcal")}`,
  meal: (meal, items) => `${meal} · ${amount(items.reduce((sum, item) => sum + item.kcal, 0), "kcal")}`,
  item: (item) => `${itemName(item)} ${amount(item.kcal, "kcal")}`,
  totals: (t) => `탄수화물 ${amount(t.carbohydrate_g, "g")} · 단백질 ${amount(t.protein_g, "g")} · ` +
    `지방 ${amount(t.fat_g, "g")} · 나트륨 ${amount(t.sodium_mg, "mg")}`,
  footer: "영양 수치는 메추리 음식 표 기준이에요.",
  saved: (what) => `${what} 파일을 받았어요.`,
  failed: (message) => `받지 못했어요: ${message}`,
};
const SHARE_IMAGE = { width: 720, pad: 32, line: 26, font: 'system-ui, "Apple SD Gothic Neo", "Noto Sans CJK KR", "Noto Sans KR", sans-serif' };

// Every day of a plan with its date: the plan tab's days are dated; a chat card's day 1 is today.
function datedDays(result) {
  const first = todayState.day || isoDay(new Date());
  return result.plan.map((day) => {
    if (day.date) return day;
    const date = new Date(`${first}T00:00:00`);
    date.setDate(date.getDate() + day.day - 1);
    return { ...day, date: isoDay(date) };
  });
}

function planText(result) {
  const lines = [SHARE_STRINGS.title(result)];
  for (const day of datedDays(result)) {
    lines.push("", SHARE_STRINGS.day(day));
    for (const [meal, items] of mealsOfDay(day)) {
      lines.push(`  ${SHARE_STRINGS.meal(meal, items)}`);
      for (const item of items) lines.push(`    - ${SHARE_STRINGS.item(item)}`);
    }
    lines.push(`  ${SHARE_STRINGS.totals(day.totals)}`);
  }
  lines.push("", SHARE_STRINGS.footer);
  return lines.join("\n");
}

function downloadBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function downloadIcs(result, status) {
  const days = datedDays(result).map((day) => ({
    date: day.date,
    meals: mealsOfDay(day).map(([meal, items]) => ({ meal, items: items.map((i) => ({ name: i.name, servings: i.servings })) })),
  }));
  try {
    const response = await api("POST", "/api/plan/ics", { days }, { raw: true });
    downloadBlob(await response.blob(), `mechuri-plan-${days[0].date}.ics`);
    status.textContent = SHARE_STRINGS.saved(".ics");
  } catch (err) {
    status.textContent = SHARE_STRINGS.failed(err.message);
  }
}

// The plan as a picture: the page's own colours (custom properties, so dark mode draws dark), its words.
function planImage(result) {
  const css = getComputedStyle(document.documentElement);
  const colour = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  const rows = [["title", SHARE_STRINGS.title(result)]];
  for (const day of datedDays(result)) {
    rows.push(["gap", ""], ["day", SHARE_STRINGS.day(day)]);
    for (const [meal, items] of mealsOfDay(day)) {
      rows.push(["meal", SHARE_STRINGS.meal(meal, items)]);
      for (const item of items) rows.push(["item", SHARE_STRINGS.item(item)]);
    }
    rows.push(["note", SHARE_STRINGS.totals(day.totals)]);
  }
  rows.push(["gap", ""], ["note", SHARE_STRINGS.footer]);
  const scale = Math.min(window.devicePixelRatio || 1, 2);
  const canvas = document.createElement("canvas");
  const height = SHARE_IMAGE.pad * 2 + rows.length * SHARE_IMAGE.line;
  canvas.width = SHARE_IMAGE.width * scale;
  canvas.height = height * scale;
  const ctx = canvas.getContext("2d");
  ctx.scale(scale, scale);
  ctx.fillStyle = colour("--card", "#ffffff");
  ctx.fillRect(0, 0, SHARE_IMAGE.width, height);
  ctx.fillStyle = colour("--brand", "#9a5529");
  ctx.fillRect(0, 0, 8, height);
  ctx.textBaseline = "middle";
  const styles = {
    title: ["700 22px", "--brand", 0], day: ["700 18px", "--ink", 0], meal: ["600 16px", "--ink", 16],
    item: ["400 15px", "--ink", 36], note: ["400 13px", "--muted", 16], gap: ["400 10px", "--ink", 0],
  };
  rows.forEach(([kind, text], index) => {
    const [font, ink, indent] = styles[kind];
    ctx.font = `${font} ${SHARE_IMAGE.font}`;
    ctx.fillStyle = colour(ink, "#2b2118");
    ctx.fillText(text, SHARE_IMAGE.pad + indent, SHARE_IMAGE.pad + (index + 0.5) * SHARE_IMAGE.line,
                 SHARE_IMAGE.width - SHARE_IMAGE.pad * 2 - indent);
  });
  return canvas;
}

function downloadImage(result, status) {
  planImage(result).toBlob((blob) => {
    if (!blob) { status.textContent = SHARE_STRINGS.failed("PNG"); return; }
    downloadBlob(blob, `mechuri-plan-${datedDays(result)[0].date}.png`);
    status.textContent = SHARE_STRINGS.saved("PNG");
  }, "image/png");
}

// The three share buttons under a feasible plan (the plan tab and a chat plan card).
function planShareTools(result) {
  if (!result.feasible || !result.plan.length) return null;
  const status = el("span", { class: "hint share-status", role: "status" });
  return el("div", { class: "share-tools", role: "group", "aria-label": SHARE_STRINGS.group },
    copyButton(() => planText(result), { label: SHARE_STRINGS.copyLabel, text: SHARE_STRINGS.copy }),
    el("button", { type: "button", class: "ghost small", onclick: () => downloadIcs(result, status) }, SHARE_STRINGS.ics),
    el("button", { type: "button", class: "ghost small", onclick: () => downloadImage(result, status) }, SHARE_STRINGS.image),
    status);
}
