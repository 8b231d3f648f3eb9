// The counter tablet.
// - Set-up: an address ending in "#t=<token>" hands the token to the server once (a form
//   post; the fragment never reaches a server or a log), which keeps it in the tablet's cookie.
// - Waiting: a screen with data-wait-seconds counts down; the question's buttons stay
//   disabled until then, so nobody taps an answer the server would refuse.
// - After the thank-you (or "please wait"), the question comes back by itself, never before
//   the tablet may rate again (data-reset-seconds is at least the wait).
// Without JavaScript every screen still works: plain forms and a link back.
(function () {
  "use strict";
  const main = document.getElementById("main");
  if (!main) {
    return;
  }
  const pair = document.querySelector("[data-pair]");
  const match = /^#t=([A-Za-z0-9_-]{1,100})$/.exec(window.location.hash);
  if (pair && match) {
    // Take the token out of the address bar (and its history entry) before anything else.
    window.history.replaceState(null, "", window.location.pathname);
    pair.querySelector("input[name=t]").value = match[1];
    pair.submit();
    return;
  }
  const wait = parseInt(main.getAttribute("data-wait-seconds"), 10) || 0;
  const started = Date.now();
  const shown = document.querySelector("[data-seconds]");
  const buttons = main.querySelectorAll(".tablet-answers button[disabled]");
  function left() {
    return Math.max(0, wait - Math.floor((Date.now() - started) / 1000));
  }
  if (wait > 0) {
    const timer = window.setInterval(function () {
      const seconds = left();
      if (shown) {
        shown.textContent = String(seconds);
      }
      if (seconds === 0) {
        window.clearInterval(timer);
        buttons.forEach(function (button) { button.disabled = false; });
        const line = document.querySelector("[data-countdown]");
        if (line && buttons.length) {
          line.hidden = true;
        }
      }
    }, 250);
  }
  const resetUrl = main.getAttribute("data-reset-url");
  if (resetUrl) {
    const seconds = Math.max(parseInt(main.getAttribute("data-reset-seconds"), 10) || 0, wait);
    window.setTimeout(function () {
      // replace(): the rating POST must not be one "Back" away on a shared tablet.
      window.location.replace(resetUrl);
    }, seconds * 1000 + 300);
  }
}());
