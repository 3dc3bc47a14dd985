/* The explorer (explore/): every paper of papers.json in one table, filtered by tags (all of them or
   any of them), venue, year range, level, status and free text, with live counts per tag and venue.
   The whole view lives in the URL (explore/?tag=GPU_sharing&tag=co-location&venue=OSDI), so a link
   shares it and Back/Forward move between views.

   Rules this file keeps:
   - every string from papers.json or the URL is untrusted: the DOM is built with createElement and
     textContent only (no innerHTML), and links go only to pages of this site;
   - no inline script: the page passes its configuration in data- attributes of .rn-explore;
   - mkdocs-material's instant navigation swaps pages without reloading scripts, so the explorer is
     (re)built on every document$ emission and does nothing on pages without .rn-explore.
   The same file runs the comparison page (compare/?id=orca&id=vllm, .rn-explore-compare): ticked papers in
   the explorer link there, and it shares the data loading, links and CSV code. */
(function () {
  "use strict";

  var PAGE_SIZE = 30; // rows rendered at once ("Show more" adds as many): each row costs style, layout and paint
  var TOP_TAGS = 30; // tag facets shown before "All tags"
  var TOP_TAGS_NARROW = 12; // the same on a phone
  var MAX_PARAMS = 50; // URL values of one kind that are read, at most
  var MAX_TEXT = 200; // characters of one URL value that are read, at most
  var LEVELS = ["essential", "recommended", "advanced"];
  var LEVEL_MARKS = { essential: "⚡", recommended: "💎", advanced: "💡" };
  var LEVEL_LABELS = { essential: "Essential", recommended: "Recommended", advanced: "Advanced" };
  var STATUSES = ["read", "reading", "unread"];
  var STATUS_LABELS = { read: "✓ read", reading: "◐ reading", unread: "unread" };
  var NOTES = ["with", "without"]; // whether a paper has written reading notes (papers.json "notes")
  var NOTES_LABELS = { with: "✎ has notes", without: "no notes yet" };
  var SORT_DEFAULTS = { year: "desc", venue: "asc", title: "asc", added: "desc" };
  var COLUMNS = [
    { key: "title", label: "Title", sort: "title" },
    { key: "venue", label: "Venue", sort: "venue" },
    { key: "year", label: "Year", sort: "year" },
    { key: "tags", label: "Tags" },
    { key: "level", label: "Level" },
    { key: "status", label: "Status" },
    { key: "added", label: "Added", sort: "added" }
  ];

  var dataCache = new Map(); // absolute papers.json URL → Promise of the indexed data
  var textCache = new Map(); // absolute URL → Promise of its text (papers.bib)
  var live = null; // the explorer on the current page

  function mount() {
    if (live) {
      live.destroy();
      live = null;
    }
    var root = document.querySelector(".rn-explore");
    if (root && !root.__rnExplorer) live = new Explorer(root);
    var compare = document.querySelector(".rn-explore-compare");
    if (compare && !compare.__rnExplorer) live = new Compare(compare);
  }

  /* ---------------------------------------------------------------- helpers */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function str(value) {
    return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
  }

  var NON_ASCII = /[^\x00-\x7f]/;

  /** Text folded for matching: lower case, and "_", "-" and spaces all one space. */
  function strList(value) {
    return Array.isArray(value) ? value.slice(0, 100).map(str) : [];
  }

  function foldText(text) {
    text = str(text);
    if (NON_ASCII.test(text)) text = text.normalize("NFC"); // the build writes NFC; URLs may not be
    return text.toLowerCase().replace(/[\s_\-]+/g, " ").trim();
  }

  /** A tag's identity, as generator/validate/tags.py computes it: GPU_sharing = #gpu-sharing = GPU\_sharing. */
  function tagKey(text) {
    return str(text).normalize("NFC").replace(/\\/g, "").trim().replace(/^#+/, "").trim()
      .toLowerCase().replace(/[\s_\-]+/g, "-").replace(/^-+|-+$/g, "");
  }

  function cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function mark(name) {
    if (window.performance && performance.mark) performance.mark(name);
  }

  function measure(name, start) {
    try {
      performance.measure(name, start);
    } catch (e) { /* marks unavailable */ }
  }

  /** A URL of this site (same origin), or null: papers.json is data, not a place to send people. */
  function siteUrl(relative, base) {
    try {
      var url = new URL(str(relative), base);
      if (url.origin !== base.origin || !/^https?:$|^file:$/.test(url.protocol)) return null;
      return url;
    } catch (e) {
      return null;
    }
  }

  function fetchText(url) {
    if (!textCache.has(url)) {
      var promise = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error(url + ": HTTP " + response.status);
        return response.text();
      });
      promise.catch(function () { textCache.delete(url); });
      textCache.set(url, promise);
    }
    return textCache.get(url);
  }

  function loadData(url) {
    if (!dataCache.has(url)) {
      var promise = fetchText(url).then(function (text) {
        mark("rn-explore:parse");
        var data = indexData(JSON.parse(text));
        measure("rn-explore:index", "rn-explore:parse");
        return data;
      });
      promise.catch(function () { dataCache.delete(url); });
      dataCache.set(url, promise);
    }
    return dataCache.get(url);
  }

  /** Turn papers.json into arrays the filters can scan quickly. */
  function indexData(raw) {
    var tags = (Array.isArray(raw.tags) ? raw.tags : []).map(function (t) {
      return { key: str(t.key), name: str(t.name), url: str(t.url), fold: foldText(t.name) };
    });
    var venues = (Array.isArray(raw.venues) ? raw.venues : []).map(function (v) {
      return { key: str(v.key), name: str(v.name), url: str(v.url) };
    });
    var tagByName = new Map();
    var tagByKey = new Map();
    tags.forEach(function (t, i) {
      tagByName.set(t.name, i);
      tagByKey.set(t.key, i);
      if (!tagByKey.has(tagKey(t.name))) tagByKey.set(tagKey(t.name), i);
    });
    var venueByKey = new Map();
    venues.forEach(function (v, i) { venueByKey.set(v.key.toLowerCase(), i); });
    var minYear = Infinity;
    var maxYear = -Infinity;
    var papers = (Array.isArray(raw.papers) ? raw.papers : []).map(function (p) {
      var venueKey = str(p.venue);
      var venue = venueByKey.get(venueKey.toLowerCase());
      if (venue === undefined) {
        venue = venues.length;
        venues.push({ key: venueKey, name: venueKey, url: "" });
        venueByKey.set(venueKey.toLowerCase(), venue);
      }
      var tagIds = [];
      (Array.isArray(p.tags) ? p.tags : []).forEach(function (name) {
        var id = tagByName.has(str(name)) ? tagByName.get(str(name)) : tagByKey.get(tagKey(name));
        if (id !== undefined && tagIds.indexOf(id) < 0) tagIds.push(id);
      });
      var year = typeof p.year === "number" && isFinite(p.year) ? Math.trunc(p.year) : 0;
      if (year) {
        minYear = Math.min(minYear, year);
        maxYear = Math.max(maxYear, year);
      }
      var authors = (Array.isArray(p.authors) ? p.authors : []).map(str);
      var level = LEVELS.indexOf(p.level) >= 0 ? p.level : "";
      var status = STATUSES.indexOf(p.status) >= 0 ? p.status : "unread";
      var ev = p.evaluation && typeof p.evaluation === "object" ? p.evaluation : {};
      var paper = {
        id: str(p.id), title: str(p.title), url: str(p.url), venue: venue, year: year, tags: tagIds,
        authors: authors, aka: strList(p.aka), level: level, status: status, notes: p.notes === true, summary: str(p.summary), added: str(p.added),
        citekey: str(p.citekey || p.id), titleFold: "", hay: "",
        buildsOn: strList(p.builds_on), comparesWith: strList(p.compares_with),
        evaluation: { hardware: str(ev.hardware), workloads: strList(ev.workloads), result: str(ev.result) }
      };
      var tagNames = "";
      for (var t = 0; t < tagIds.length; t++) tagNames += tags[tagIds[t]].name + " ";
      // one string to search, the fields kept apart so that no word spans two of them
      paper.hay = foldText(paper.title + " \u0001 " + paper.aka.join(" , ") + " \u0001 " + authors.join(" , ") + " \u0001 " + venues[venue].key +
        " \u0001 " + venues[venue].name + " \u0001 " + year + " \u0001 " + tagNames + "\u0001 " + paper.summary +
        " \u0001 " + paper.id);
      return paper;
    });
    venues.forEach(function (v) { v.fold = v.key.toLowerCase(); });
    return {
      tags: tags, venues: venues, papers: papers, tagByName: tagByName, tagByKey: tagByKey,
      venueByKey: venueByKey, minYear: isFinite(minYear) ? minYear : null,
      maxYear: isFinite(maxYear) ? maxYear : null, orders: new Map()
    };
  }

  /** Paper indexes in one sort order, computed once per order and kept. */
  function sortedOrder(data, sort, order) {
    var name = sort + ":" + order;
    if (data.orders.has(name)) return data.orders.get(name);
    var papers = data.papers;
    var venues = data.venues;
    var sign = order === "desc" ? -1 : 1;
    if (!data.titlesFolded) {
      papers.forEach(function (p) { p.titleFold = p.title.toLowerCase(); });
      data.titlesFolded = true;
    }
    var byTitle = function (a, b) { return cmp(a.titleFold, b.titleFold) || cmp(a.id, b.id); };
    var primary = {
      year: function (a, b) { return a.year - b.year; },
      venue: function (a, b) { return cmp(venues[a.venue].fold, venues[b.venue].fold); },
      title: function () { return 0; },
      added: function (a, b) {
        if (!a.added !== !b.added) return a.added ? -sign : sign; // undated papers last, either way
        return cmp(a.added, b.added);
      }
    }[sort];
    var secondary = sort === "year" ? function (a, b) { return cmp(venues[a.venue].fold, venues[b.venue].fold); }
      : sort === "venue" ? function (a, b) { return b.year - a.year; } : function () { return 0; };
    var indexes = papers.map(function (_, i) { return i; });
    indexes.sort(function (i, j) {
      var a = papers[i];
      var b = papers[j];
      return sign * primary(a, b) || secondary(a, b) || sign * byTitle(a, b);
    });
    data.orders.set(name, indexes);
    return indexes;
  }

  /* ------------------------------------------------------------------ state */

  function emptyState() {
    return { tags: [], match: "all", venues: [], from: null, to: null, levels: [], statuses: [], notes: [], q: "", sort: "year", order: "desc" };
  }

  function readValues(params, name) {
    var out = [];
    params.getAll(name).slice(0, MAX_PARAMS).forEach(function (value) {
      value = value.slice(0, MAX_TEXT).trim();
      if (value && out.indexOf(value) < 0) out.push(value);
    });
    return out;
  }

  function readYear(params, name) {
    var value = (params.get(name) || "").trim();
    return /^\d{1,4}$/.test(value) ? parseInt(value, 10) : null;
  }

  /** The view a URL asks for; unknown tags and venues are kept (they match no paper). */
  function stateFromUrl(search, data) {
    var params = new URLSearchParams(search);
    var state = emptyState();
    readValues(params, "tag").forEach(function (raw) {
      var id = data.tagByName.has(raw) ? data.tagByName.get(raw) : data.tagByKey.get(tagKey(raw));
      var name = id === undefined ? raw : data.tags[id].name;
      if (state.tags.indexOf(name) < 0) state.tags.push(name);
    });
    state.match = params.get("match") === "any" ? "any" : "all";
    readValues(params, "venue").forEach(function (raw) {
      var id = data.venueByKey.get(raw.toLowerCase());
      var key = id === undefined ? raw : data.venues[id].key;
      if (state.venues.indexOf(key) < 0) state.venues.push(key);
    });
    state.from = readYear(params, "from");
    state.to = readYear(params, "to");
    state.levels = readValues(params, "level").filter(function (v) { return LEVELS.indexOf(v) >= 0; });
    state.statuses = readValues(params, "status").filter(function (v) { return STATUSES.indexOf(v) >= 0; });
    state.notes = readValues(params, "notes").filter(function (v) { return NOTES.indexOf(v) >= 0; });
    state.q = (params.get("text") || "").slice(0, MAX_TEXT); // not "q": mkdocs-material's search opens on ?q=
    var sort = params.get("sort");
    state.sort = SORT_DEFAULTS.hasOwnProperty(sort) ? sort : "year";
    var order = params.get("order");
    state.order = order === "asc" || order === "desc" ? order : SORT_DEFAULTS[state.sort];
    return state;
  }

  /** The query string of a view, in a fixed order, without defaults ("" for the full table). */
  function stateToQuery(state) {
    var params = new URLSearchParams();
    state.tags.forEach(function (t) { params.append("tag", t); });
    if (state.match === "any") params.append("match", "any");
    state.venues.forEach(function (v) { params.append("venue", v); });
    if (state.from !== null) params.append("from", String(state.from));
    if (state.to !== null) params.append("to", String(state.to));
    state.levels.forEach(function (v) { params.append("level", v); });
    state.statuses.forEach(function (v) { params.append("status", v); });
    state.notes.forEach(function (v) { params.append("notes", v); });
    if (state.q.trim()) params.append("text", state.q);
    if (state.sort !== "year" || state.order !== "desc") {
      params.append("sort", state.sort);
      if (state.order !== SORT_DEFAULTS[state.sort]) params.append("order", state.order);
    }
    var query = params.toString();
    return query ? "?" + query : "";
  }

  function copyState(state) {
    var copy = {};
    Object.keys(state).forEach(function (key) {
      copy[key] = Array.isArray(state[key]) ? state[key].slice() : state[key];
    });
    return copy;
  }

  function toggle(list, value) {
    var i = list.indexOf(value);
    if (i >= 0) list.splice(i, 1);
    else list.push(value);
  }

  /* ---------------------------------------------------------------- filters */

  /** One pass over the papers: the matching ones in sort order, and the counts per tag and venue.
      A tag's count is what the table would show with that tag added (all-of) or among the papers
      that pass every other filter (any-of); a venue's count ignores the venue filter. */
  function compute(data, state) {
    var tagIds = state.tags.map(function (name) {
      return data.tagByName.has(name) ? data.tagByName.get(name) : -1;
    });
    var venueIds = new Set(state.venues.map(function (key) {
      var id = data.venueByKey.get(key.toLowerCase());
      return id === undefined ? -1 : id;
    }));
    var anyOf = state.match === "any";
    var levels = state.levels.length ? new Set(state.levels) : null;
    var statuses = state.statuses.length ? new Set(state.statuses) : null;
    var notes = state.notes.length ? new Set(state.notes) : null;
    var words = foldText(state.q).split(" ").filter(Boolean);
    var from = state.from;
    var to = state.to;
    var tagCounts = new Uint32Array(data.tags.length);
    var venueCounts = new Uint32Array(data.venues.length);
    var results = [];
    var order = sortedOrder(data, state.sort, state.order);
    var papers = data.papers;
    for (var n = 0; n < order.length; n++) {
      var i = order[n];
      var p = papers[i];
      if (from !== null && p.year < from) continue;
      if (to !== null && p.year > to) continue;
      if (levels && !levels.has(p.level)) continue;
      if (statuses && !statuses.has(p.status)) continue;
      if (notes && !notes.has(p.notes ? "with" : "without")) continue;
      if (words.length) {
        var found = true;
        for (var w = 0; w < words.length; w++) {
          if (p.hay.indexOf(words[w]) < 0) { found = false; break; }
        }
        if (!found) continue;
      }
      var tagOK = true;
      if (tagIds.length) {
        if (anyOf) {
          tagOK = false;
          for (var a = 0; a < tagIds.length; a++) if (p.tags.indexOf(tagIds[a]) >= 0) { tagOK = true; break; }
        } else {
          for (var b = 0; b < tagIds.length; b++) if (p.tags.indexOf(tagIds[b]) < 0) { tagOK = false; break; }
        }
      }
      var venueOK = venueIds.size === 0 || venueIds.has(p.venue);
      if (tagOK) venueCounts[p.venue]++;
      if (!venueOK) continue;
      if (tagOK) results.push(i);
      if (tagOK || anyOf) {
        for (var t = 0; t < p.tags.length; t++) tagCounts[p.tags[t]]++;
      }
    }
    return { results: results, tagCounts: tagCounts, venueCounts: venueCounts };
  }

  /* ---------------------------------------------------------------- exports */

  function csvCell(value) {
    var text = str(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text; // no formulas when a spreadsheet opens it
    return '"' + text.replace(/"/g, '""') + '"';
  }

  function toCsv(data, indexes, root) {
    var lines = [["id", "title", "venue", "year", "tags", "authors", "level", "status", "notes", "added", "summary", "url"].join(",")];
    indexes.forEach(function (i) {
      var p = data.papers[i];
      var url = siteUrl(p.url, root);
      lines.push([p.id, p.title, data.venues[p.venue].key, p.year,
        p.tags.map(function (t) { return data.tags[t].name; }).join("; "), p.authors.join("; "),
        p.level, p.status, p.notes ? "yes" : "no", p.added, p.summary, url ? url.href : ""].map(csvCell).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  /** The entries of a BibTeX file whose keys are wanted, in the file's order. */
  function pickBibtex(text, keys) {
    var out = [];
    var starts = [];
    var re = /^@/gm;
    var m;
    while ((m = re.exec(text)) !== null) starts.push(m.index);
    starts.forEach(function (start, n) {
      var entry = text.slice(start, n + 1 < starts.length ? starts[n + 1] : text.length);
      var key = /^@\s*\w+\s*[{(]\s*([^,\s]+)\s*,/.exec(entry);
      if (key && keys.has(key[1])) out.push(entry.replace(/\s+$/, ""));
    });
    return out.length ? out.join("\n\n") + "\n" : "";
  }

  function download(text, filename, type) {
    var blob = new Blob([text], { type: type });
    var link = document.createElement("a"); // never attached: no page script sees the click
    link.href = URL.createObjectURL(blob);
    link.download = filename;
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  /* --------------------------------------------------------------- explorer */

  function Explorer(root) {
    this.root = root;
    root.__rnExplorer = this;
    this.alive = true;
    this.base = new URL(root.getAttribute("data-root") || "./", location.href);
    this.path = location.pathname;
    this.limit = PAGE_SIZE;
    this.showAllTags = false;
    this.tagFilter = "";
    this.typing = false;
    this.rows = new Map(); // paper index → its <tr>, reused across renders
    this.picked = []; // ids ticked for the comparison (compare/?id=…), in the order they were ticked
    this.facets = new Map(); // "tag:GPU_sharing" → its facet button, reused across renders
    this.cleanup = [];
    var self = this;
    var dataUrl = siteUrl(root.getAttribute("data-papers") || "papers.json", new URL(location.href));
    var status = root.querySelector(".rn-explore__status");
    mark("rn-explore:start");
    if (!dataUrl) return;
    loadData(dataUrl.href).then(function (data) {
      if (!self.alive) return;
      self.data = data;
      self.state = stateFromUrl(location.search, data);
      self.build();
      self.render();
      measure("rn-explore:first-render", "rn-explore:start");
      self.warmSortOrders();
    }, function (error) {
      if (status) status.textContent = "Could not load the papers (" + str(error && error.message) + ").";
    });
  }

  /** Sort the papers in every other order while the browser is idle, so a sort click only renders. */
  Explorer.prototype.warmSortOrders = function () {
    var self = this;
    var later = window.requestIdleCallback || function (fn) { return setTimeout(fn, 50); };
    var pending = [];
    Object.keys(SORT_DEFAULTS).forEach(function (sort) { pending.push([sort, "asc"], [sort, "desc"]); });
    var next = function () {
      if (!self.alive || !pending.length) return;
      var order = pending.shift();
      sortedOrder(self.data, order[0], order[1]);
      later(next);
    };
    later(next);
  };

  Explorer.prototype.destroy = function () {
    this.alive = false;
    this.cleanup.forEach(function (fn) { fn(); });
    this.cleanup = [];
    if (this.root) this.root.__rnExplorer = null;
  };

  Explorer.prototype.listen = function (target, type, handler) {
    target.addEventListener(type, handler);
    this.cleanup.push(function () { target.removeEventListener(type, handler); });
  };

  /** Build the controls once; render() fills them for each state. */
  Explorer.prototype.build = function () {
    var self = this;
    var root = this.root;
    var data = this.data;
    root.replaceChildren();
    root.setAttribute("aria-busy", "false");

    var filters = el("div", "rn-explore__filters");
    var searchRow = el("div", "rn-explore__row rn-explore__row--search");
    var searchLabel = el("label", "rn-explore__search");
    searchLabel.appendChild(el("span", "rn-visually-hidden", "Filter by text"));
    this.textInput = el("input", "rn-explore__text");
    this.textInput.type = "search";
    this.textInput.placeholder = "Filter by title, author, venue, tag or summary";
    this.textInput.autocomplete = "off";
    this.textInput.spellcheck = false;
    searchLabel.appendChild(this.textInput);
    searchRow.appendChild(searchLabel);

    var match = el("fieldset", "rn-explore__match");
    match.appendChild(el("legend", "", "Tags must match"));
    this.matchInputs = {};
    [["all", "all"], ["any", "any"]].forEach(function (pair) {
      var label = el("label", "rn-explore__radio");
      var input = el("input");
      input.type = "radio";
      input.name = "rn-explore-match";
      input.value = pair[0];
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + pair[1]));
      match.appendChild(label);
      self.matchInputs[pair[0]] = input;
    });
    searchRow.appendChild(match);
    filters.appendChild(searchRow);

    var tagRow = el("div", "rn-explore__row");
    tagRow.appendChild(el("span", "rn-explore__label", "Tags"));
    this.tagList = el("div", "rn-explore__facets");
    this.tagList.setAttribute("role", "group");
    this.tagList.setAttribute("aria-label", "Tags");
    tagRow.appendChild(this.tagList);
    var tagTools = el("div", "rn-explore__tools");
    var tagFilterLabel = el("label");
    tagFilterLabel.appendChild(el("span", "rn-visually-hidden", "Find a tag"));
    this.tagFilterInput = el("input", "rn-explore__tag-filter");
    this.tagFilterInput.type = "search";
    this.tagFilterInput.placeholder = "Find a tag (" + data.tags.length + ")";
    this.tagFilterInput.autocomplete = "off";
    tagFilterLabel.appendChild(this.tagFilterInput);
    tagTools.appendChild(tagFilterLabel);
    this.moreTags = el("button", "rn-explore__more-tags");
    this.moreTags.type = "button";
    tagTools.appendChild(this.moreTags);
    tagRow.appendChild(tagTools);
    filters.appendChild(tagRow);

    var venueRow = el("div", "rn-explore__row");
    venueRow.appendChild(el("span", "rn-explore__label", "Venues"));
    this.venueList = el("div", "rn-explore__facets");
    this.venueList.setAttribute("role", "group");
    this.venueList.setAttribute("aria-label", "Venues");
    venueRow.appendChild(this.venueList);
    filters.appendChild(venueRow);

    var miscRow = el("div", "rn-explore__row rn-explore__row--misc");
    var years = el("div", "rn-explore__years");
    years.appendChild(el("span", "rn-explore__label", "Years"));
    this.fromInput = this.yearInput("From year");
    this.toInput = this.yearInput("To year");
    years.appendChild(this.fromInput.parentNode);
    years.appendChild(el("span", "rn-explore__dash", "–"));
    years.appendChild(this.toInput.parentNode);
    miscRow.appendChild(years);
    this.levelList = this.toggleGroup(miscRow, "Level", LEVELS, function (v) { return " " + LEVEL_LABELS[v]; }, "levels");
    LEVELS.forEach(function (v) { // the level's icon (a CSS mask; the emoji stays as hidden text)
      var icon = el("span", "rn-level rn-level--" + v, LEVEL_MARKS[v]);
      icon.setAttribute("aria-hidden", "true");
      this.levelList[v].insertBefore(icon, this.levelList[v].firstChild);
    }, this);
    this.statusList = this.toggleGroup(miscRow, "Status", STATUSES, function (v) { return STATUS_LABELS[v]; }, "statuses");
    this.notesList = this.toggleGroup(miscRow, "Notes", NOTES, function (v) { return NOTES_LABELS[v]; }, "notes");
    filters.appendChild(miscRow);
    root.appendChild(filters);

    var bar = el("div", "rn-explore__bar");
    this.count = el("p", "rn-explore__count");
    this.count.setAttribute("role", "status");
    this.count.setAttribute("aria-live", "polite");
    bar.appendChild(this.count);
    this.chosen = el("div", "rn-explore__chosen");
    bar.appendChild(this.chosen);
    var exports = el("div", "rn-explore__exports");
    this.csvButton = el("button", "md-button rn-explore__export", "Download CSV");
    this.csvButton.type = "button";
    exports.appendChild(this.csvButton);
    var bibtex = root.getAttribute("data-bibtex");
    this.bibtexUrl = bibtex ? siteUrl(bibtex, new URL(location.href)) : null;
    if (this.bibtexUrl) {
      this.bibButton = el("button", "md-button rn-explore__export", "Download BibTeX");
      this.bibButton.type = "button";
      exports.appendChild(this.bibButton);
    }
    this.compareLink = el("a", "md-button md-button--primary rn-explore__compare");
    this.compareLink.hidden = true;
    exports.appendChild(this.compareLink);
    bar.appendChild(exports);
    root.appendChild(bar);

    var wrap = el("div", "rn-explore__table-wrap");
    this.table = el("table", "rn-explore__table");
    var thead = el("thead");
    var headRow = el("tr");
    this.sortButtons = {};
    this.headCells = {};
    COLUMNS.forEach(function (column) {
      var th = el("th", "rn-explore__col rn-explore__col--" + column.key);
      th.scope = "col";
      if (column.sort) {
        var button = el("button", "rn-explore__sort", column.label);
        button.type = "button";
        button.setAttribute("data-sort", column.sort);
        th.appendChild(button);
        self.sortButtons[column.sort] = button;
      } else {
        th.textContent = column.label;
      }
      self.headCells[column.key] = th;
      headRow.appendChild(th);
    });
    thead.appendChild(headRow);
    this.table.appendChild(thead);
    this.tbody = el("tbody");
    this.table.appendChild(this.tbody);
    wrap.appendChild(this.table);
    root.appendChild(wrap);
    this.more = el("button", "md-button rn-explore__show-more");
    this.more.type = "button";
    root.appendChild(this.more);

    this.listen(root, "click", function (event) { self.onClick(event); });
    this.listen(root, "change", function (event) { self.onChange(event); });
    this.listen(root, "input", function (event) { self.onInput(event); });
    this.listen(window, "popstate", function () { self.syncFromUrl(); });
    if (window.location$ && typeof window.location$.subscribe === "function") {
      // mkdocs-material announces instant navigations here (e.g. the nav's "Explore" link while on
      // explore/?tag=…, which keeps the page and only changes the query)
      var subscription = window.location$.subscribe(function () {
        setTimeout(function () { self.syncFromUrl(); }, 0);
      });
      this.cleanup.push(function () { subscription.unsubscribe(); });
    }
  };

  Explorer.prototype.yearInput = function (label) {
    var wrap = el("label", "rn-explore__year");
    wrap.appendChild(el("span", "rn-visually-hidden", label));
    var input = el("input");
    input.type = "number";
    input.inputMode = "numeric";
    input.step = "1";
    if (this.data.minYear !== null) {
      input.min = String(this.data.minYear);
      input.max = String(this.data.maxYear);
      input.placeholder = String(label === "From year" ? this.data.minYear : this.data.maxYear);
    }
    wrap.appendChild(input);
    return input;
  };

  Explorer.prototype.toggleGroup = function (parent, label, values, text, field) {
    var group = el("div", "rn-explore__toggles");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", label);
    group.appendChild(el("span", "rn-explore__label", label));
    var buttons = {};
    values.forEach(function (value) {
      var button = el("button", "rn-explore-facet rn-explore-facet--" + value, text(value));
      button.type = "button";
      button.setAttribute("data-" + field, value);
      button.setAttribute("data-focus", field + ":" + value);
      group.appendChild(button);
      buttons[value] = button;
    });
    parent.appendChild(group);
    return buttons;
  };

  /** Show ``state`` and record it in the history (push: a new Back step; replace: amend this one). */
  Explorer.prototype.commit = function (state, how) {
    this.state = state;
    this.limit = PAGE_SIZE;
    var url = location.pathname + stateToQuery(state) + location.hash;
    if (url !== location.pathname + location.search + location.hash) {
      if (how === "replace") history.replaceState(history.state, "", url);
      else history.pushState(null, "", url);
    }
    this.render();
  };

  Explorer.prototype.syncFromUrl = function () {
    if (!this.alive || !this.data || location.pathname !== this.path) return;
    var state = stateFromUrl(location.search, this.data);
    if (stateToQuery(state) === stateToQuery(this.state)) return;
    this.state = state;
    this.limit = PAGE_SIZE;
    this.typing = false;
    this.render();
  };

  Explorer.prototype.onClick = function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var state = copyState(this.state);
    var link = target.closest("a[data-add-tag], a[data-add-venue]");
    if (link) {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      event.stopPropagation(); // not an instant navigation: the page stays, the view changes
      var tag = link.getAttribute("data-add-tag");
      var venue = link.getAttribute("data-add-venue");
      if (tag !== null && state.tags.indexOf(tag) < 0) state.tags.push(tag);
      if (venue !== null && state.venues.indexOf(venue) < 0) state.venues.push(venue);
      this.typing = false;
      this.commit(state, "push");
      return;
    }
    var button = target.closest("button");
    if (!button || !this.root.contains(button)) return;
    var d = button.dataset;
    if (d.tag !== undefined) toggle(state.tags, d.tag);
    else if (d.venue !== undefined) toggle(state.venues, d.venue);
    else if (d.levels !== undefined) toggle(state.levels, d.levels);
    else if (d.statuses !== undefined) toggle(state.statuses, d.statuses);
    else if (d.notes !== undefined) toggle(state.notes, d.notes);
    else if (d.remove !== undefined) this.removeChosen(state, d.remove, d.value);
    else if (d.sort !== undefined) {
      if (state.sort === d.sort) state.order = state.order === "asc" ? "desc" : "asc";
      else {
        state.sort = d.sort;
        state.order = SORT_DEFAULTS[d.sort];
      }
    } else if (button === this.moreTags) {
      this.showAllTags = !this.showAllTags;
      this.renderTags(this.lastTagCounts);
      return;
    } else if (button === this.more) {
      this.limit += PAGE_SIZE;
      this.renderRows(this.lastResults);
      return;
    } else if (button === this.csvButton) {
      download(toCsv(this.data, this.lastResults, this.base), "papers.csv", "text/csv;charset=utf-8");
      return;
    } else if (button === this.bibButton) {
      this.downloadBibtex();
      return;
    } else return;
    this.typing = false;
    this.commit(state, "push");
  };

  Explorer.prototype.removeChosen = function (state, kind, value) {
    if (kind === "all") {
      var fresh = emptyState();
      fresh.sort = state.sort;
      fresh.order = state.order;
      Object.keys(fresh).forEach(function (key) { state[key] = fresh[key]; });
    } else if (kind === "tag") toggle(state.tags, value);
    else if (kind === "venue") toggle(state.venues, value);
    else if (kind === "level") toggle(state.levels, value);
    else if (kind === "status") toggle(state.statuses, value);
    else if (kind === "notes") toggle(state.notes, value);
    else if (kind === "years") state.from = state.to = null;
    else if (kind === "q") state.q = "";
  };

  Explorer.prototype.onChange = function (event) {
    var target = event.target;
    if (target.classList && target.classList.contains("rn-explore__pick")) {
      var id = target.getAttribute("data-pick");
      this.picked = this.picked.filter(function (x) { return x !== id; });
      if (target.checked) this.picked.push(id);
      this.renderCompareLink();
      return;
    }
    var state = copyState(this.state);
    if (target.name === "rn-explore-match") {
      state.match = target.value === "any" ? "any" : "all";
    } else if (target === this.fromInput || target === this.toInput) {
      var value = target.value.trim();
      var year = /^\d{1,4}$/.test(value) ? parseInt(value, 10) : null;
      if (target === this.fromInput) state.from = year;
      else state.to = year;
    } else return;
    this.typing = false;
    this.commit(state, "push");
  };

  /** "Compare 3 papers": a link to compare/ with the ticked ids in its address. */
  Explorer.prototype.renderCompareLink = function () {
    var n = this.picked.length;
    this.compareLink.hidden = n === 0;
    this.compareLink.textContent = "Compare " + n + (n === 1 ? " paper" : " papers");
    this.compareLink.href = new URL("compare/" + compareQuery(this.picked), this.base).href;
  };

  Explorer.prototype.onInput = function (event) {
    if (event.target === this.textInput) {
      var state = copyState(this.state);
      state.q = this.textInput.value.slice(0, MAX_TEXT);
      // the first keystroke makes a Back step; the rest of the word amends it
      this.commit(state, this.typing ? "replace" : "push");
      this.typing = true;
    } else if (event.target === this.tagFilterInput) {
      this.tagFilter = this.tagFilterInput.value;
      this.renderTags(this.lastTagCounts);
    }
  };

  Explorer.prototype.downloadBibtex = function () {
    var self = this;
    var keys = new Set(this.lastResults.map(function (i) { return self.data.papers[i].citekey; }));
    fetchText(this.bibtexUrl.href).then(function (text) {
      download(pickBibtex(text, keys), "papers.bib", "application/x-bibtex;charset=utf-8");
    }, function () {
      self.count.textContent = "Could not load the BibTeX file.";
    });
  };

  /* ---------------------------------------------------------------- render */

  Explorer.prototype.render = function () {
    mark("rn-explore:render-start");
    var focus = document.activeElement && this.root.contains(document.activeElement)
      ? document.activeElement.getAttribute("data-focus") : null;
    var state = this.state;
    var result = compute(this.data, state);
    this.lastResults = result.results;
    this.lastTagCounts = result.tagCounts;
    if (this.textInput.value !== state.q) this.textInput.value = state.q;
    this.matchInputs.all.checked = state.match === "all";
    this.matchInputs.any.checked = state.match === "any";
    var from = state.from === null ? "" : String(state.from);
    var to = state.to === null ? "" : String(state.to);
    if (this.fromInput.value !== from) this.fromInput.value = from;
    if (this.toInput.value !== to) this.toInput.value = to;
    setPressed(this.levelList, state.levels);
    setPressed(this.statusList, state.statuses);
    setPressed(this.notesList, state.notes);
    this.renderTags(result.tagCounts);
    this.renderVenues(result.venueCounts);
    this.renderChosen();
    this.renderSort();
    this.renderRows(result.results);
    var total = this.data.papers.length;
    this.count.textContent = result.results.length === total
      ? total + (total === 1 ? " paper" : " papers")
      : result.results.length + " of " + total + " papers";
    this.root.setAttribute("data-results", String(result.results.length));
    if (focus) {
      var again = this.root.querySelector('[data-focus="' + cssEscape(focus) + '"]');
      if (again && again !== document.activeElement) again.focus();
    }
    measure("rn-explore:render", "rn-explore:render-start");
  };

  function cssEscape(text) {
    return window.CSS && CSS.escape ? CSS.escape(text) : text.replace(/["\\]/g, "\\$&");
  }

  function setPressed(buttons, values) {
    Object.keys(buttons).forEach(function (value) {
      buttons[value].setAttribute("aria-pressed", values.indexOf(value) >= 0 ? "true" : "false");
    });
  }

  /** Make ``parent``'s children exactly ``nodes``, moving only what changed (kept nodes cost nothing). */
  function syncChildren(parent, nodes) {
    var current = parent.firstChild;
    for (var i = 0; i < nodes.length; i++) {
      if (current === nodes[i]) current = current.nextSibling;
      else parent.insertBefore(nodes[i], current);
    }
    while (current) {
      var next = current.nextSibling;
      parent.removeChild(current);
      current = next;
    }
  }

  /** A facet button (a tag or a venue), kept per value and updated in place. */
  Explorer.prototype.facet = function (label, count, pressed, attr, value, extraClass) {
    var key = attr + ":" + value;
    var item = this.facets.get(key);
    if (!item) {
      var button = el("button", "rn-explore-facet" + (extraClass ? " " + extraClass : ""));
      button.type = "button";
      button.setAttribute("data-" + attr, value);
      button.setAttribute("data-focus", key);
      button.appendChild(el("span", "rn-explore-facet__name", label));
      var countNode = el("span", "rn-explore-facet__count");
      button.appendChild(countNode);
      item = { button: button, countNode: countNode, count: -1, pressed: null };
      this.facets.set(key, item);
    }
    if (item.count !== count) {
      item.count = count;
      item.countNode.textContent = String(count);
      item.button.setAttribute("aria-label", label + ": " + count + (count === 1 ? " paper" : " papers"));
    }
    if (item.pressed !== pressed) {
      item.pressed = pressed;
      item.button.setAttribute("aria-pressed", pressed ? "true" : "false");
    }
    return item.button;
  };

  Explorer.prototype.renderTags = function (counts) {
    var data = this.data;
    var chosen = this.state.tags;
    var filter = foldText(this.tagFilter);
    var shown = [];
    var candidates = 0;
    for (var i = 0; i < data.tags.length; i++) {
      var tag = data.tags[i];
      if (chosen.indexOf(tag.name) >= 0) continue;
      if (filter ? tag.fold.indexOf(filter) < 0 : counts[i] === 0) continue;
      candidates++;
      shown.push(i);
    }
    shown.sort(function (a, b) { return counts[b] - counts[a] || cmp(data.tags[a].fold, data.tags[b].fold); });
    var top = window.matchMedia && matchMedia("(max-width: 44.9375em)").matches ? TOP_TAGS_NARROW : TOP_TAGS;
    var limit = this.showAllTags ? shown.length : filter ? 100 : top;
    var self = this;
    var nodes = [];
    chosen.forEach(function (name) {
      var id = data.tagByName.has(name) ? data.tagByName.get(name) : -1;
      nodes.push(self.facet("#" + name, id >= 0 ? counts[id] : 0, true, "tag", name, "rn-explore-facet--tag"));
    });
    for (var k = 0; k < shown.length && k < limit; k++) {
      var tagId = shown[k];
      nodes.push(this.facet("#" + data.tags[tagId].name, counts[tagId], false, "tag", data.tags[tagId].name, "rn-explore-facet--tag"));
    }
    if (!nodes.length) nodes.push(el("span", "rn-explore__none", filter ? "No tag matches." : "No tags."));
    syncChildren(this.tagList, nodes);
    var hidden = candidates - Math.min(limit, shown.length);
    this.moreTags.hidden = !this.showAllTags && hidden <= 0;
    this.moreTags.textContent = this.showAllTags ? "Fewer tags" : "All tags (+" + hidden + ")";
    this.moreTags.setAttribute("aria-expanded", this.showAllTags ? "true" : "false");
  };

  Explorer.prototype.renderVenues = function (counts) {
    var data = this.data;
    var chosen = this.state.venues;
    var ids = [];
    for (var i = 0; i < data.venues.length; i++) {
      if (counts[i] > 0 && chosen.indexOf(data.venues[i].key) < 0) ids.push(i);
    }
    ids.sort(function (a, b) { return counts[b] - counts[a] || cmp(data.venues[a].fold, data.venues[b].fold); });
    var self = this;
    var nodes = [];
    chosen.forEach(function (key) {
      var id = data.venueByKey.get(key.toLowerCase());
      var button = self.facet(key, id !== undefined ? counts[id] : 0, true, "venue", key);
      if (id !== undefined) button.title = data.venues[id].name;
      nodes.push(button);
    });
    ids.forEach(function (id) {
      var button = self.facet(data.venues[id].key, counts[id], false, "venue", data.venues[id].key);
      button.title = data.venues[id].name;
      nodes.push(button);
    });
    if (!nodes.length) nodes.push(el("span", "rn-explore__none", "No venues."));
    syncChildren(this.venueList, nodes);
  };

  Explorer.prototype.renderChosen = function () {
    var state = this.state;
    var fragment = document.createDocumentFragment();
    var add = function (label, kind, value) {
      var button = el("button", "rn-explore-chosen");
      button.type = "button";
      button.setAttribute("data-remove", kind);
      button.setAttribute("data-value", value);
      button.setAttribute("data-focus", "remove:" + kind + ":" + value);
      button.setAttribute("aria-label", "Remove filter " + label);
      button.appendChild(el("span", "", label));
      button.appendChild(el("span", "rn-explore-chosen__x", "×"));
      fragment.appendChild(button);
    };
    state.tags.forEach(function (t) { add("#" + t, "tag", t); });
    state.venues.forEach(function (v) { add(v, "venue", v); });
    if (state.from !== null || state.to !== null) {
      add((state.from !== null ? state.from : "…") + "–" + (state.to !== null ? state.to : "…"), "years", "");
    }
    state.levels.forEach(function (v) { add(LEVEL_LABELS[v], "level", v); });
    state.statuses.forEach(function (v) { add(v, "status", v); });
    state.notes.forEach(function (v) { add(NOTES_LABELS[v], "notes", v); });
    if (state.q.trim()) add("“" + state.q.trim() + "”", "q", "");
    if (fragment.childNodes.length > 1) add("Clear all", "all", "");
    this.chosen.replaceChildren(fragment);
  };

  Explorer.prototype.renderSort = function () {
    var state = this.state;
    var self = this;
    COLUMNS.forEach(function (column) {
      var th = self.headCells[column.key];
      if (column.sort === state.sort) th.setAttribute("aria-sort", state.order === "asc" ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
      if (column.sort) {
        var button = self.sortButtons[column.sort];
        button.setAttribute("data-focus", "sort:" + column.sort);
        button.setAttribute("data-arrow", column.sort === state.sort ? (state.order === "asc" ? "↑" : "↓") : "");
        button.title = "Sort by " + column.label.toLowerCase();
      }
    });
  };

  /** One paper's row; built once and kept (rows come back as filters change), see renderRows. */
  Explorer.prototype.buildRow = function (p) {
    var data = this.data;
    var venue = data.venues[p.venue];
    var tr = el("tr", "rn-explore__paper rn-paper--" + p.status);

    var title = el("td", "rn-explore__col--title");
    var url = siteUrl(p.url, this.base);
    var titleLink = el(url ? "a" : "span", "rn-explore__title", p.title);
    if (url) titleLink.href = url.href;
    var pick = el("input", "rn-explore__pick");
    pick.type = "checkbox";
    pick.setAttribute("data-pick", p.id);
    pick.setAttribute("aria-label", "Compare " + p.title);
    pick.checked = this.picked.indexOf(p.id) >= 0;
    title.appendChild(pick);
    title.appendChild(titleLink);
    if (p.notes) {
      var mark = el("span", "rn-notes", "✎");
      mark.title = "Has written reading notes";
      mark.setAttribute("aria-label", "has notes");
      title.appendChild(document.createTextNode(" "));
      title.appendChild(mark);
    }
    if (p.summary) title.appendChild(el("span", "rn-explore__summary", p.summary));
    tr.appendChild(title);

    var venueCell = el("td", "rn-explore__col--venue");
    var venueLink = el("a", "rn-explore__venue", venue.key);
    venueLink.setAttribute("data-add-venue", venue.key);
    venueLink.title = venue.name;
    venueCell.appendChild(venueLink);
    tr.appendChild(venueCell);
    var links = [[venueLink, "venue=" + encodeURIComponent(venue.key), null]];

    tr.appendChild(el("td", "rn-explore__col--year", p.year || ""));

    var tagsCell = el("td", "rn-explore__col--tags");
    for (var t = 0; t < p.tags.length; t++) {
      var tag = data.tags[p.tags[t]];
      var chip = el("a", "rn-tag", "#" + tag.name);
      chip.setAttribute("data-add-tag", tag.name);
      chip.title = "Add #" + tag.name + " to the filters";
      tagsCell.appendChild(chip);
      links.push([chip, "tag=" + encodeURIComponent(tag.name), tag.name]);
    }
    tr.appendChild(tagsCell);

    var level = el("td", "rn-explore__col--level");
    if (p.level) {
      var mark = el("span", "rn-level rn-level--" + p.level, LEVEL_MARKS[p.level]);
      mark.setAttribute("aria-hidden", "true");
      level.appendChild(mark);
      level.appendChild(el("span", "rn-explore__level-name", " " + LEVEL_LABELS[p.level]));
    }
    tr.appendChild(level);
    tr.appendChild(el("td", "rn-explore__col--status rn-explore__status--" + p.status, STATUS_LABELS[p.status]));
    tr.appendChild(el("td", "rn-explore__col--added", p.added));
    tr.__rnLinks = links;
    tr.__rnQuery = null;
    return tr;
  };

  Explorer.prototype.renderRows = function (results) {
    var data = this.data;
    var state = this.state;
    var chosen = new Set(state.tags);
    // a tag or venue in a row links to this view plus that filter (a click is handled in place)
    var query = location.pathname + stateToQuery(state);
    var join = query.indexOf("?") >= 0 ? "&" : "?";
    if (this.rows.size > 5000) this.rows.clear();
    var nodes = [];
    var end = Math.min(results.length, this.limit);
    for (var n = 0; n < end; n++) {
      var tr = this.rows.get(results[n]);
      if (!tr) {
        tr = this.buildRow(data.papers[results[n]]);
        this.rows.set(results[n], tr);
      }
      if (tr.__rnQuery !== query) {
        tr.__rnQuery = query;
        for (var l = 0; l < tr.__rnLinks.length; l++) {
          var link = tr.__rnLinks[l];
          link[0].href = query + join + link[1];
          if (link[2] !== null) link[0].className = chosen.has(link[2]) ? "rn-tag rn-explore-tag--chosen" : "rn-tag";
        }
      }
      nodes.push(tr);
    }
    syncChildren(this.tbody, nodes); // rows that stay in place are not touched: no style or layout work
    if (!results.length) {
      var empty = el("tr", "rn-explore__empty");
      var cell = el("td", "", "No paper matches these filters.");
      cell.colSpan = COLUMNS.length;
      empty.appendChild(cell);
      this.tbody.appendChild(empty);
    }
    var rest = results.length - end;
    this.more.hidden = rest <= 0;
    this.more.textContent = "Show " + Math.min(rest, PAGE_SIZE) + " more (" + rest + " not shown)";
  };

  /* ---------------------------------------------------------------- compare */
  /* compare/?id=orca&id=vllm: the papers named in the address, side by side. The address is the
     state: removing or adding a paper pushes a new address, and Back/Forward move between them. */

  var MAX_COMPARE = 12; // papers side by side, at most
  var COMPARE_ROWS = [
    ["venue", "Venue"], ["year", "Year"], ["tags", "Tags"], ["buildsOn", "Builds on"],
    ["comparesWith", "Compares with"], ["each", "With each other"], ["hardware", "Hardware"],
    ["workloads", "Workloads"], ["result", "Result"]
  ];

  function idsFromUrl(search) {
    var ids = [];
    new URLSearchParams(search).getAll("id").slice(0, MAX_PARAMS).forEach(function (raw) {
      var id = raw.trim().slice(0, MAX_TEXT);
      if (id && ids.indexOf(id) < 0 && ids.length < MAX_COMPARE) ids.push(id);
    });
    return ids;
  }

  function compareQuery(ids) {
    var params = new URLSearchParams();
    ids.forEach(function (id) { params.append("id", id); });
    var query = params.toString();
    return query ? "?" + query : "";
  }

  function indexById(data) {
    if (!data.byId) {
      data.byId = new Map();
      data.papers.forEach(function (p, i) { data.byId.set(p.id, i); });
    }
    return data.byId;
  }

  /** How paper ``p`` relates to the other chosen papers: ["builds on", q], ["compared with by", q] … */
  function mutualRelations(p, chosen) {
    var out = [];
    chosen.forEach(function (q) {
      if (q === p) return;
      if (p.buildsOn.indexOf(q.id) >= 0) out.push(["builds on", q]);
      if (p.comparesWith.indexOf(q.id) >= 0) out.push(["compares with", q]);
      if (q.buildsOn.indexOf(p.id) >= 0) out.push(["built on by", q]);
      if (q.comparesWith.indexOf(p.id) >= 0) out.push(["compared with by", q]);
    });
    return out;
  }

  function compareCsv(data, chosen, root) {
    var lines = [["id", "title", "venue", "year", "tags", "builds_on", "compares_with", "with_each_other",
      "hardware", "workloads", "result", "url"].join(",")];
    chosen.forEach(function (p) {
      var url = siteUrl(p.url, root);
      var each = mutualRelations(p, chosen).map(function (r) { return r[0] + " " + r[1].id; }).join("; ");
      lines.push([p.id, p.title, data.venues[p.venue].key, p.year,
        p.tags.map(function (t) { return data.tags[t].name; }).join("; "), p.buildsOn.join("; "),
        p.comparesWith.join("; "), each, p.evaluation.hardware, p.evaluation.workloads.join("; "),
        p.evaluation.result, url ? url.href : ""].map(csvCell).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  function Compare(root) {
    this.root = root;
    root.__rnExplorer = this;
    this.alive = true;
    this.cleanup = [];
    this.base = new URL(root.getAttribute("data-root") || "./", location.href);
    this.status = root.querySelector(".rn-explore-compare__status");
    var self = this;
    var dataUrl = siteUrl(root.getAttribute("data-papers") || "papers.json", new URL(location.href));
    if (!dataUrl) return;
    loadData(dataUrl.href).then(function (data) {
      if (!self.alive) return;
      self.data = data;
      self.build();
      self.render();
    }, function (error) {
      if (self.status) self.status.textContent = "Could not load the papers (" + str(error && error.message) + ").";
    });
  }

  Compare.prototype.destroy = Explorer.prototype.destroy;
  Compare.prototype.listen = Explorer.prototype.listen;

  Compare.prototype.build = function () {
    var self = this;
    var bar = el("div", "rn-explore-compare__bar");
    var label = el("label", "rn-explore-compare__add");
    label.appendChild(el("span", "", "Add a paper "));
    this.addInput = el("input", "rn-explore-compare__add-input");
    this.addInput.type = "search";
    this.addInput.placeholder = "id, e.g. orca";
    this.addInput.setAttribute("list", "rn-explore-compare-ids");
    label.appendChild(this.addInput);
    bar.appendChild(label);
    this.options = el("datalist");
    this.options.id = "rn-explore-compare-ids";
    bar.appendChild(this.options);
    this.csvButton = el("button", "md-button rn-explore-compare__export", "Download CSV");
    this.csvButton.type = "button";
    bar.appendChild(this.csvButton);
    this.root.appendChild(bar);
    this.wrap = el("div", "rn-explore-compare__wrap");
    this.root.appendChild(this.wrap);
    this.listen(this.root, "click", function (event) { self.onClick(event); });
    this.listen(this.root, "change", function (event) { if (event.target === self.addInput) self.add(self.addInput.value); });
    this.listen(this.addInput, "focus", function () { self.fillOptions(); });
    this.listen(window, "popstate", function () { self.render(); });
    if (window.location$ && typeof window.location$.subscribe === "function") {
      var subscription = window.location$.subscribe(function () { setTimeout(function () { if (self.alive) self.render(); }, 0); });
      this.cleanup.push(function () { subscription.unsubscribe(); });
    }
  };

  /** The add box suggests every paper (built on first focus: thousands of options cost time). */
  Compare.prototype.fillOptions = function () {
    if (this.options.childNodes.length) return;
    var frag = document.createDocumentFragment();
    this.data.papers.forEach(function (p) {
      var option = el("option");
      option.value = p.id;
      option.label = p.title;
      frag.appendChild(option);
    });
    this.options.appendChild(frag);
  };

  Compare.prototype.go = function (ids) {
    history.pushState(null, "", location.pathname + compareQuery(ids));
    this.render();
  };

  Compare.prototype.add = function (value) {
    var id = str(value).trim();
    var ids = idsFromUrl(location.search);
    if (!indexById(this.data).has(id) || ids.indexOf(id) >= 0 || ids.length >= MAX_COMPARE) return;
    this.addInput.value = "";
    this.go(ids.concat([id]));
  };

  Compare.prototype.onClick = function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var button = target && target.closest("button");
    if (!button || !this.root.contains(button)) return;
    if (button === this.csvButton) {
      download(compareCsv(this.data, this.chosen, this.base), "compare.csv", "text/csv;charset=utf-8");
    } else if (button.hasAttribute("data-remove")) {
      var gone = button.getAttribute("data-remove");
      this.go(idsFromUrl(location.search).filter(function (id) { return id !== gone; }));
    }
  };

  Compare.prototype.paperLink = function (p, className) {
    var url = siteUrl(p.url, this.base);
    var link = el(url ? "a" : "span", className, p.title);
    if (url) link.href = url.href;
    return link;
  };

  /** A list of paper ids as links to the papers (those chosen here are marked). */
  Compare.prototype.idList = function (ids, chosenIds) {
    var self = this;
    var byId = indexById(this.data);
    var list = el("ul", "rn-explore-compare__list");
    ids.forEach(function (id) {
      var item = el("li", chosenIds.has(id) ? "rn-explore-compare__here" : "");
      if (byId.has(id)) item.appendChild(self.paperLink(self.data.papers[byId.get(id)], ""));
      else item.textContent = id;
      list.appendChild(item);
    });
    return list;
  };

  Compare.prototype.cell = function (p, key, chosen, chosenIds) {
    var data = this.data;
    var td = el("td", "rn-explore-compare__cell rn-explore-compare__cell--" + key);
    var self = this;
    if (key === "venue") {
      td.textContent = data.venues[p.venue].key;
      td.title = data.venues[p.venue].name;
    } else if (key === "year") td.textContent = p.year || "";
    else if (key === "tags") {
      var chips = el("span", "rn-tags");
      p.tags.forEach(function (t) {
        var tag = data.tags[t];
        var url = siteUrl(tag.url, self.base);
        var chip = el(url ? "a" : "span", "rn-tag", "#" + tag.name);
        if (url) chip.href = url.href;
        chips.appendChild(chip);
      });
      td.appendChild(chips);
    } else if (key === "buildsOn" || key === "comparesWith") {
      if (p[key].length) td.appendChild(this.idList(p[key], chosenIds));
    } else if (key === "each") {
      var found = mutualRelations(p, chosen);
      if (!found.length) td.appendChild(el("span", "rn-explore-compare__none", chosen.length > 1 ? "no relation" : ""));
      found.forEach(function (r) {
        var line = el("p", "rn-explore-compare__rel");
        line.appendChild(el("span", "rn-refby__kind", r[0]));
        line.appendChild(document.createTextNode(" "));
        line.appendChild(self.paperLink(r[1], ""));
        td.appendChild(line);
      });
    } else if (key === "workloads") td.textContent = p.evaluation.workloads.join("; ");
    else td.textContent = p.evaluation[key];
    return td;
  };

  Compare.prototype.render = function () {
    var data = this.data;
    var byId = indexById(data);
    var ids = idsFromUrl(location.search);
    var unknown = ids.filter(function (id) { return !byId.has(id); });
    var chosen = ids.filter(function (id) { return byId.has(id); }).map(function (id) { return data.papers[byId.get(id)]; });
    var chosenIds = new Set(chosen.map(function (p) { return p.id; }));
    this.chosen = chosen;
    this.csvButton.hidden = !chosen.length;
    var note = chosen.length ? chosen.length + (chosen.length === 1 ? " paper" : " papers") + " side by side."
      : "No paper chosen yet: tick papers in Explore and choose Compare, or add one here.";
    if (unknown.length) note += " Not found: " + unknown.join(", ") + ".";
    if (this.status) this.status.textContent = note;
    while (this.wrap.firstChild) this.wrap.removeChild(this.wrap.firstChild);
    if (!chosen.length) return;
    var self = this;
    var table = el("table", "rn-explore-compare__table");
    var head = el("tr");
    head.appendChild(el("td", "rn-explore-compare__corner"));
    chosen.forEach(function (p) {
      var th = el("th", "rn-explore-compare__paper");
      th.scope = "col";
      th.appendChild(self.paperLink(p, "rn-explore-compare__title"));
      var remove = el("button", "rn-explore-compare__remove", "×");
      remove.type = "button";
      remove.setAttribute("data-remove", p.id);
      remove.setAttribute("aria-label", "Remove " + p.title);
      remove.title = "Remove from the comparison";
      th.appendChild(remove);
      head.appendChild(th);
    });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var tbody = el("tbody");
    COMPARE_ROWS.forEach(function (row) {
      var tr = el("tr", "rn-explore-compare__row rn-explore-compare__row--" + row[0]);
      var th = el("th", "", row[1]);
      th.scope = "row";
      tr.appendChild(th);
      chosen.forEach(function (p) { tr.appendChild(self.cell(p, row[0], chosen, chosenIds)); });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    this.wrap.appendChild(table);
  };


  // The page links this script inside the part of the page that instant navigation swaps
  // (generator/theme/main.html), so it runs again on every page that uses it: only the first run
  // subscribes. document$ replays the last page to a late subscriber and then announces the page
  // this script came with: one page container, one mount().
  if (window.__rnExplore) return;
  window.__rnExplore = true;
  var seenContainer = null;
  function onPage() {
    var container = document.querySelector("[data-md-component=container]") || document.body;
    if (container === seenContainer) return;
    seenContainer = container;
    mount();
  }
  function start() {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(onPage);
    } else {
      onPage();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
