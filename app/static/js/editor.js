// Progressive enhancement for the editor; every page works without it.
(function () {
  "use strict";
  // Focus the error summary so screen readers announce it.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // Ask before destructive actions marked with data-confirm.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  // Row buttons (add, remove, move) reload the page: keep the reading position.
  var key = "motcua-editor-scroll:" + location.pathname;
  document.querySelectorAll("form[data-keep-scroll]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (button && button.name === "op" && button.value) {
        sessionStorage.setItem(key, String(window.scrollY));
      }
    });
  });
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    if (!summary && !document.querySelector("[autofocus]")) { window.scrollTo(0, Number(saved)); }
  }
})();
