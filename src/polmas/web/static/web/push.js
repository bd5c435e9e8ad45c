// "Turn on notifications on this device": registers /sw.js, asks permission, subscribes with
// the server's VAPID key and sends the subscription to the server.
(function () {
  const button = document.getElementById("push-enable");
  const status = document.getElementById("push-status");
  if (!button) return;
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
    status.textContent = button.dataset.unsupported;
    button.disabled = true;
    return;
  }
  function key(b64) {
    const pad = "=".repeat((4 - (b64.length % 4)) % 4);
    const raw = atob((b64 + pad).replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  }
  button.addEventListener("click", async () => {
    try {
      const registration = await navigator.serviceWorker.register("/sw.js");
      const permission = await Notification.requestPermission();
      if (permission !== "granted") { status.textContent = button.dataset.denied; return; }
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: key(button.dataset.key) });
      const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
      const answer = await fetch(button.dataset.url, {
        method: "POST", headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(subscription), credentials: "same-origin" });
      status.textContent = answer.ok ? button.dataset.done : button.dataset.failed;
      if (answer.ok) window.location.reload();
    } catch (e) {
      status.textContent = button.dataset.failed;
    }
  });
})();
