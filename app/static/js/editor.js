// Progressive enhancement for the editor; every page works without it.
(function () {
  "use strict";
  // Focus the error summary so screen readers announce it.
  const summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // Ask before destructive actions marked with data-confirm.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      // A native confirm: keyboard and screen-reader accessible, and nothing to load.
      // eslint-disable-next-line no-alert
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  // Row buttons (add, remove, move) reload the page: keep the reading position.
  const key = "motcua-editor-scroll:" + location.pathname;
  document.querySelectorAll("form[data-keep-scroll]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      const button = event.submitter;
      if (button && button.name === "op" && button.value) {
        sessionStorage.setItem(key, String(window.scrollY));
      }
    });
  });
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    if (!summary && !document.querySelector("[autofocus]")) { window.scrollTo(0, Number(saved)); }
  }
})();

// Leaving a section with unsaved changes asks first (the browser's own question; saving
// works without this). A form the server shows again unsaved (after an add, remove or move
// button, or with errors) carries data-unsaved: it holds changes from the start.
(function () {
  "use strict";
  let dirty = false;
  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
    if (form.hasAttribute("data-unsaved")) { dirty = true; }
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
