// 메추리 theme, run before the page is drawn (a plain script in <head>, not deferred) so that a remembered
// choice never flashes the other theme first. The stylesheet follows the system (prefers-color-scheme)
// unless <html data-theme> says light or dark; the toggle button (app.js, initTheme) sets and remembers it.
"use strict";
(() => {
  try {
    const chosen = localStorage.getItem("mechuri.theme");
    if (chosen === "light" || chosen === "dark") document.documentElement.dataset.theme = chosen;
  } catch (err) {
    // storage blocked (private mode, a policy): the system's theme applies
  }
})();
