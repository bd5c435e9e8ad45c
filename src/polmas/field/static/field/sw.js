// The site's one service worker, at /sw.js with scope / (VERSION and ASSETS are written
// above by the server): the field app's offline files, and the officers' push notifications.
// The field app's part:
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

// Push notifications: shows the notifications the server pushes (access/notify.py) and
// opens their page when tapped. A push carries a title, a line and a link, nothing more.
self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  const title = data.title || "Polmas";
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || "", tag: data.url || undefined, data: { url: data.url || "/kerja/" },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || "/kerja/", self.location.origin);
  if (url.origin !== self.location.origin) return;
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
    for (const w of windows) { if (w.url === url.href && "focus" in w) return w.focus(); }
    return self.clients.openWindow(url.href);
  }));
});
