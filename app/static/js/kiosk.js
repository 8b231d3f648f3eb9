/* The kiosk's behaviour over the public pages (the frame is layouts/kiosk.html).
 *
 * - Nothing leaves the kiosk: links the server marks data-kiosk-qr (other sites, files,
 *   mail/phone) become buttons that show a QR code for the person's own phone, with the
 *   address the server gives in data-qr-url; an unmarked link to another site or outside the
 *   kiosk (added later, say) gets the same treatment; target=_blank is dropped. The server
 *   renders every page link inside the kiosk already, so no address is rewritten here.
 * - Every navigation replaces the current history entry, so the browser history never holds a
 *   person's pages; the Back button walks a trail kept in sessionStorage instead.
 * - After a while without a touch a warning asks for more time; when it runs out everything of
 *   the last person is wiped (inputs, storage, overlays, settings) and the attract screen
 *   returns, in Vietnamese.
 * - Text size and contrast, one tap each, kept until the wipe.
 * - The on-screen keyboard (kiosk-keyboard.js and simple-keyboard, about half of a page's
 *   weight) is loaded the first time a text field is touched, not with every page.
 *
 * Settings and every interface string come from data- attributes rendered by the template.
 */
(function () {
  "use strict";

  const frame = document.querySelector("[data-kiosk]");
  if (!frame) return;
  const config = frame.dataset;
  const root = document.documentElement;
  const KEY = { active: "kiosk.active", trail: "kiosk.trail", size: "kiosk.textSize",
                contrast: "kiosk.contrast", print: "kiosk.printOnArrival" };
  const TRAIL_MAX = 50;
  // The kiosk's own pages live under this path (the server says where).
  const kioskRoot = new URL(config.kioskRoot, location.href);
  const TEXT_INPUTS = "input:not([type]), input[type=text], input[type=search], " +
    "input[type=email], input[type=tel], input[type=url], input[type=number], textarea";

  const store = {
    get(key) { try { return sessionStorage.getItem(key); } catch (e) { return null; } },
    set(key, value) { try { sessionStorage.setItem(key, value); } catch (e) { /* full */ } },
    take(key) {
      const value = store.get(key);
      try { sessionStorage.removeItem(key); } catch (e) { /* nothing stored */ }
      return value;
    },
  };

  /* ---- navigation that leaves no history ------------------------------------------------- */

  function trail() {
    try { return JSON.parse(store.get(KEY.trail)) || []; } catch (e) { return []; }
  }

  function samePage(url) {
    return url.origin === location.origin && url.pathname === location.pathname &&
      url.search === location.search;
  }

  function go(href) {
    const url = new URL(href, location.href);
    if (!samePage(url)) {
      const steps = trail();
      steps.push(location.href);
      store.set(KEY.trail, JSON.stringify(steps.slice(-TRAIL_MAX)));
    }
    location.replace(url.href);
  }

  function goBack() {
    const steps = trail();
    const previous = steps.pop();
    store.set(KEY.trail, JSON.stringify(steps));
    if (previous) location.replace(previous);
  }

  /* "link", "download" or "" (a kiosk page) for where a link would take the person: what the
     server marked, else anything off this origin or outside the kiosk is a link to hand over. */
  function destination(link, url) {
    if (link && link.dataset.kioskQr) return link.dataset.kioskQr;
    if (link && link.hasAttribute("download")) return "download";
    if (url.origin !== location.origin || !url.pathname.startsWith(kioskRoot.pathname)) {
      return "link";
    }
    return "";
  }

  /* ---- links that would leave the kiosk become QR buttons -------------------------------- */

  const qrDialog = document.getElementById("kiosk-qr");

  function showQr(href, kind) {
    const url = new URL(href, location.href);
    const title = qrDialog.querySelector(".kiosk-dialog-title");
    const text = qrDialog.querySelector(".kiosk-qr-text");
    const box = qrDialog.querySelector(".kiosk-qr-code");
    const image = document.createElement("img");
    image.src = config.qrEndpoint + "?url=" + encodeURIComponent(url.href);
    image.alt = box.dataset.alt;
    image.width = image.height = 400;
    box.replaceChildren(image);
    title.textContent = title.dataset[kind];
    text.textContent = text.dataset[kind];
    qrDialog.querySelector(".kiosk-qr-address").textContent =
      url.protocol.startsWith("http") ? url.hostname : url.href.replace(/^[a-z]+:/, "");
    if (!qrDialog.open) qrDialog.showModal();
  }

  function qrButton(link, href, kind) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = (link.className + " kiosk-qr-link").trim();
    for (const name of ["id", "lang", "title", "aria-label", "aria-describedby"]) {
      if (link.hasAttribute(name)) button.setAttribute(name, link.getAttribute(name));
    }
    button.dataset.qrFor = href;
    button.dataset.qrKind = kind;
    button.append(...link.childNodes);
    const badge = document.createElement("span");
    badge.className = "kiosk-qr-badge";
    badge.textContent = config.qrBadge;
    button.append(" ", badge);
    link.replaceWith(button);
  }

  function secureLinks(scope) {
    for (const link of scope.querySelectorAll("a[href], area[href]")) {
      const url = new URL(link.href, location.href);
      const kind = destination(link, url);
      const target = link.dataset.qrUrl || url.href;
      if (kind && link.localName === "a") qrButton(link, target, kind);
      else if (kind) link.removeAttribute("href");
    }
    for (const element of scope.querySelectorAll("[target]")) element.removeAttribute("target");
  }

  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType !== Node.ELEMENT_NODE || !node.isConnected) continue;
        secureLinks(node.parentElement || node);  // the parent, so the node itself counts too
      }
    }
  }).observe(document.body, { childList: true, subtree: true });

  document.addEventListener("click", (event) => {
    const qrLink = event.target.closest("button[data-qr-for]");
    if (qrLink) {
      showQr(qrLink.dataset.qrFor, qrLink.dataset.qrKind);
      return;
    }
    const link = event.target.closest("a[href], area[href]");
    if (!link || event.defaultPrevented) return;
    event.preventDefault();
    const url = new URL(link.href, location.href);
    if (link.matches("[data-kiosk-print]")) {
      printPage(url);
      return;
    }
    const kind = destination(link, url);
    if (kind) showQr(link.dataset.qrUrl || url.href, kind);
    else go(url.href);
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    const submitter = event.submitter;
    const method = ((submitter && submitter.getAttribute("formmethod")) || form.method || "get")
      .toLowerCase();
    if (event.defaultPrevented || method === "dialog") return;
    event.preventDefault();
    const action = new URL((submitter && submitter.formAction) || form.action, location.href);
    if (destination(null, action)) return;
    const data = new FormData(form, submitter || undefined);
    if (method !== "post") {
      action.search = new URLSearchParams(data).toString();
      go(action.href);
      return;
    }
    // A POST would add a history entry: send it in the background, then show where the
    // server redirects to (post/redirect/get) in place of this page, at the form's section.
    const section = form.closest("section[id]") || form;
    fetch(action.href, { method: "POST", body: data, credentials: "same-origin" })
      .then((response) => {
        const landing = new URL(response.redirected ? response.url : location.href);
        if (section.id) landing.hash = section.id;
        go(landing.href);
      })
      .catch(() => { go(location.href); });
  });

  /* The checklist is a page of its own: open it, then print it once it has loaded. */
  function printPage(url) {
    if (samePage(url)) {
      window.print();
      return;
    }
    store.set(KEY.print, url.pathname);
    go(url.href);
  }

  /* ---- text size and contrast ------------------------------------------------------------ */

  function applySettings() {
    const size = Number(store.get(KEY.size)) || 0;
    const contrast = store.get(KEY.contrast) === "1";
    root.classList.toggle("kiosk-text-1", size === 1);
    root.classList.toggle("kiosk-text-2", size === 2);
    root.classList.toggle("kiosk-contrast", contrast);
    for (const button of frame.querySelectorAll("[data-kiosk-size]")) {
      button.setAttribute("aria-pressed", String(Number(button.dataset.kioskSize) === size));
    }
    const toggle = frame.querySelector("[data-kiosk-contrast]");
    if (toggle) toggle.setAttribute("aria-pressed", String(contrast));
  }

  /* ---- idle warning and the wipe --------------------------------------------------------- */

  const attract = document.getElementById("kiosk-attract");
  const idleDialog = document.getElementById("kiosk-idle");
  const countdown = document.getElementById("kiosk-idle-countdown");
  const idleMs = Math.max(1, Number(config.idleSeconds) || 90) * 1000;
  const warningMs = Math.max(1, Number(config.warningSeconds) || 20) * 1000;
  let idleTimer = 0;
  let countdownTimer = 0;
  let deadline = 0;

  function armIdle() {
    clearTimeout(idleTimer);
    if (attract && attract.open) return;
    idleTimer = setTimeout(warn, idleMs);
  }

  function showCountdown() {
    const seconds = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    countdown.textContent = countdown.dataset.template.replace("{seconds}", seconds);
    if (seconds === 0) startOver();
  }

  function warn() {
    deadline = Date.now() + warningMs;
    showCountdown();
    idleDialog.showModal();
    countdownTimer = setInterval(showCountdown, 250);
  }

  function keepGoing() {
    clearInterval(countdownTimer);
    idleDialog.close();
    armIdle();
  }

  const KEPT_FIELDS = ["hidden", "submit", "button", "reset", "image"];

  function clearFields() {
    for (const field of document.querySelectorAll("input, textarea, select")) {
      if (field.type === "checkbox" || field.type === "radio") field.checked = false;
      else if (field.localName === "select") field.selectedIndex = 0;
      else if (!KEPT_FIELDS.includes(field.type)) field.value = "";
    }
  }

  /* Forget the last person entirely, then show the attract screen (the server forgets its side). */
  function startOver() {
    clearTimeout(idleTimer);
    clearInterval(countdownTimer);
    document.dispatchEvent(new CustomEvent("kiosk:startover"));  // the keyboard forgets too
    clearFields();
    for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
    try { sessionStorage.clear(); localStorage.clear(); } catch (e) { /* nothing stored */ }
    applySettings();
    window.scrollTo(0, 0);
    location.replace(config.startOverUrl);
  }

  for (const type of ["pointerdown", "keydown", "input", "wheel"]) {
    document.addEventListener(type, () => { if (!idleDialog.open) armIdle(); },
                              { capture: true, passive: true });
  }

  /* ---- the on-screen keyboard, loaded when a text field is first touched ---------------- */

  const keyboardPanel = document.getElementById("kiosk-keyboard");
  let keyboardRequested = false;

  /* No system keyboard, and nothing typed is remembered by the browser for the next person. */
  function prepareInput(input) {
    if (input.type === "number" || input.inputMode === "numeric") input.dataset.kioskNumeric = "";
    input.inputMode = "none";
    input.autocomplete = "off";
    input.spellcheck = false;
    if (input.form) input.form.autocomplete = "off";
  }

  function addScript(src) {
    const script = document.createElement("script");
    script.src = src;
    script.async = false;  // in the listed order: simple-keyboard, then kiosk-keyboard.js
    document.head.append(script);
  }

  /* The keyboard's styles first (its height is measured when it opens), then its scripts;
     kiosk-keyboard.js opens itself for the field that has the focus by then. */
  function loadKeyboard() {
    if (keyboardRequested || !keyboardPanel) return;
    keyboardRequested = true;
    const styles = document.createElement("link");
    styles.rel = "stylesheet";
    styles.href = keyboardPanel.dataset.styles;
    const scripts = () => keyboardPanel.dataset.scripts.split(" ").forEach(addScript);
    styles.addEventListener("load", scripts, { once: true });
    styles.addEventListener("error", scripts, { once: true });
    document.head.append(styles);
  }

  document.addEventListener("focusin", (event) => {
    if (!event.target.matches(TEXT_INPUTS)) return;
    prepareInput(event.target);
    loadKeyboard();
  });

  /* ---- the frame's buttons, the attract screen, start-up -------------------------------- */

  document.addEventListener("contextmenu", (event) => event.preventDefault());
  document.addEventListener("dragstart", (event) => event.preventDefault());

  const ACTIONS = {
    kioskBack: goBack,
    kioskContinue: keepGoing,
    kioskClose: () => qrDialog.close(),
    kioskSize: (button) => { store.set(KEY.size, button.dataset.kioskSize); applySettings(); },
    kioskContrast: () => {
      store.set(KEY.contrast, store.get(KEY.contrast) === "1" ? "0" : "1");
      applySettings();
    },
    kioskStart: () => { store.set(KEY.active, "1"); attract.close(); armIdle(); },
  };

  frame.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    const action = button && Object.keys(ACTIONS).find((name) => name in button.dataset);
    if (action) ACTIONS[action](button);
  });

  qrDialog.addEventListener("click", (event) => {
    if (event.target === qrDialog) qrDialog.close();  // a tap on the backdrop
  });
  idleDialog.addEventListener("cancel", (event) => { event.preventDefault(); keepGoing(); });
  if (attract) attract.addEventListener("cancel", (event) => event.preventDefault());

  applySettings();
  secureLinks(document);
  for (const input of document.querySelectorAll(TEXT_INPUTS)) prepareInput(input);
  const back = frame.querySelector("[data-kiosk-back]");
  if (back) back.disabled = trail().length === 0;
  if (attract && !store.get(KEY.active)) attract.showModal();
  else store.set(KEY.active, "1");
  if (store.take(KEY.print) === location.pathname) {
    if (document.readyState === "complete") window.print();
    else window.addEventListener("load", () => window.print(), { once: true });
  }
  armIdle();
  root.dataset.kioskReady = "";  // for tests and monitoring: the kiosk behaviour is active
}());
