/* Suggestions under the site's search boxes while typing (progressive enhancement: without
 * this file the box is a plain form that submits to the search page).
 *
 * The ARIA combobox pattern with a listbox popup (WAI-ARIA APG): the input keeps focus;
 * Down/Up move through the suggestions (aria-activedescendant), Enter opens the chosen
 * procedure's page, Escape closes the list (a second Escape clears the box), Tab leaves it.
 * A status line tells screen readers how many suggestions there are. The list floats over
 * the page (position: absolute), so nothing below it moves. Suggestions come from the same
 * endpoint as the kiosk's keyboard (/api/v1/suggest, with detail=true for the slug); each
 * opens its procedure directly. Labels come from data- attributes (CSP forbids inline JS).
 */
(function () {
  "use strict";

  const DELAY_MS = 150;
  const MIN_CHARS = 2;

  function enhance(input) {
    const form = input.form;
    const row = input.parentElement;
    const data = input.dataset;
    const listId = input.id + "-suggestions";
    const list = document.createElement("ul");
    list.id = listId;
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", data.suggestLabel || "");
    list.hidden = true;
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    row.classList.add("suggest-row");
    row.append(list);
    form.append(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    let items = [];
    let active = -1;
    let timer = 0;
    let round = 0;

    function procedureUrl(item) {
      return (data.procedureUrl || "").replace("__slug__", encodeURIComponent(item.slug));
    }

    function setActive(index) {
      active = index;
      Array.from(list.children).forEach((option, i) => {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) {
        const option = list.children[index];
        input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function open(url) {
      window.location.assign(url);
    }

    function show(found) {
      items = found;
      list.replaceChildren(...found.map((item, i) => {
        const option = document.createElement("li");
        option.id = listId + "-" + i;
        option.className = "suggest-option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = item.name;
        option.addEventListener("mousedown", (event) => event.preventDefault());
        option.addEventListener("click", () => open(procedureUrl(item)));
        return option;
      }));
      const any = found.length > 0;
      list.hidden = !any;
      input.setAttribute("aria-expanded", any ? "true" : "false");
      setActive(-1);
      status.textContent = any ? (data.suggestStatus || "").replace("{n}", found.length) : "";
    }

    function fetchSuggestions() {
      const query = input.value.trim();
      const mine = ++round;
      if (query.length < MIN_CHARS) { show([]); return; }
      fetch(data.suggestUrl + "?detail=true&q=" + encodeURIComponent(query),
            { headers: { Accept: "application/json" }, credentials: "omit" })
        .then((response) => (response.ok ? response.json() : []))
        .then((found) => {
          if (mine !== round || document.activeElement !== input) return;
          show(Array.isArray(found) ? found.filter((item) => item && item.slug) : []);
        })
        .catch(() => { if (mine === round) show([]); });
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", (event) => {
      const opened = !list.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!opened) {
          if (items.length) show(items);
          else fetchSuggestions();
          event.preventDefault();
          return;
        }
        const step = event.key === "ArrowDown" ? 1 : -1;
        const next = active + step;
        setActive(next < -1 ? items.length - 1 : next >= items.length ? -1 : next);
        event.preventDefault();
      } else if (event.key === "Enter" && opened && active >= 0) {
        event.preventDefault();
        open(procedureUrl(items[active]));
      } else if (event.key === "Escape") {
        if (opened) close();
        else input.value = "";
        event.preventDefault();
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", close);
  }

  document.querySelectorAll("input[data-suggest-url][data-procedure-url]").forEach(enhance);
})();
