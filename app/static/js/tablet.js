// The counter tablet: after the thank-you (or "please wait") screen, go back to the question
// by itself so the next person finds it ready. Without JavaScript the screen keeps its link.
(function () {
  "use strict";
  const main = document.querySelector("[data-reset-url]");
  if (!main) {
    return;
  }
  const seconds = parseInt(main.getAttribute("data-reset-seconds"), 10) || 5;
  window.setTimeout(function () {
    // replace(): the rating POST must not be one "Back" away on a shared tablet.
    window.location.replace(main.getAttribute("data-reset-url"));
  }, seconds * 1000);
}());
