// The field app's service worker (VERSION and ASSETS are written above by the server).
// It only keeps the app's own files for offline use. The queue of records lives in
// IndexedDB, which the page owns: a new worker never touches it, so an upgrade cannot lose
// or block it. Nothing here expires: the files stay until the next version replaces them.
"use strict";
const CACHE = "polmas-field-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(ASSETS.map((u) => new Request(u, { cache: "reload" }))))
      .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("polmas-field-") && k !== CACHE)
        .map((k) => caches.delete(k))))
      .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const known = ASSETS.includes(url.pathname) || (request.mode === "navigate" && url.pathname === ASSETS[0]);
  if (!known) return; // the API and every other page: straight to the network
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(url.pathname).then((hit) => hit || fetch(request))));
});
