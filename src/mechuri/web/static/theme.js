// 메추리 theme, run before the page is drawn (a plain script in <head>, after the stylesheets, not deferred)
// so that a remembered choice never flashes the other theme first. The dark colours are static/dark.css,
// linked with media="(prefers-color-scheme: dark)": with no script the system's choice applies. A choice
// made with the toggle (app.js, initTheme) is applied here: the link's media becomes "all" (dark) or
// "not all" (light), and <html data-theme> records it for the toggle's state.
"use strict";
const THEME_KEY = "mechuri.theme";
const THEME_SYSTEM = "(prefers-color-scheme: dark)";

// "light" or "dark": that theme whatever the system says; anything else: follow the system again.
function applyTheme(theme) {
  const chosen = theme === "light" || theme === "dark" ? theme : null;
  const dark = document.getElementById("dark-colours");
  if (chosen) document.documentElement.dataset.theme = chosen;
  else delete document.documentElement.dataset.theme;
  if (dark) dark.media = chosen === "dark" ? "all" : chosen === "light" ? "not all" : THEME_SYSTEM;
}

(() => {
  try {
    applyTheme(localStorage.getItem(THEME_KEY));
  } catch (err) {
    // storage blocked (private mode, a policy): the system's theme applies
  }
})();
