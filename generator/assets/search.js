/* The site search: a box in the header of every page over the Pagefind index in <site>/pagefind/
 * (written by generator/finish/search.py after the build).
 *
 * Nothing is downloaded until the reader types or opens the box: then pagefind.js loads, and each
 * query fetches only the index pieces it needs. Results show the title, venue + year, the tags, and
 * the summary (or a highlighted excerpt for pages without one). Facets narrow the results.
 * Keyboard: "/" focuses the box, ↑/↓ move through the results, Enter opens one, Esc closes.
 * All text from the index goes into the page with textContent: nothing from a note is parsed as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  // this file is <site>/assets/reading-notes/search.js: the site's root is two folders up
  var ROOT = new URL("../../", script && script.src ? script.src : document.baseURI);
  var FACETS = [["venue", "Venue"], ["year", "Year"], ["tag", "Tag"], ["level", "Level"], ["status", "Status"], ["notes", "Notes"]];
  var MAX_RESULTS = 10;
  var pagefind = null; // the Pagefind module, once loaded
  var loading = null;
  var state = { query: "", filters: {}, results: [], active: -1, serial: 0 };

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
        return pagefind.options({ baseUrl: "/", excerptLength: 24 }).then(function () {
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

  function run() {
    var box = ui();
    if (!box) return;
    var serial = ++state.serial;
    var query = state.query.trim();
    var status = box.querySelector(".rn-search__status");
    var list = box.querySelector(".rn-search__results");
    if (!query && !hasFilters()) {
      list.replaceChildren();
      status.textContent = "Type to search titles, short names, authors, tags and notes.";
      return;
    }
    status.textContent = "Searching…";
    load().then(function (pf) {
      var filters = {};
      Object.keys(state.filters).forEach(function (k) { if (state.filters[k]) filters[k] = state.filters[k]; });
      return pf.search(query ? terms(query) : null, { filters: filters });
    }).then(function (search) {
      if (serial !== state.serial || !search) return null;
      var count = search.results.length;
      return Promise.all(search.results.slice(0, MAX_RESULTS).map(function (r) { return r.data(); })).then(function (data) {
        if (serial !== state.serial) return;
        list.replaceChildren.apply(list, data.map(renderResult));
        status.textContent = count === 0 ? "No results." : count + (count === 1 ? " result" : " results") +
          (count > MAX_RESULTS ? ", the first " + MAX_RESULTS + " shown" : "");
        setActive(data.length ? 0 : -1);
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

  function close(box) {
    box.classList.remove("rn-search--open");
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
    var list = el("ul", "rn-search__results");
    list.id = "rn-search-results";
    list.setAttribute("role", "listbox");
    panel.append(facets, status, list);
    box.append(input, panel);
    input.value = state.query;

    input.addEventListener("focus", function () { open(box); });
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
    var input = document.querySelector(".rn-search__input");
    if (!input) return;
    event.preventDefault();
    input.focus();
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mount);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
