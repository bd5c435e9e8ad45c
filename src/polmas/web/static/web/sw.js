// Polmas service worker: shows the notifications the server pushes (access/notify.py) and
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
