/* The site search: a box in the header of every page over the Pagefind index in <site>/pagefind/
 * (written by generator/finish/search.py after the build).
 *
 * Nothing is downloaded until the reader types or opens the box: then pagefind.js loads (in the
 * page, without Pagefind's web worker: one script less to fetch), and each query fetches only the
 * index pieces it needs, and the records of the results it shows (PAGE at a time, "More results"
 * for the next). Results show the title, venue + year, the tags, and the summary (or a highlighted
 * excerpt for pages without one). Facets narrow the results; their values are fetched only when
 * the reader opens "Filters".
 * Typos: when a query finds nothing, or a query word is in none of the results shown (Pagefind also
 * finds words that only begin like it), the list of the site's words (rn-words.txt, from titles,
 * short names, tags and author surnames) is fetched, once, and such a word that is not in the list
 * is replaced by the nearest one (edit distance 1, 2 for words of 8 letters or more; not a longer or
 * shorter form of it, which Pagefind finds anyway by prefix and stem): with no result, the search
 * runs again with it at once ("Showing results for …"); otherwise the panel offers it ("Did you
 * mean …?").
 * Narrow screens (the theme's tablet width and below): the box is an icon button in the header;
 * tapping it, or "/", opens the box over the whole header.
 * Keyboard: "/" focuses the box, ↑/↓ move through the results, Enter opens one, Esc closes.
 * All text from the index goes into the page with textContent: nothing from a note is parsed as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  // this file is <site>/assets/reading-notes/search.js: the site's root is two folders up
  var ROOT = new URL("../../", script && script.src ? script.src : document.baseURI);
  var FACETS = [["venue", "Venue"], ["year", "Year"], ["tag", "Tag"], ["level", "Level"], ["status", "Status"], ["notes", "Notes"]];
  var PAGE = 8; // results whose records are fetched and shown at a time
  var WORDS = "pagefind/rn-words.txt";
  var SVG = "http://www.w3.org/2000/svg";
  var ICONS = { // Material Design Icons (the theme's own): magnify, close
    search: "M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5",
    close: "M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z"
  };
  var pagefind = null; // the Pagefind module, once loaded
  var loading = null;
  var vocabulary = null; // the site's words for "did you mean", once asked for
  var state = { query: "", filters: {}, results: [], shown: 0, prefix: "", active: -1, serial: 0 };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function load() {
    if (!loading) {
      loading = import(new URL("pagefind/pagefind.js", ROOT).href).then(function (module) {
        pagefind = module;
        return pagefind.options({ baseUrl: "/", excerptLength: 24, noWorker: true }).then(function () {
          pagefind.init();
          return pagefind;
        });
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  // Pagefind's excerpts are escaped text with <mark> around the matched words
  var ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&#x27;": "'", "&nbsp;": "\u00a0" };
  function decode(text) {
    return text.replace(/&(?:amp|lt|gt|quot|nbsp|#39|#x27);/g, function (e) { return ENTITIES[e]; });
  }

  function excerpt(text) {
    var out = el("span", "rn-search__excerpt");
    String(text || "").split(/(<mark>|<\/mark>)/).reduce(function (marked, part) {
      if (part === "<mark>") return true;
      if (part === "</mark>") return false;
      if (part) out.appendChild(marked ? el("mark", "", decode(part)) : document.createTextNode(decode(part)));
      return marked;
    }, false);
    return out;
  }

  function resultUrl(url) {
    var path = String(url || "");
    if (!path.startsWith("/") || path.startsWith("//")) return null; // only pages of this site
    return new URL(path.slice(1), ROOT).href;
  }

  function renderResult(data, index) {
    var href = resultUrl(data.url);
    var meta = data.meta || {};
    var item = el("li", "rn-search__result");
    item.id = "rn-search-result-" + index;
    item.setAttribute("role", "option");
    var link = el("a", "rn-search__link");
    if (href) link.href = href;
    link.appendChild(el("span", "rn-search__title", meta.title || href || ""));
    if (meta.aka) link.appendChild(el("span", "rn-search__aka", " (" + meta.aka + ")"));
    item.appendChild(link);
    if (meta.venue) item.appendChild(el("span", "rn-search__venue", meta.venue));
    if (meta.tags) {
      var tags = el("span", "rn-search__tags");
      meta.tags.split(", ").forEach(function (name) { if (name) tags.appendChild(el("span", "rn-search__tag", "#" + name)); });
      item.appendChild(tags);
    }
    // the reader's one-line summary says more than an excerpt; pages without one show where the words are
    item.appendChild(meta.summary ? el("span", "rn-search__summary", meta.summary) : excerpt(data.excerpt));
    item.addEventListener("mousemove", function () { setActive(index); });
    return item;
  }

  function ui() {
    return document.querySelector(".rn-search");
  }

  function setActive(index) {
    var box = ui();
    if (!box) return;
    var items = box.querySelectorAll(".rn-search__result");
    state.active = items.length ? Math.max(-1, Math.min(index, items.length - 1)) : -1;
    items.forEach(function (item, i) {
      item.classList.toggle("rn-search__result--active", i === state.active);
      item.setAttribute("aria-selected", i === state.active ? "true" : "false");
    });
    var input = box.querySelector(".rn-search__input");
    if (state.active >= 0) {
      input.setAttribute("aria-activedescendant", items[state.active].id);
      items[state.active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function hasFilters() {
    return Object.keys(state.filters).some(function (k) { return state.filters[k]; });
  }

  // The index holds tags both as written and as words (GPU_sharing and GPU sharing), and compound
  // names by their parts: a query splits at _ and - as well, so gpu-sharing finds GPU_sharing.
  function terms(query) {
    return query.replace(/[_\-]+/g, " ").replace(/\s+/g, " ").trim();
  }

  // --- "did you mean": the nearest of the site's words, by edit distance
  function words() {
    if (!vocabulary) {
      vocabulary = fetch(new URL(WORDS, ROOT).href).then(function (response) {
        if (!response.ok) throw new Error("no word list");
        return response.text();
      }).then(function (text) {
        var list = text.split("\n").filter(Boolean);
        return { list: list, lower: list.map(function (w) { return w.toLowerCase(); }) };
      });
      vocabulary.catch(function () { vocabulary = null; });
    }
    return vocabulary;
  }

  // edits (insert, delete, replace, swap two neighbours) from a to b; any number over limit is "too far"
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var before = null, previous = [], current, i, j;
    for (j = 0; j <= b.length; j++) previous.push(j);
    for (i = 1; i <= a.length; i++) {
      current = [i];
      var least = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
        current.push(d);
        least = Math.min(least, d);
      }
      if (least > limit) return limit + 1;
      before = previous;
      previous = current;
    }
    return previous[b.length];
  }

  // the word the reader likely meant, or null: the most frequent of the nearest words
  function nearest(word, vocab) {
    var lower = word.toLowerCase();
    if (lower.length < 4 || !/^[a-z0-9\u00c0-\u024f]+$/.test(lower) || vocab.lower.indexOf(lower) >= 0) return null;
    var limit = lower.length >= 8 ? 2 : 1;
    var best = null;
    for (var i = 0; i < vocab.lower.length && limit > 0; i++) {
      var known = vocab.lower[i];
      // a longer or shorter form of the word is no correction: Pagefind finds prefixes, and stems
      if (known.indexOf(lower) === 0 || lower.indexOf(known) === 0) continue;
      var d = distance(lower, known, limit);
      if (d <= limit) {
        best = vocab.list[i];
        limit = d - 1; // from now on, only a nearer word
      }
    }
    return best;
  }

  // the query with its unknown words replaced by their nearest known ones, or null if none changes;
  // found: the words the results hold, left as they are
  function respell(query, vocab, found) {
    var changed = false;
    var out = terms(query).split(" ").map(function (word) {
      var better = found && found.indexOf(word.toLowerCase()) >= 0 ? null : nearest(word, vocab);
      if (better) changed = true;
      return better || word;
    });
    return changed ? out.join(" ") : null;
  }

  function search(query) {
    return load().then(function (pf) {
      var filters = {};
      Object.keys(state.filters).forEach(function (k) { if (state.filters[k]) filters[k] = state.filters[k]; });
      return pf.search(query ? terms(query) : null, { filters: filters });
    });
  }

  // a query that finds nothing runs again with its words respelled: {results, suggestion}
  function searchWithSpelling(query) {
    return search(query).then(function (found) {
      var results = found ? found.results : [];
      if (!query || results.length) return { results: results, suggestion: null };
      return words().then(function (vocab) { return respell(query, vocab, null); }, function () { return null; }).then(function (better) {
        if (!better) return { results: results, suggestion: null };
        return search(better).then(function (again) {
          var more = again ? again.results : [];
          return { results: more, suggestion: more.length ? better : null };
        });
      });
    });
  }

  // Pagefind also finds words that only start like the query's (pipedrem: pipe…): a query word that
  // none of the shown results holds may be a typo, for which "Did you mean" offers the nearest word
  function offerSpelling(query, data, serial) {
    var text = data.map(function (d) {
      var meta = d.meta || {};
      return [d.content, meta.title, meta.aka, meta.tags].join(" ").toLowerCase();
    }).join(" ");
    var found = terms(query).toLowerCase().split(" ").filter(function (w) { return text.indexOf(w) >= 0; });
    if (found.length === terms(query).split(" ").length) return;
    words().then(function (vocab) {
      var better = respell(query, vocab, found);
      var slot = ui() && ui().querySelector(".rn-search__suggest-slot");
      if (better && slot && serial === state.serial) slot.replaceChildren(suggestLine(better));
    }).catch(function () {});
  }

  function suggestLine(suggestion) {
    var line = el("p", "rn-search__suggest", "Did you mean ");
    var button = el("button", "rn-search__suggestion", suggestion);
    button.type = "button";
    button.addEventListener("click", function () {
      var box = ui();
      var input = box.querySelector(".rn-search__input");
      input.value = suggestion;
      state.query = suggestion;
      input.focus();
      run();
    });
    line.append(button, "?");
    return line;
  }

  function countText(count, shown) {
    if (count === 0) return "No results.";
    return count + (count === 1 ? " result" : " results") + (count > shown ? ", the first " + shown + " shown" : "");
  }

  // the records of the next PAGE results, added to the list
  function showMore(serial) {
    var box = ui();
    var list = box.querySelector(".rn-search__results");
    var start = state.shown;
    var next = state.results.slice(start, start + PAGE);
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (data) {
      if (serial !== state.serial) return [];
      data.forEach(function (d, i) { list.appendChild(renderResult(d, start + i)); });
      state.shown = start + data.length;
      box.querySelector(".rn-search__next").hidden = state.shown >= state.results.length;
      box.querySelector(".rn-search__status").textContent = state.prefix + countText(state.results.length, state.shown);
      return data;
    });
  }

  function run() {
    var box = ui();
    if (!box) return;
    var serial = ++state.serial;
    var query = state.query.trim();
    var status = box.querySelector(".rn-search__status");
    var list = box.querySelector(".rn-search__results");
    var suggest = box.querySelector(".rn-search__suggest-slot");
    var more = box.querySelector(".rn-search__next");
    if (!query && !hasFilters()) {
      list.replaceChildren();
      suggest.replaceChildren();
      more.hidden = true;
      state.results = [];
      state.shown = 0;
      status.textContent = "Type to search titles, short names, authors, tags and notes.";
      return;
    }
    status.textContent = "Searching…";
    searchWithSpelling(query).then(function (found) {
      if (serial !== state.serial) return null;
      state.results = found.results;
      state.shown = 0;
      state.prefix = found.suggestion ? "No results for “" + query + "”. Showing results for “" + found.suggestion + "”: " : "";
      list.replaceChildren();
      suggest.replaceChildren();
      more.hidden = true;
      return showMore(serial).then(function (data) {
        if (serial !== state.serial) return;
        if (query && data.length && !found.suggestion) offerSpelling(query, data, serial);
        setActive(state.shown ? 0 : -1);
      });
    }).catch(function () {
      if (serial === state.serial) status.textContent = "The search index could not be loaded.";
    });
  }

  function fillFacets(box) {
    if (box.hasAttribute("data-facets")) return; // loading or loaded: once per box
    box.setAttribute("data-facets", "loading");
    load().then(function (pf) { return pf.filters(); }).then(function (available) {
      var row = box.querySelector(".rn-search__facets");
      FACETS.forEach(function (facet) {
        var values = available && available[facet[0]] ? Object.keys(available[facet[0]]) : [];
        if (!values.length) return;
        values.sort(function (a, b) { return facet[0] === "year" ? b.localeCompare(a) : a.localeCompare(b); });
        var select = el("select", "rn-search__facet");
        select.name = facet[0];
        select.setAttribute("aria-label", facet[1]);
        select.appendChild(el("option", "", facet[1] + ": any")).value = "";
        values.forEach(function (v) {
          var option = el("option", "", v + " (" + available[facet[0]][v] + ")");
          option.value = v;
          select.appendChild(option);
        });
        select.addEventListener("change", function () {
          state.filters[facet[0]] = select.value;
          run();
        });
        row.appendChild(select);
      });
      box.setAttribute("data-facets", "loaded");
    }).catch(function () { box.removeAttribute("data-facets"); });
  }

  function open(box) {
    box.classList.add("rn-search--open");
    run();
  }

  // narrow screens: the box over the header (wide ones show it always; the class then changes nothing)
  function expand(box) {
    box.classList.add("rn-search--expanded");
    box.querySelector(".rn-search__toggle").setAttribute("aria-expanded", "true");
  }

  function close(box) {
    box.classList.remove("rn-search--open", "rn-search--expanded");
    box.querySelector(".rn-search__toggle").setAttribute("aria-expanded", "false");
  }

  function icon(name) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("d", ICONS[name]);
    svg.appendChild(path);
    return svg;
  }

  function iconButton(className, name, label) {
    var button = el("button", "rn-search__icon " + className);
    button.type = "button";
    button.title = label;
    button.setAttribute("aria-label", label);
    button.appendChild(icon(name));
    return button;
  }

  function build() {
    var box = el("div", "rn-search");
    box.setAttribute("role", "search");
    var input = el("input", "rn-search__input");
    input.type = "search";
    input.placeholder = "Search";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("aria-label", "Search the site (press / to focus)");
    input.setAttribute("aria-controls", "rn-search-results");
    input.setAttribute("aria-autocomplete", "list");
    var panel = el("div", "rn-search__panel");
    var facets = el("div", "rn-search__facets");
    // the facets' values are an index of their own: fetched only when the reader asks for them
    var more = el("button", "rn-search__more", "Filters");
    more.type = "button";
    more.setAttribute("aria-expanded", "false");
    more.addEventListener("click", function () {
      more.setAttribute("aria-expanded", "true");
      more.hidden = true;
      fillFacets(box);
      input.focus();
    });
    facets.appendChild(more);
    var status = el("p", "rn-search__status");
    status.setAttribute("aria-live", "polite");
    var suggest = el("div", "rn-search__suggest-slot");
    var list = el("ul", "rn-search__results");
    list.id = "rn-search-results";
    list.setAttribute("role", "listbox");
    var next = el("button", "rn-search__next", "More results");
    next.type = "button";
    next.hidden = true;
    next.addEventListener("click", function () {
      var first = state.shown;
      showMore(state.serial).then(function () { setActive(first); input.focus(); });
    });
    panel.append(facets, status, suggest, list, next);
    var toggle = iconButton("rn-search__toggle", "search", "Search");
    toggle.setAttribute("aria-expanded", "false");
    toggle.addEventListener("click", function () {
      expand(box);
      input.focus();
    });
    var shut = iconButton("rn-search__close", "close", "Close the search");
    shut.addEventListener("click", function () { close(box); });
    box.append(toggle, input, shut, panel);
    input.value = state.query;

    input.addEventListener("focus", function () {
      if (!box.classList.contains("rn-search--open")) open(box); // back from "More results": keep what is shown
    });
    var timer = 0;
    input.addEventListener("input", function () {
      // one query per pause in typing, not per keystroke: each query may fetch index pieces
      state.query = input.value;
      state.serial++;
      box.classList.add("rn-search--open");
      box.querySelector(".rn-search__status").textContent = "Searching…";
      clearTimeout(timer);
      timer = setTimeout(run, 150);
    });
    input.addEventListener("keydown", function (event) {
      var items = box.querySelectorAll(".rn-search__result");
      if (event.key === "ArrowDown") {
        event.preventDefault();
        setActive(state.active + 1 < items.length ? state.active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        setActive(state.active > 0 ? state.active - 1 : items.length - 1);
      } else if (event.key === "Enter") {
        var link = state.active >= 0 && items[state.active] ? items[state.active].querySelector("a[href]") : null;
        if (link) {
          event.preventDefault();
          close(box);
          location.href = link.href;
        }
      } else if (event.key === "Escape") {
        event.preventDefault();
        close(box);
        input.blur();
      }
    });
    document.addEventListener("click", function (event) {
      if (!box.contains(event.target)) close(box);
    });
    return box;
  }

  function mount() {
    var header = document.querySelector(".md-header__inner");
    if (!header || header.querySelector(".rn-search")) return;
    var box = build();
    var source = header.querySelector(".md-header__source");
    header.insertBefore(box, source);
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var box = ui();
    if (!box) return;
    event.preventDefault();
    expand(box);
    box.querySelector(".rn-search__input").focus();
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mount);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
