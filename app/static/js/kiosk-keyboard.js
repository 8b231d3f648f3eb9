/* The kiosk's on-screen keyboard (simple-keyboard, vendored) for every text field. kiosk.js
 * loads this file (after simple-keyboard) the first time a text field is touched, and has
 * already told the browser to show no system keyboard and remember nothing typed.
 *
 * Plain Latin letters are enough (search folds diacritics); ă â đ ê ô ơ ư and the five tone
 * keys are there for those who want them: a tone key marks the right vowel of the last word,
 * and the same tone again takes it off. Number fields get a number pad. In a search field the
 * suggest API's names appear above the keys as the person types; kiosk.js's
 * "kiosk:startover" makes the keyboard forget too.
 * Labels come from data- attributes of the keyboard panel (layouts/kiosk.html).
 */
(function () {
  "use strict";

  const panel = document.getElementById("kiosk-keyboard");
  if (!panel) return;
  const root = document.documentElement;
  const suggestions = panel.querySelector(".kiosk-suggestions");
  const labels = panel.dataset;
  const TEXT_INPUTS = "input:not([type]), input[type=text], input[type=search], " +
    "input[type=email], input[type=tel], input[type=url], input[type=number], textarea";
  const SEARCH_INPUTS = "input[name=q], input[type=search]";
  const TONES = { "{acute}": "\u0301", "{grave}": "\u0300", "{hook}": "\u0309",
                  "{tilde}": "\u0303", "{dot}": "\u0323" };
  const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
  const VOWELS = "aăâeêioôơuưy";
  const LAYOUT = {
    default: ["1 2 3 4 5 6 7 8 9 0 {bksp}", "q w e r t y u i o p", "a s d f g h j k l",
              "z x c v b n m", "ă â đ ê ô ơ ư", "{acute} {grave} {hook} {tilde} {dot}",
              "{clear} {space} {hide} {enter}"],
    numeric: ["1 2 3", "4 5 6", "7 8 9", "{clear} 0 {bksp}", "{hide} {enter}"],
  };
  let keyboard = null;
  let target = null;
  let suggestTimer = 0;
  let suggestRound = 0;

  /* Where the tone mark of a Vietnamese syllable goes (a vowel with a hat/horn/breve first). */
  function tonePosition(word) {
    const chars = Array.from(word.toLowerCase());
    let vowels = chars.map((c, i) => (VOWELS.includes(c) ? i : -1)).filter((i) => i >= 0);
    if (!vowels.length) return -1;
    const first = vowels[0];
    if (vowels.length > 1 && ((chars[first] === "u" && chars[first - 1] === "q") ||
                              (chars[first] === "i" && chars[first - 1] === "g"))) {
      vowels = vowels.slice(1);  // the u of "qu", the i of "gi" belong to the consonant
    }
    const shaped = vowels.filter((i) => "ăâêôơư".includes(chars[i]));
    if (shaped.length) return shaped[shaped.length - 1];
    if (vowels.length === 1) return vowels[0];
    if (vowels.length >= 3) return vowels[1];
    const pair = chars[vowels[0]] + chars[vowels[1]];
    const closed = vowels[1] < chars.length - 1;
    return closed || ["oa", "oe", "uy"].includes(pair) ? vowels[1] : vowels[0];
  }

  /* Put ``mark`` on the last word; the same tone again takes it off. */
  function applyTone(text, mark) {
    const match = text.match(/\p{L}+$/u);
    if (!match) return text;
    const decomposed = match[0].normalize("NFD");
    const current = (decomposed.match(TONE_MARKS) || [""])[0];
    const chars = Array.from(decomposed.replace(TONE_MARKS, "").normalize("NFC"));
    const index = tonePosition(chars.join(""));
    if (index < 0) return text;
    chars[index] = (chars[index] + (current === mark ? "" : mark)).normalize("NFC");
    return text.slice(0, text.length - match[0].length) + chars.join("");
  }

  function setValue(value) {
    if (!target) return;
    const max = target.maxLength > 0 ? target.maxLength : Infinity;
    target.value = value.slice(0, max);
    target.dispatchEvent(new Event("input", { bubbles: true }));
    if (target.value !== value) keyboard.setInput(target.value);
  }

  function submitTarget() {
    const form = target && target.form;
    hideKeyboard();
    if (form) form.requestSubmit();
  }

  function onKeyPress(button) {
    if (button in TONES) setValue(applyTone(keyboard.getInput(), TONES[button]));
    else if (button === "{clear}") setValue("");
    else if (button === "{hide}") hideKeyboard();
    else if (button === "{enter}") submitTarget();
    else return;
    if (target) keyboard.setInput(target.value);
  }

  function display() {
    const done = target && target.matches(SEARCH_INPUTS) ? labels.keySearch : labels.keyDone;
    const tone = (mark, name) => "◌" + mark + " " + name;  // the mark on a dotted circle
    return {
      "{bksp}": "⌫ " + labels.keyBksp, "{space}": labels.keySpace, "{clear}": labels.keyClear,
      "{hide}": labels.keyHide, "{enter}": done,
      "{acute}": tone("\u0301", labels.toneAcute), "{grave}": tone("\u0300", labels.toneGrave),
      "{hook}": tone("\u0309", labels.toneHook), "{tilde}": tone("\u0303", labels.toneTilde),
      "{dot}": tone("\u0323", labels.toneDot),
    };
  }

  function createKeyboard() {
    const Keyboard = window.SimpleKeyboard && (window.SimpleKeyboard.default ||
                                               window.SimpleKeyboard.SimpleKeyboard);
    if (!Keyboard) return null;
    const buttons = [...new Set(Object.values(LAYOUT).join(" ").split(" "))].join(" ");
    return new Keyboard(panel.querySelector(".simple-keyboard"), {
      layout: LAYOUT, display: display(), theme: "hg-theme-default kiosk-keys",
      useButtonTag: true, disableButtonHold: true, disableCaretPositioning: true,
      preventMouseDownDefault: true,
      buttonAttributes: [{ attribute: "type", value: "button", buttons: buttons }],
      onChange: setValue, onKeyPress: onKeyPress,
    });
  }

  function showKeyboard(input) {
    if (!keyboard) keyboard = createKeyboard();
    if (!keyboard) return;
    target = input;
    keyboard.setOptions({ layoutName: "kioskNumeric" in input.dataset ? "numeric" : "default",
                          display: display() });
    keyboard.setInput(input.value);
    panel.hidden = false;
    root.classList.add("kiosk-keyboard-open");
    root.style.setProperty("--kiosk-keyboard-height", panel.offsetHeight + "px");
    input.scrollIntoView({ block: "center" });
  }

  function hideKeyboard() {
    panel.hidden = true;
    root.classList.remove("kiosk-keyboard-open");
    suggestions.replaceChildren();
    suggestRound += 1;
    if (target) target.blur();
    target = null;
  }

  /* A suggestion with its own page is a link (kiosk.js navigates); a name is searched for. */
  function suggestionControl(item) {
    if (item.url) {
      const link = document.createElement("a");
      link.href = item.url;
      link.className = "kiosk-suggestion";
      link.textContent = item.name;
      return link;
    }
    const button = document.createElement("button");
    button.type = "button";
    button.className = "kiosk-suggestion";
    button.textContent = item.name;
    button.addEventListener("click", () => {
      setValue(item.name);
      submitTarget();
    });
    return button;
  }

  function showSuggestions(items) {
    const list = document.createElement("ul");
    list.className = "kiosk-suggestion-list";
    list.setAttribute("aria-label", suggestions.dataset.label);
    for (const item of items) {
      const row = document.createElement("li");
      row.append(suggestionControl(item));
      list.append(row);
    }
    suggestions.replaceChildren(...(items.length ? [list] : []));
    if (target) root.style.setProperty("--kiosk-keyboard-height", panel.offsetHeight + "px");
  }

  function suggest(query) {
    const round = ++suggestRound;
    if (!target || query.trim().length < 2) { showSuggestions([]); return; }
    // The kiosk's own suggestions first: each leads to its procedure's page in the kiosk.
    const endpoint = labels.suggestUrl || target.dataset.suggestUrl;
    fetch(endpoint + "?q=" + encodeURIComponent(query.trim()),
          { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : []))
      .then((data) => {
        if (round !== suggestRound || !Array.isArray(data)) return;
        showSuggestions(data.slice(0, 8).map((item) => (
          typeof item === "string" ? { name: item } : { name: item.name, url: item.url })));
      })
      .catch(() => { if (round === suggestRound) showSuggestions([]); });
  }

  document.addEventListener("focusin", (event) => {
    if (!event.target.matches(TEXT_INPUTS) || event.target === target) return;
    showKeyboard(event.target);
  });

  document.addEventListener("input", (event) => {
    if (event.target !== target) return;
    if (keyboard && keyboard.getInput() !== target.value) keyboard.setInput(target.value);
    if (target.matches(SEARCH_INPUTS)) {
      clearTimeout(suggestTimer);
      suggestTimer = setTimeout(() => suggest(target ? target.value : ""), 150);
    }
  });

  document.addEventListener("pointerdown", (event) => {
    if (!panel.hidden && !panel.contains(event.target) && event.target !== target &&
        !event.target.closest("dialog")) hideKeyboard();
  });

  document.addEventListener("kiosk:startover", () => {
    if (keyboard) keyboard.clearInput();
    hideKeyboard();
  });
  // kiosk.js loads this file when a text field is first touched: open for that field now.
  if (document.activeElement && document.activeElement.matches(TEXT_INPUTS)) {
    showKeyboard(document.activeElement);
  }
}());
