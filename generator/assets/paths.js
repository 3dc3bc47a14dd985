/* Reading paths: a visitor's own progress (kept in this browser's localStorage, never sent
   anywhere) and the level filter. Data attributes only; no HTML is built from strings. */
(function () {
  "use strict";

  var PREFIX = "reading-notes:progress:";

  function storageKey(container) {
    // one record per site, keyed by the site's root path, so two sites on one host stay apart
    var root = new URL(container.getAttribute("data-rn-root") || "./", window.location.href).pathname;
    return PREFIX + root;
  }

  function load(key) {
    try {
      var value = JSON.parse(window.localStorage.getItem(key) || "{}");
      return value && typeof value === "object" ? value : {};
    } catch (error) {
      return {};
    }
  }

  function save(key, state) {
    try {
      window.localStorage.setItem(key, JSON.stringify(state));
    } catch (error) {
      /* storage disabled: progress lasts for this page view only */
    }
  }

  function updateProgress(container, boxes) {
    var done = 0;
    boxes.forEach(function (box) { if (box.checked) { done += 1; } });
    var bar = container.querySelector(".rn-path-progress__visitor");
    var text = container.querySelector(".rn-path-progress__visitor-text");
    if (bar) { bar.value = done; }
    if (text) { text.textContent = done + " of " + boxes.length + " steps"; }
    updateExport(container, boxes);
  }

  /** The ticked papers not yet read by the maintainers, as YAML: note file → {status: read}. */
  function updateExport(container, boxes) {
    var details = container.querySelector(".rn-path-export");
    var code = container.querySelector(".rn-path-export__yaml");
    if (!details || !code) { return; }
    var lines = [];
    boxes.forEach(function (box) {
      var note = box.getAttribute("data-rn-note");
      if (box.checked && note) { lines.push(JSON.stringify(note) + ": {status: read}"); }
    });
    code.textContent = lines.join("\n") + (lines.length ? "\n" : "");
    details.hidden = lines.length === 0;
  }

  function setLevel(article, container, level) {
    article.setAttribute("data-rn-level-filter", level);
    container.querySelectorAll("button[data-rn-level]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-rn-level") === level));
    });
  }

  /** Path cards (paths/): how many of each path's steps this visitor has ticked. */
  function initCards() {
    document.querySelectorAll(".rn-path-card__ticks[data-rn-keys]").forEach(function (line) {
      var keys;
      try {
        keys = JSON.parse(line.getAttribute("data-rn-keys"));
      } catch (error) {
        return;
      }
      if (!Array.isArray(keys)) { return; }
      var state = load(storageKey(line));
      var done = keys.filter(function (key) { return state[key] === true; }).length;
      line.querySelector(".rn-path-card__ticked").textContent = String(done);
      line.hidden = false;
    });
  }

  /** A paper page: the visitor's tick for this paper, the same record the paths use. */
  function initPaperTick() {
    var line = document.querySelector(".rn-path-tick-line[data-rn-root]");
    if (!line) { return; }
    var box = line.querySelector("input.rn-path-tick__box[data-rn-key]");
    if (!box) { return; }
    var key = storageKey(line);
    var paperKey = box.getAttribute("data-rn-key");
    box.checked = load(key)[paperKey] === true;
    box.addEventListener("change", function () {
      var current = load(key);
      if (box.checked) { current[paperKey] = true; } else { delete current[paperKey]; }
      save(key, current);
    });
    line.hidden = false;
  }

  function init() {
    initCards();
    initPaperTick();
    var container = document.querySelector(".rn-path[data-rn-path]");
    if (!container) { return; }
    var article = container.closest("article") || document.body;
    var key = storageKey(container);
    var state = load(key);
    var boxes = Array.prototype.slice.call(article.querySelectorAll("input.rn-path-tick__box[data-rn-key]"));

    boxes.forEach(function (box) {
      var stepKey = box.getAttribute("data-rn-key");
      box.checked = state[stepKey] === true;
      box.closest(".rn-path-tick").hidden = false;
      box.addEventListener("change", function () {
        var current = load(key);
        if (box.checked) { current[stepKey] = true; } else { delete current[stepKey]; }
        save(key, current);
        updateProgress(container, boxes);
      });
    });
    container.querySelector(".rn-path-progress--visitor").hidden = false;
    updateProgress(container, boxes);

    var filter = container.querySelector(".rn-path-filter");
    filter.hidden = false;
    setLevel(article, container, "all");
    filter.querySelectorAll("button[data-rn-level]").forEach(function (button) {
      button.addEventListener("click", function () {
        setLevel(article, container, button.getAttribute("data-rn-level"));
      });
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
