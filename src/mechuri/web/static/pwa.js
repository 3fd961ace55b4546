// 메추리: register the service worker that shows an offline page (sw.js). A file of its own, because the
// CSP allows no inline script; browsers without service workers (or on plain http) simply skip it.
"use strict";

if ("serviceWorker" in navigator && window.isSecureContext) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js").catch(() => { /* the app works the same without it */ });
  });
}
