// 메추리: the 주간 tab — seven days of logged meals against the targets as inline SVG charts (no library, no
// CDN), the best and worst day and one suggestion, all from GET /api/report/week. Loaded after app.js and
// plan.js and uses their helpers (el, api, guarded, dateLabel; amounts by amountNumber and targetBand, the
// one format of mechuri/units.py). Colours come from CSS classes only.
"use strict";

const REPORT_STRINGS = {
  title: (r) => `최근 7일 · ${dateLabel(r.start)} – ${dateLabel(r.end)}`,
  logged: (n) => `기록한 날 ${n}일`,
  best: "가장 잘 맞춘 날", worst: "가장 벗어난 날",
  off: (keys) => `(${keys.join(", ")})`,
  suggestion: "이번 주 제안",
  table: "표로 보기", day: "날짜",
  none: "기록 없음",
  legend: "막대: 초록 목표 안 · 빨강 넘음 · 노랑 적음 · 옅은 띠 목표 범위 · 굵은 테두리 가장 잘 맞춘 날 · 점선 테두리 가장 벗어난 날. "
    + "오늘과 한 끼만 기록한 날은 ‘적음’을 따지지 않아요.",
  states: { ok: "목표 안", over: "넘음", under: "적음" },
  chartLabel: (name, band) => `${name} 7일 그래프, 목표 ${band}`,
  target: " 목표 ",
  weekday: (iso) => new Date(`${iso}T00:00:00`).toLocaleDateString("ko-KR", { weekday: "short" }),
};
const REPORT_NUTRIENTS = [["kcal", "kcal"], ["carbohydrate_g", "g"], ["protein_g", "g"], ["fat_g", "g"], ["sodium_mg", "mg"]];
const SVG_NS = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

// One nutrient over seven days: a bar a day (green inside the band, red over, amber under, grey unlogged),
// the target band behind them, the weekday under each bar and the number above it.
function reportChart(report, key, unit) {
  const [lo, hi] = report.bands[key];
  const values = report.days.map((day) => day.totals[key]);
  const top = Math.max(hi * 1.2, ...values, 1);
  const width = 336, height = 132, base = 108, plot = 86, step = width / 7, barWidth = step * 0.56;
  const y = (value) => base - (value / top) * plot;
  const name = STRINGS.nutrients[key];
  // energy as the 오늘 tab and a planned day say it (「2,200kcal ±5%」), the rest as their band
  const band = key === "kcal" ? STRINGS.kcalGoal(report.targets.kcal) : targetBand(lo, hi, unit);
  const titleId = `report-chart-${key}`;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": titleId,
                             class: "report-chart", "data-nutrient": key, preserveAspectRatio: "xMidYMid meet" },
    svg("title", { id: titleId }, REPORT_STRINGS.chartLabel(name, band)),
    svg("rect", { class: "target-band", x: 0, width, y: y(hi), height: Math.max(y(lo) - y(hi), 1) }),
    svg("line", { class: "axis", x1: 0, x2: width, y1: base, y2: base }));
  report.days.forEach((day, index) => {
    const x = index * step + (step - barWidth) / 2;
    const state = day.status ? day.status[key] : "none";
    const value = day.totals[key];
    const mark = day.date === report.best ? "best" : day.date === report.worst ? "worst" : "";
    chart.append(
      svg("rect", { class: `day-bar ${state} ${mark}`.trim(), x, width: barWidth, y: y(value),
                    height: Math.max(base - y(value), day.status ? 1.5 : 0), rx: 3, "data-date": day.date }),
      svg("text", { class: "value", x: x + barWidth / 2, y: Math.max(y(value) - 4, 10), "text-anchor": "middle" },
          day.status ? amountNumber(value, unit) : ""),
      svg("text", { class: `day ${mark}`.trim(), x: x + barWidth / 2, y: height - 8, "text-anchor": "middle" },
          REPORT_STRINGS.weekday(day.date)));
  });
  return el("figure", { class: "report-figure" },
    el("figcaption", {}, el("strong", {}, name), el("span", { class: "legend" },
       REPORT_STRINGS.target, amountEl(band))), chart);
}

// The same numbers as a table, for reading exactly and for screen readers.
function reportTable(report) {
  const head = el("tr", {}, el("th", { scope: "col" }, REPORT_STRINGS.day),
    REPORT_NUTRIENTS.map(([key, unit]) => el("th", { scope: "col", class: "num" }, `${STRINGS.nutrients[key]} (${unit})`)));
  const rows = report.days.map((day) => el("tr", { "data-date": day.date },
    el("th", { scope: "row" }, dateLabel(day.date)),
    REPORT_NUTRIENTS.map(([key, unit]) => el("td", { class: `num ${day.status ? day.status[key] : "none"}` },
      day.status ? `${amountNumber(day.totals[key], unit)} · ${REPORT_STRINGS.states[day.status[key]]}` : REPORT_STRINGS.none))));
  return el("details", { class: "report-table" }, el("summary", {}, REPORT_STRINGS.table),
    el("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "7일 기록 표" }, el("table", { class: "plan-table" }, el("thead", {}, head), el("tbody", {}, rows))));
}

function offNutrients(report, date) {
  const day = report.days.find((d) => d.date === date);
  if (!day || !day.status) return "";
  const off = REPORT_NUTRIENTS.map(([key]) => key).filter((key) => day.status[key] !== "ok")
    .map((key) => `${STRINGS.nutrients[key]} ${REPORT_STRINGS.states[day.status[key]]}`);
  return off.length ? ` ${REPORT_STRINGS.off(off)}` : "";
}

function renderReport(report) {
  const facts = [el("li", {}, REPORT_STRINGS.logged(report.logged_days))];
  if (report.best) facts.push(el("li", { class: "best" }, `${REPORT_STRINGS.best}: ${dateLabel(report.best)}${offNutrients(report, report.best)}`));
  if (report.worst) facts.push(el("li", { class: "worst" }, `${REPORT_STRINGS.worst}: ${dateLabel(report.worst)}${offNutrients(report, report.worst)}`));
  document.getElementById("report").replaceChildren(
    el("p", { class: "hint" }, REPORT_STRINGS.title(report)),
    el("ul", { class: "report-facts" }, facts),
    el("section", { class: "report-suggestion", "aria-labelledby": "report-suggestion-title" },
      el("h3", { id: "report-suggestion-title" }, REPORT_STRINGS.suggestion),
      el("p", {}, report.suggestion.text)),
    el("p", { class: "legend" }, REPORT_STRINGS.legend),
    el("div", { class: "report-charts" }, REPORT_NUTRIENTS.map(([key, unit]) => reportChart(report, key, unit))),
    reportTable(report));
}

const loadReport = guarded("report", async () => renderReport(await api("GET", "/api/report/week")));

document.addEventListener("DOMContentLoaded", () => {
  const tab = document.querySelector('[data-tab="report"]');
  if (tab) tab.addEventListener("click", () => loadReport());
});
