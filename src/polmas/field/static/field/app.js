// The Polmas field app: forms that work offline, an outbox in IndexedDB, and a sync that is
// safe to repeat (every record carries its UUID and the SHA-256 of its body; the server
// answers created, exists, conflict or rejected for each). Plain JavaScript, no build step.
(() => {
  "use strict";
  const B = document.body.dataset;
  const API = B.api;
  const BATCH = 100;           // records per POST /sync (the server takes up to 500)
  const CHUNK = 64 * 1024;     // photo chunk (the server takes up to 1 MB)
  const PHOTO_MAX = 200 * 1024;
  const TICK = 30000;          // the timer between syncs when all is well
  const POLICE = ["bhabinkamtibmas", "supervisor", "ppa_officer", "admin"];
  let T = {};
  let lang = localStorage.getItem("polmas-field-lang") || "id"; // Indonesian unless the user picks English or Tetum
  let syncing = null;
  let failures = 0;
  let timer = null;

  const t = (key, args) => {
    let s = T[key] || key;
    for (const [k, v] of Object.entries(args || {})) s = s.replace("%(" + k + ")s", v);
    return s;
  };

  // --- IndexedDB: the outbox, the photos, the session and each user's offline data ---------
  let opened = null;
  const db = () => opened || (opened = new Promise((ok, ko) => {
    const r = indexedDB.open("polmas-field", 1);
    r.onupgradeneeded = () => {
      r.result.createObjectStore("outbox", { keyPath: "uuid" });
      r.result.createObjectStore("kv");
      r.result.createObjectStore("photos");
    };
    r.onsuccess = () => ok(r.result);
    r.onerror = () => ko(r.error);
  }));
  const tx = async (store, mode, fn) => {
    const d = await db();
    return new Promise((ok, ko) => {
      const x = d.transaction(store, mode);
      const r = fn(x.objectStore(store));
      x.oncomplete = () => ok(r ? r.result : undefined);
      x.onerror = x.onabort = () => ko(x.error);
    });
  };
  const kvGet = (k) => tx("kv", "readonly", (s) => s.get(k));
  const kvSet = (k, v) => tx("kv", "readwrite", (s) => s.put(v, k));
  const kvDel = (k) => tx("kv", "readwrite", (s) => s.delete(k));
  const save = (item) => tx("outbox", "readwrite", (s) => s.put(item));
  const remove = (k) => tx("outbox", "readwrite", (s) => s.delete(k));
  const photoGet = (k) => tx("photos", "readonly", (s) => s.get(k));
  const photoPut = (k, blob) => tx("photos", "readwrite", (s) => s.put(blob, k));
  const photoDel = (k) => tx("photos", "readwrite", (s) => s.delete(k));
  const session = () => kvGet("session");
  const mine = async () => {
    const s = await session();
    const items = await tx("outbox", "readonly", (st) => st.getAll());
    return items.filter((i) => s && i.user === s.username).sort((a, b) => b.created - a.created);
  };

  // --- small helpers -------------------------------------------------------------------------
  const h = (tag, attrs, ...kids) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "text") el.textContent = v;
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids.flat()) if (kid !== null && kid !== undefined) el.append(kid);
    return el;
  };
  const main = document.getElementById("main");
  const show = (...kids) => { main.replaceChildren(...kids.flat().filter((k) => k !== null && k !== undefined && k !== false)); window.scrollTo(0, 0); };
  const msg = (text, bad) => h("p", { class: bad ? "msg err" : "msg", role: bad ? "alert" : "status", text });
  const canon = (v) => Array.isArray(v) ? "[" + v.map(canon).join(",") + "]"
    : v && typeof v === "object" ? "{" + Object.keys(v).sort().map((k) => JSON.stringify(k) + ":" + canon(v[k])).join(",") + "}"
      : JSON.stringify(v);
  const sha = async (data) => {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
  };
  const localInput = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);

  class AuthError extends Error {}
  class NetError extends Error {}

  // --- the API ---------------------------------------------------------------------------------
  async function call(method, path, body, headers, retried) {
    const s = await session();
    const head = Object.assign({ "Accept-Language": lang }, headers || {});
    if (s) head.Authorization = "Bearer " + s.token;
    let payload = body;
    if (body !== undefined && !(body instanceof ArrayBuffer)) {
      head["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    let r;
    try {
      r = await fetch(API + path, { method, headers: head, body: payload, cache: "no-store" });
    } catch (e) {
      throw new NetError(t("offline"));
    }
    if (r.status === 401 && s && !retried) {
      if (await refresh(s)) return call(method, path, body, headers, true);
      throw new AuthError(t("session_expired"));
    }
    return r;
  }
  async function refresh(s) {
    try {
      const r = await fetch(API + "/auth/refresh", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: s.refresh }) });
      if (!r.ok) return false;
      const j = await r.json();
      await kvSet("session", Object.assign({}, s, { token: j.token, refresh: j.refresh_token }));
      return true;
    } catch (e) {
      return false;
    }
  }
  const reasonOf = async (r) => {
    try {
      const j = await r.json();
      return j.detail || r.statusText;
    } catch (e) {
      return r.status + " " + r.statusText;
    }
  };

  // --- the outbox ------------------------------------------------------------------------------
  async function enqueue(kind, body, photo, earlier) {
    const s = await session();
    const uuid = earlier && !earlier.conflict ? earlier.uuid : crypto.randomUUID();
    body = Object.assign({}, body, { client_uuid: uuid });
    const item = { uuid, kind, body, hash: await sha(canon(body)), user: s.username, state: "waiting",
      created: earlier ? earlier.created : Date.now(), reason: "", photos: [] };
    if (earlier && earlier.uuid !== uuid) await remove(earlier.uuid);
    const kept = earlier ? earlier.photos || [] : [];
    if (photo) {
      const key = crypto.randomUUID();
      await photoPut(key, photo);
      item.photos = [{ uuid: key, size: photo.size, type: photo.type, sha256: await sha(await photo.arrayBuffer()) }];
      for (const p of kept) await photoDel(p.uuid);
    } else {
      item.photos = kept.map((p) => Object.assign({}, p, { done: false, uuid: earlier.conflict ? crypto.randomUUID() : p.uuid }));
      for (let i = 0; i < kept.length; i++) {
        if (item.photos[i].uuid !== kept[i].uuid) {
          await photoPut(item.photos[i].uuid, await photoGet(kept[i].uuid));
          await photoDel(kept[i].uuid);
        }
      }
    }
    await save(item);
    await badge();
    sync();
    return item;
  }

  async function uploadPhotos(item) {
    for (const p of item.photos || []) {
      if (p.done) continue;
      const blob = await photoGet(p.uuid);
      let r = await call("POST", "/sync/uploads", { uuid: p.uuid, size: p.size, sha256: p.sha256, content_type: p.type });
      if (r.status >= 500) throw new NetError(await reasonOf(r));
      if (!r.ok) return await reasonOf(r);
      let state = await r.json();
      while (!state.complete) {
        const buf = await blob.slice(state.received, state.received + CHUNK).arrayBuffer();
        r = await call("PUT", "/sync/uploads/" + p.uuid + "?offset=" + state.received, buf,
          { "Content-Type": "application/octet-stream", "X-Chunk-SHA256": await sha(buf) });
        if (r.status >= 500) throw new NetError(await reasonOf(r));
        if (!r.ok) return await reasonOf(r);
        state = await r.json();
      }
      p.done = true;
      await save(item);
    }
    return "";
  }

  async function apply(item, res) {
    item.reason = res.reason || "";
    item.conflict = res.status === "conflict";
    if (res.status === "created" || res.status === "exists") {
      item.state = "sent";
      item.id = res.id;
      item.sent = Date.now();
      for (const p of item.photos || []) await photoDel(p.uuid);
    } else if (res.status === "rejected" && res.retry) {
      item.state = "waiting";
      for (const p of item.photos || []) p.done = false;
    } else {
      item.state = "failed";
      if (item.conflict && !item.reason) item.reason = t("conflict");
    }
    await save(item);
  }

  function sync() {
    if (!syncing) syncing = run().finally(() => { syncing = null; });
    return syncing;
  }

  async function run() {
    clearTimeout(timer);
    let ok = true;
    try {
      const s = await session();
      if (!s) return;
      const waiting = (await mine()).filter((i) => i.state === "waiting").reverse();
      for (let at = 0; at < waiting.length; at += BATCH) {
        const ready = [];
        for (const item of waiting.slice(at, at + BATCH)) {
          const refused = await uploadPhotos(item);
          if (refused) {
            item.state = "failed";
            item.reason = refused;
            await save(item);
          } else ready.push(item);
        }
        if (!ready.length) continue;
        for (const item of ready) { item.state = "sending"; await save(item); }
        await refreshViews();
        let r;
        try {
          r = await call("POST", "/sync", { records: ready.map((i) => ({ uuid: i.uuid, kind: i.kind, hash: i.hash,
            body: i.body, attachments: (i.photos || []).map((p) => p.uuid) })) });
        } catch (e) {
          for (const item of ready) { item.state = "waiting"; await save(item); }
          throw e;
        }
        if (!r.ok) {
          const reason = await reasonOf(r);
          for (const item of ready) {
            item.state = r.status >= 500 ? "waiting" : "failed";
            item.reason = reason;
            await save(item);
          }
          if (r.status >= 500) throw new NetError(reason);
          continue;
        }
        const byId = new Map(ready.map((i) => [i.uuid, i]));
        for (const res of (await r.json()).results) if (byId.has(res.uuid)) await apply(byId.get(res.uuid), res);
      }
    } catch (e) {
      ok = false;
      if (e instanceof AuthError) await kvSet("expired", true);
    } finally {
      failures = ok ? 0 : failures + 1;
      const delay = ok ? TICK : Math.min(5000 * 2 ** Math.min(failures, 7), 600000);
      timer = setTimeout(sync, delay);
      await refreshViews();
    }
  }

  async function badge() {
    const items = await mine();
    const n = items.filter((i) => i.state !== "sent").length;
    const el = document.getElementById("badge");
    el.textContent = String(n);
    el.title = t("n_waiting", { n });
    document.getElementById("outbox-label").textContent = t("outbox");
    const net = document.getElementById("net");
    net.textContent = navigator.onLine ? t("online") : t("offline").split(":")[0];
    net.className = navigator.onLine ? "net" : "net off";
  }

  async function refreshViews() {
    await badge();
    if ((location.hash || "#home") === "#outbox") await outboxView();
  }

  // --- views -----------------------------------------------------------------------------------
  async function loginView(note) {
    const user = h("input", { name: "username", autocomplete: "username", required: true });
    const pass = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true });
    const out = h("div");
    const form = h("form", { onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        const r = await fetch(API + "/auth/token", { method: "POST", headers: { "Content-Type": "application/json",
          "Accept-Language": lang }, body: JSON.stringify({ username: user.value, password: pass.value, name: "Polmas field app" }) });
        if (!r.ok) { out.replaceChildren(msg(t("login_failed"), true)); return; }
        const j = await r.json();
        await kvSet("session", { username: user.value, token: j.token, refresh: j.refresh_token });
        await kvDel("expired");
        await loadSnapshot();
        location.hash = "#home";
        route();
        sync();
      } catch (e) {
        out.replaceChildren(msg(t("login_offline"), true));
      }
    } },
    h("label", {}, t("username"), user), h("label", {}, t("password"), pass),
    h("button", { type: "submit", text: t("login") }));
    show(h("h1", { text: t("app_name") }), note ? msg(note, true) : null, out, form, languagePicker());
  }

  function languagePicker() {
    const sel = h("select", { name: "language", onchange: async () => {
      lang = sel.value;
      localStorage.setItem("polmas-field-lang", lang);
      await loadStrings();
      if (await session()) await loadSnapshot(); // the questionnaire's labels in that language (online)
      route();
    } }, h("option", { value: "id", selected: lang === "id", text: "Bahasa Indonesia" }),
    h("option", { value: "en", selected: lang === "en", text: "English" }),
    h("option", { value: "tet", selected: lang === "tet", text: "Tetun" }));
    return h("label", {}, t("language"), sel);
  }

  async function loadSnapshot() {
    const s = await session();
    try {
      const r = await call("GET", "/sync/snapshot");
      if (r.ok) await kvSet("snapshot:" + s.username, await r.json());
    } catch (e) { /* offline: keep what we have */ }
  }
  const snapshot = async () => (await kvGet("snapshot:" + (await session()).username)) || {};

  // A partner's staff and nothing else: no officer's sections (villages of posts, forums,
  // cases, roster check-ins), only their programmes and partner activities.
  const isPartnerOnly = (roles) => roles.length > 0 && roles.every((r) => r === "partner");

  async function homeView() {
    const snap = await snapshot();
    const roles = snap.roles || [];
    const police = roles.some((r) => POLICE.includes(r));
    const partnerOnly = isPartnerOnly(roles);
    const links = [];
    if (police) links.push(["activity", "#activity"], ["report", "#report"], ["case_note", "#case_note"]);
    if (roles.includes("fkpm_member") || police) links.push(["meeting", "#meeting"]);
    if (roles.includes("enumerator")) links.push(["interview", "#interview"]);
    if (roles.includes("partner")) links.push(["partner_activity", "#partner_activity"]);
    if (!partnerOnly) links.push(["checkin", "#checkin"]);
    links.push(["outbox", "#outbox"]);
    const list = (title, rows, id, open) => h("details", { class: "card", id, open }, h("summary", { text: title }),
      rows.length ? h("ul", { class: "plain" }, rows) : h("p", { class: "muted", text: t("no_data") }));
    show(h("h1", { text: t("app_name") + (snap.username ? " · " + snap.username : "") }),
      h("nav", { class: "menu" }, links.map(([k, href]) => h("a", { href, text: t(k) }))),
      roles.includes("partner") ? list(t("my_programmes"), (snap.programmes || []).map((p) => h("li", {},
        h("strong", { text: p.name }), " ", h("span", { class: "muted", text: p.starts_on + " – " + p.ends_on }),
        h("p", { class: "muted", text: p.villages.map((v) => v.name).join(", ") }))), "my-programmes", true) : null,
      partnerOnly ? null : [
        list(t("my_villages"), (snap.villages || []).map((v) => h("li", { text: v.name + " (" + v.code + ")" }))),
        list(t("my_forums"), (snap.forums || []).map((f) => h("li", { text: f.name + " (" + f.village + ")" }))),
        list(t("my_cases"), (snap.cases || []).map((c) => h("li", {}, h("strong", { text: c.title + " · " + c.village_name }),
          h("ul", {}, c.actions.map((a) => h("li", { text: a.due + ": " + a.description + " (" + a.owner + ")" }))))))],
      snap.at ? h("p", { class: "muted", text: t("last_sync", { at: new Date(snap.at).toLocaleString() }) }) : null,
      h("div", { class: "menu" },
        h("button", { class: "secondary", type: "button", onclick: async () => { await loadSnapshot(); homeView(); }, text: t("refresh") }),
        languagePicker(),
        h("button", { class: "danger", type: "button", id: "logout", onclick: logout, text: t("logout") })));
  }

  async function outboxView(note) {
    const items = await mine();
    const snap = (await session()) ? await snapshot() : {};
    const names = new Map((snap.interviews || []).flatMap((w) => w.villages.map((v) => [w.sample + "|" + v.code,
      v.name + " (" + v.code + ") · " + w.wave])));
    const cards = items.map((i) => h("div", { class: "card", "data-uuid": i.uuid, "data-state": i.state },
      h("span", { class: "state " + i.state, text: t(i.state) }), " ",
      h("strong", { text: t(i.kind) }), " ",
      h("span", { class: "muted", text: i.kind === "interview" ? names.get(i.body.sample + "|" + i.body.village) || i.body.village : summary(i) }),
      i.reason ? h("p", { class: "reason", text: i.reason }) : null,
      i.state === "failed" ? h("div", { class: "row" },
        h("button", { type: "button", class: "fix", onclick: () => form(i.kind, i), text: t("fix") }),
        h("button", { type: "button", class: "secondary", onclick: async () => {
          if (!confirm(t("discard_confirm"))) return;
          for (const p of i.photos || []) await photoDel(p.uuid);
          await remove(i.uuid);
          refreshViews();
        }, text: t("discard") })) : null));
    const expired = await kvGet("expired");
    show(h("h1", { text: t("outbox") }),
      note ? msg(note) : null,
      expired ? msg(t("session_expired"), true) : null,
      expired ? h("a", { class: "btn secondary", href: "#login", text: t("login") }) : null,
      h("p", { class: "muted", text: t("n_waiting", { n: items.filter((i) => i.state !== "sent").length }) }),
      h("button", { type: "button", id: "send-now", onclick: () => { failures = 0; sync(); }, text: t("send_now") }),
      cards);
  }

  function summary(i) {
    const b = i.body;
    return [b.village, b.occurred_at || b.held_at || b.occurred_on, b.description || b.agenda || b.note || b.summary || b.issues_heard]
      .filter(Boolean).join(" · ").slice(0, 120);
  }

  async function logout() {
    const items = await mine();
    if (items.some((i) => i.state !== "sent")) {
      show(msg(t("logout_waiting"), true),
        h("button", { type: "button", id: "send-now", onclick: () => { failures = 0; sync(); location.hash = "#outbox"; }, text: t("send_now") }),
        h("a", { class: "btn secondary", href: "#outbox", text: t("outbox") }));
      return;
    }
    const s = await session();
    try { await call("POST", "/auth/revoke", {}); } catch (e) { /* offline: the token expires by itself */ }
    for (const i of items) { for (const p of i.photos || []) await photoDel(p.uuid); await remove(i.uuid); }
    await kvDel("snapshot:" + s.username);
    await kvDel("session");
    await kvDel("expired");
    location.hash = "#login";
    loginView();
    main.prepend(msg(t("logout_done")));
  }

  // --- forms -----------------------------------------------------------------------------------
  const field = (name, label, input) => { input.name = name; return h("label", { "data-field": name }, t(label), input); };
  const select = (options, value) => h("select", {}, options.map(([v, text]) => h("option", { value: v, text, selected: String(v) === String(value ?? "") })));
  const text = (value, type) => h("input", { type: type || "text", value: value ?? "" });
  const area = (value) => { const a = h("textarea"); a.value = value ?? ""; return a; };
  const when = (iso) => text(localInput(iso ? new Date(iso) : new Date()), "datetime-local");

  async function shrink(file) {
    const bmp = await createImageBitmap(file);
    let scale = Math.min(1, 1280 / Math.max(bmp.width, bmp.height));
    let quality = 0.8;
    for (let i = 0; i < 10; i++) {
      const c = h("canvas", { width: Math.max(1, Math.round(bmp.width * scale)), height: Math.max(1, Math.round(bmp.height * scale)) });
      c.getContext("2d").drawImage(bmp, 0, 0, c.width, c.height);
      const blob = await new Promise((ok) => c.toBlob(ok, "image/jpeg", quality));
      if (blob && blob.size <= PHOTO_MAX) return blob;
      if (quality > 0.5) quality -= 0.15; else scale *= 0.75;
    }
    throw new Error(t("photo_too_big"));
  }

  function extras(parts) {
    // GPS and photo, for the kinds that carry them.
    const lat = h("input", { type: "hidden", name: "latitude" });
    const lon = h("input", { type: "hidden", name: "longitude" });
    const where = h("span", { class: "muted" });
    const preview = h("div");
    let photo = null;
    const gps = h("button", { type: "button", class: "secondary", text: t("use_gps"), onclick: () => {
      navigator.geolocation.getCurrentPosition((p) => {
        lat.value = p.coords.latitude.toFixed(6);
        lon.value = p.coords.longitude.toFixed(6);
        where.textContent = lat.value + ", " + lon.value;
      }, () => { where.textContent = t("gps_failed"); }, { enableHighAccuracy: true, timeout: 20000 });
    } });
    const file = h("input", { type: "file", accept: "image/*", capture: "environment", name: "photo", onchange: async () => {
      preview.replaceChildren();
      if (!file.files[0]) return;
      try {
        photo = await shrink(file.files[0]);
        const url = await new Promise((ok) => { const fr = new FileReader(); fr.onload = () => ok(fr.result); fr.readAsDataURL(photo); });
        preview.append(h("img", { class: "preview", src: url, alt: "" }), h("p", { class: "muted", text: Math.round(photo.size / 1024) + " KB" }));
      } catch (e) {
        photo = null;
        preview.append(msg(e.message, true));
      }
    } });
    if (parts.body.latitude != null) { lat.value = parts.body.latitude; lon.value = parts.body.longitude; where.textContent = lat.value + ", " + lon.value; }
    return { nodes: [h("label", {}, t("location"), gps, where), lat, lon, h("label", {}, t("photo"), file), preview],
      read: (body) => { if (lat.value) { body.latitude = Number(lat.value); body.longitude = Number(lon.value); } return photo; } };
  }

  async function form(kind, earlier) {
    if (kind === "interview") return interviewView(earlier);
    if (kind === "partner_activity") return partnerView(earlier);
    if (location.hash !== "#" + kind) history.replaceState(null, "", "#" + kind); // no hashchange: no second render
    const snap = await snapshot();
    const b = earlier ? earlier.body : {};
    const villages = (snap.villages || []).map((v) => [v.code, v.name]);
    const villageInput = villages.length ? select(villages, b.village) : text(b.village);
    let inputs;
    let extra = null;
    let build;
    if (kind === "activity") {
      const kinds = ["visit", "detection", "patrol", "outreach", "coordination"].map((k) => [k, t("kind_" + k)]);
      inputs = [field("kind", "kind", select(kinds, b.kind)), field("village", "village", villageInput),
        field("occurred_at", "when", when(b.occurred_at)), field("households", "households", text(b.households, "number")),
        field("issues_heard", "issues_heard", area(b.issues_heard)), field("topic", "topic", text(b.topic)),
        field("audience", "audience", text(b.audience, "number")), field("summary", "summary", area(b.summary))];
      extra = extras({ body: b });
      build = (v) => {
        const body = { kind: v.kind, village: v.village, occurred_at: new Date(v.occurred_at).toISOString(),
          issues_heard: v.issues_heard, summary: v.summary };
        if (v.kind === "visit") body.households = Number(v.households) || null;
        if (v.kind === "outreach") { body.topic = v.topic; body.audience = Number(v.audience) || null; }
        return body;
      };
    } else if (kind === "report") {
      inputs = [field("category", "category", select((snap.categories || []).map((c) => [c.code, c.name]), b.category)),
        field("description", "description", area(b.description)), field("village", "village", villageInput),
        field("occurred_at", "when", when(b.occurred_at)),
        h("label", { class: "check" }, h("input", { type: "checkbox", name: "anonymous", checked: b.anonymous !== false }), t("anonymous")),
        field("name", "name", text(b.name)), field("phone", "phone", text(b.phone, "tel"))];
      extra = extras({ body: b });
      build = (v, f) => ({ category: v.category, description: v.description, village: v.village,
        occurred_at: new Date(v.occurred_at).toISOString(), anonymous: f.elements.anonymous.checked,
        name: f.elements.anonymous.checked ? "" : v.name, phone: v.phone });
    } else if (kind === "meeting") {
      const forums = snap.forums || [];
      const forumSel = select(forums.map((f) => [f.id, f.name]), b.forum_id);
      const present = h("fieldset", { class: "card" }, h("legend", { text: t("present") }));
      const members = () => {
        const f = forums.find((x) => String(x.id) === forumSel.value) || { members: [] };
        const was = (b.attendance || {}).present || [];
        present.replaceChildren(h("legend", { text: t("present") }), ...f.members.map((m) => h("label", { class: "check" },
          h("input", { type: "checkbox", name: "present", value: m.id, checked: was.includes(m.id) }), m.name)));
      };
      forumSel.addEventListener("change", members);
      members();
      inputs = [field("forum_id", "forum", forumSel), field("held_at", "when", when(b.held_at)),
        field("agenda", "agenda", area(b.agenda)), field("place", "place", text(b.place)),
        field("minutes", "minutes", area(b.minutes)), present,
        h("div", { class: "row" }, field("others_men", "others_men", text((b.attendance || {}).others_men || 0, "number")),
          field("others_women", "others_women", text((b.attendance || {}).others_women || 0, "number"))),
        field("decisions", "decisions", area((b.decisions || []).join("\n"))),
        field("issues", "issues", area((b.issues || []).map((i) => i.text).join("\n")))];
      const lines = (s) => s.split("\n").map((x) => x.trim()).filter(Boolean);
      build = (v, f) => ({ forum_id: Number(v.forum_id), held_at: new Date(v.held_at).toISOString(), agenda: v.agenda,
        place: v.place, status: "held", minutes: v.minutes,
        attendance: { present: Array.from(f.querySelectorAll("input[name=present]:checked"), (x) => Number(x.value)),
          others_men: Number(v.others_men) || 0, others_women: Number(v.others_women) || 0 },
        decisions: lines(v.decisions), issues: lines(v.issues).map((x) => ({ text: x })) });
    } else if (kind === "case_note") {
      const cases = (snap.cases || []).map((c) => [c.id, c.title + " · " + c.village_name]);
      const which = select([["note", t("note")], ["action", t("action")]], b.description ? "action" : "note");
      const owners = ["officer", "fkpm_member", "partner", "village_government"].map((k) => [k, t("owner_" + k)]);
      inputs = [field("case_id", "case", select(cases, b.case_id)), field("what", "kind", which),
        field("note", "note", area(b.note)), field("description", "action", area(b.description)),
        field("owner_kind", "owner_kind", select(owners, b.owner_kind)), field("owner_name", "owner_name", text(b.owner_name)),
        field("due", "due", text(b.due, "date"))];
      build = (v) => v.what === "note" ? { case_id: Number(v.case_id), note: v.note }
        : { case_id: Number(v.case_id), description: v.description, owner_kind: v.owner_kind, owner_name: v.owner_name, due: v.due || null };
    } else {
      return checkinView();
    }
    const out = h("div");
    const f = h("form", { onsubmit: async (ev) => {
      ev.preventDefault();
      const values = Object.fromEntries(new FormData(f).entries());
      const body = build(values, f);
      const photo = extra ? extra.read(body) : null;
      await enqueue(kind, body, photo, earlier);
      location.hash = "#outbox";
      await outboxView(t("saved"));
    } }, inputs, extra ? extra.nodes : [], h("button", { type: "submit", text: t("save") }),
    h("a", { class: "btn secondary", href: "#home", text: t("cancel") }));
    show(h("h1", { text: t(kind) }), earlier && earlier.reason ? msg(earlier.reason, true) : null, out, f);
  }

  // --- partner activities (a partner's staff) ----------------------------------------------------
  // In a village of one of their organisation's programmes, within its period (the server checks
  // both again: a village outside the programme's places is refused as "not found").
  async function partnerView(earlier) {
    if (location.hash !== "#partner_activity") history.replaceState(null, "", "#partner_activity");
    const snap = await snapshot();
    const programmes = snap.programmes || [];
    if (!programmes.length) {
      return show(h("h1", { text: t("partner_activity") }), h("p", { class: "muted", id: "no-programmes", text: t("no_programmes") }),
        h("a", { class: "btn secondary", href: "#home", text: t("cancel") }));
    }
    const b = earlier ? earlier.body : {};
    const today = localInput(new Date()).slice(0, 10);
    const programmeSel = select(programmes.map((p) => [p.id, p.name]), b.programme_id);
    const villageSel = h("select");
    const day = h("input", { type: "date", required: true, value: b.occurred_on || today });
    const period = h("p", { class: "muted", id: "programme-period" });
    const fill = () => {
      const p = programmes.find((x) => String(x.id) === programmeSel.value) || programmes[0];
      villageSel.replaceChildren(...p.villages.map((v) => h("option", { value: v.code, text: v.name + " (" + v.code + ")",
        selected: v.code === b.village })));
      day.min = p.starts_on;
      day.max = p.ends_on < today ? p.ends_on : today;
      period.textContent = t("programme_period", { start: p.starts_on, end: p.ends_on });
    };
    programmeSel.addEventListener("change", fill);
    const kinds = (snap.partner_kinds || []).map((k) => [k.code, k.name]);
    const count = h("input", { type: "number", inputmode: "numeric", min: "0", max: "100000", step: "1", required: true,
      value: b.participants ?? 0 });
    const summaryArea = area(b.summary);
    summaryArea.required = true;
    summaryArea.maxLength = 2000;
    const f = h("form", { id: "partner-form", onsubmit: async (ev) => {
      ev.preventDefault();
      const v = Object.fromEntries(new FormData(f).entries());
      await enqueue("partner_activity", { programme_id: Number(v.programme_id), village: v.village, kind: v.kind,
        occurred_on: v.occurred_on, participants: Number(v.participants) || 0, summary: v.summary }, null, earlier);
      location.hash = "#outbox";
      await outboxView(t("saved"));
    } },
    field("programme_id", "programme", programmeSel), period, field("village", "village", villageSel),
    field("kind", "kind", select(kinds, b.kind)), field("occurred_on", "date", day),
    field("participants", "participants", count), field("summary", "partner_summary", summaryArea),
    h("button", { type: "submit", text: t("save") }), h("a", { class: "btn secondary", href: "#home", text: t("cancel") }));
    show(h("h1", { text: t("partner_activity") }), earlier && earlier.reason ? msg(earlier.reason, true) : null, f);
    fill();
  }

  // --- survey interviews (enumerators) ---------------------------------------------------------
  // Skip logic as the server evaluates it (surveys/answers.py): `${item} = 'v'` or `!=`, joined
  // by `and` / `or`, against the earlier answers that count; any other expression counts as
  // asked but not required. Ranges from the constraint `. >= a and . <= b`.
  const TERM = /^\$\{([A-Za-z0-9_.-]+)\}\s*(=|!=)\s*'([^']*)'$/;
  function relevant(expr, answers) {
    expr = (expr || "").trim();
    if (!expr) return true;
    if (expr.includes(" or ")) {
      const parts = expr.split(" or ").map((p) => relevant(p, answers));
      return parts.includes(null) ? null : parts.some(Boolean);
    }
    let all = true;
    for (const part of expr.split(" and ")) {
      const m = TERM.exec(part.trim());
      if (!m) return null;
      if ((answers[m[1]] === m[3]) !== (m[2] === "=")) all = false;
    }
    return all;
  }
  const bounds = (c) => {
    const lo = /\.\s*>=\s*(-?\d+)/.exec(c || ""), hi = /\.\s*<=\s*(-?\d+)/.exec(c || "");
    return [lo ? Number(lo[1]) : null, hi ? Number(hi[1]) : null];
  };
  function check(it, value) {
    if (it.kind === "select_one") return (it.choices || []).some((c) => c.value === value) ? "" : t("q_required");
    if (it.kind === "integer") {
      if (!/^-?\d{1,9}$/.test(value)) return t("q_whole");
      const [low, high] = bounds(it.constraint);
      const n = Number(value);
      if ((low !== null && n < low) || (high !== null && n > high)) {
        return low !== null && high !== null ? t("q_range", { low, high }) : low !== null ? t("q_min", { low }) : t("q_max", { high });
      }
    }
    if (it.kind === "text" && value.length > 500) return t("q_text_long");
    return "";
  }
  // The answers that count ({name: value}), the refusals ({name: reason}) and what is asked.
  function evaluate(items, read) {
    const clean = {}, errors = {}, asked = {};
    for (const it of items) {
      const on = relevant(it.relevant, clean);
      asked[it.name] = on !== false;
      if (it.kind === "note" || on === false) continue;
      const value = read(it.name);
      if (!value) { if (it.required && on) errors[it.name] = t("q_required"); continue; }
      const bad = check(it, value);
      if (bad) errors[it.name] = bad; else clean[it.name] = value;
    }
    return { clean, errors, asked };
  }

  function question(it, value) {
    const err = h("p", { class: "q-err", role: "alert", hidden: true });
    const title = it.label + (it.required ? " *" : "");
    let read;
    let node;
    if (it.kind === "select_one") {
      const short = (it.choices || []).every((c) => c.label.length <= 3);
      const radios = (it.choices || []).map((c) => h("input", { type: "radio", name: "q-" + it.name, value: c.value,
        checked: String(value ?? "") === c.value }));
      node = h("fieldset", { class: "card q", "data-q": it.name }, h("legend", { text: title }),
        h("div", { class: short ? "choices inline" : "choices" },
          radios.map((r, i) => h("label", { class: "check" }, r, it.choices[i].label))), err);
      read = () => { const r = radios.find((x) => x.checked); return r ? r.value : ""; };
    } else if (it.kind === "note") {
      node = h("div", { class: "card q note", "data-q": it.name }, h("p", { text: it.label }));
      read = () => "";
    } else {
      const [low, high] = bounds(it.constraint);
      const input = it.kind === "integer"
        ? h("input", { type: "number", inputmode: "numeric", step: "1", min: low, max: high, name: "q-" + it.name })
        : h("input", { type: "text", maxlength: "500", name: "q-" + it.name });
      input.value = value ?? "";
      node = h("div", { class: "card q", "data-q": it.name }, h("label", {}, title, input), err);
      read = () => input.value.trim();
    }
    return { node, read, err };
  }

  async function interviewView(earlier) {
    if (location.hash !== "#interview") history.replaceState(null, "", "#interview");
    const snap = await snapshot();
    const waves = snap.interviews || [];
    if (!waves.length) {
      return show(h("h1", { text: t("interview") }), h("p", { class: "muted", id: "no-assignments", text: t("no_assignments") }),
        h("a", { class: "btn secondary", href: "#home", text: t("cancel") }));
    }
    const b = earlier ? earlier.body : {};
    const here = (await mine()).filter((i) => i.kind === "interview");
    const options = [];
    for (const w of waves) for (const v of w.villages) options.push([w.sample + "|" + v.code, v.name + " (" + v.code + ") · " + w.wave]);
    const where = select(options, b.sample ? b.sample + "|" + b.village : undefined);
    const progress = h("p", { class: "muted", id: "interview-progress" });
    const top = h("div");
    const questions = h("div", { class: "questions" });
    const consentBox = h("input", { type: "checkbox", name: "consent" });
    let wave = null;
    let rows = {};
    let tried = false;
    const update = () => {
      const r = evaluate(wave.items, (name) => rows[name] ? rows[name].read() : "");
      for (const it of wave.items) {
        const row = rows[it.name];
        row.node.hidden = !r.asked[it.name];
        const reason = tried ? r.errors[it.name] || "" : "";
        row.err.textContent = reason;
        row.err.hidden = !reason;
        row.node.classList.toggle("bad", Boolean(reason));
      }
      if (tried && !Object.keys(r.errors).length) top.replaceChildren();
      return r;
    };
    const render = (answers) => {
      const [sample, code] = where.value.split("|");
      wave = waves.find((w) => String(w.sample) === sample);
      const village = wave.villages.find((v) => v.code === code) || { planned: 0 };
      progress.textContent = t("interviews_done", { n: here.filter((i) => String(i.body.sample) === sample && i.body.village === code).length,
        planned: village.planned });
      rows = {};
      tried = false;
      top.replaceChildren();
      const nodes = wave.items.map((it) => { rows[it.name] = question(it, (answers || {})[it.name]); return rows[it.name].node; });
      const asksConsent = wave.items.some((i) => i.name === "consent");
      consentBox.checked = Boolean(earlier && b.consent);
      questions.replaceChildren(h("h2", { text: wave.title }),
        ...(asksConsent ? [] : [h("label", { class: "check card" }, consentBox, t("consent_given"))]), ...nodes);
      update();
    };
    where.addEventListener("change", () => render({}));
    const f = h("form", { novalidate: true, id: "interview-form", onchange: () => update(), oninput: () => { if (tried) update(); },
      onsubmit: async (ev) => {
        ev.preventDefault();
        tried = true;
        const r = update();
        const bad = wave.items.filter((it) => r.errors[it.name]);
        if (bad.length) {
          top.replaceChildren(msg(t("q_errors"), true));
          rows[bad[0].name].node.scrollIntoView({ block: "center" });
          return;
        }
        const consent = wave.items.some((i) => i.name === "consent") ? r.clean.consent === "yes" : consentBox.checked;
        if (!consent) { top.replaceChildren(msg(t("consent_needed"), true)); window.scrollTo(0, 0); return; }
        const [sample, code] = where.value.split("|");
        await enqueue("interview", { sample: Number(sample), village: code, consent: true, answers: r.clean }, null, earlier);
        location.hash = "#outbox";
        await outboxView(t("saved"));
      } },
    field("village", "interview_village", where), progress, top, questions,
    h("button", { type: "submit", text: t("save") }), h("a", { class: "btn secondary", href: "#home", text: t("cancel") }));
    show(h("h1", { text: t("interview") }), earlier && earlier.reason ? msg(earlier.reason, true) : null, f);
    render(b.answers || {});
  }

  async function checkinView() {
    const snap = await snapshot();
    const queued = new Set((await mine()).filter((i) => i.kind === "checkin").map((i) => i.body.place));
    const places = snap.places || [];
    show(h("h1", { text: t("checkin") }),
      places.length ? places.map((p) => h("div", { class: "card" },
        h("strong", { text: p.volunteer }), " ", h("span", { class: "muted", text: p.roster + " · " + p.post + " · " + p.night }),
        p.checked_in || queued.has(p.id) ? h("p", { text: t("checked_in") })
          : h("button", { type: "button", text: t("check_in"), onclick: async () => {
            await enqueue("checkin", { roster_id: p.roster_id, place: p.id });
            checkinView();
          } }))) : h("p", { class: "muted", text: t("no_places") }));
  }

  // --- start ------------------------------------------------------------------------------------
  async function route() {
    await badge();
    if (!(await session())) return loginView(await kvGet("expired") ? t("session_expired") : "");
    const where = (location.hash || "#home").slice(1);
    if (where === "outbox") return outboxView();
    if (["activity", "report", "meeting", "case_note"].includes(where)) {
      return isPartnerOnly((await snapshot()).roles || []) ? homeView() : form(where);
    }
    if (where === "partner_activity") return ((await snapshot()).roles || []).includes("partner") ? partnerView() : homeView();
    if (where === "checkin") return isPartnerOnly((await snapshot()).roles || []) ? homeView() : checkinView();
    if (where === "interview") return ((await snapshot()).roles || []).includes("enumerator") ? interviewView() : homeView();
    if (where === "login") return loginView();
    return homeView();
  }

  async function loadStrings() {
    try {
      const r = await fetch(B.strings.replace("LANG", lang));
      T = await r.json();
    } catch (e) { T = {}; }
    document.documentElement.lang = lang;
  }

  async function start() {
    await loadStrings();
    if ("serviceWorker" in navigator) navigator.serviceWorker.register(B.sw, { scope: "/" }).catch(() => {});
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
    // A page killed while sending: those records go again (the server answers `exists`).
    // Sent records are shown for 30 days, then forgotten; unsent ones are never dropped.
    for (const i of await mine()) {
      if (i.state === "sending") { i.state = "waiting"; await save(i); }
      if (i.state === "sent" && i.sent < Date.now() - 30 * 86400000) await remove(i.uuid);
    }
    window.addEventListener("hashchange", route);
    window.addEventListener("online", () => { failures = 0; badge(); sync(); });
    window.addEventListener("offline", badge);
    document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") sync(); });
    await route();
    if (await session()) { loadSnapshot(); sync(); }
    window.polmasField = { sync, mine, ready: true };
  }
  start();
})();
