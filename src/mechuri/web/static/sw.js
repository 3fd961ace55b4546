// 메추리 service worker: an offline page, nothing else (see mechuri/web/pwa.py for why).
// Pages and the API always go to the network and are never stored; only when a page cannot be reached is
// the cached offline page shown. Its stylesheets and icon are cached for it, and served from the cache only
// when the network fails, so an online page never gets a stale stylesheet.
"use strict";

const CACHE = "mechuri-offline-v2";  // v2: the dark colours moved to their own stylesheet
const OFFLINE_URL = "/offline";
const OFFLINE_ASSETS = [OFFLINE_URL, "/static/app.css", "/static/dark.css", "/static/favicon.svg"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(OFFLINE_ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
  } else if (OFFLINE_ASSETS.includes(url.pathname)) {
    event.respondWith(fetch(request).catch(() => caches.match(url.pathname)));
  }
  // anything else (the API above all) is not touched: the browser fetches it, and nothing is stored
});
