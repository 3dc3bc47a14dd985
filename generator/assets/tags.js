/* The tags index: a filter box and a sort toggle (by count / by name). Without this script the page
   is the complete list (tags on several papers by count, the tags used once folded below). Only DOM
   calls and textContent: tag names never become HTML. */
(function () {
  "use strict";

  function chips(root) {
    return Array.prototype.slice.call(root.querySelectorAll(".rn-tagindex-list > a"));
  }

  function nameOf(chip) {
    return (chip.firstChild && chip.firstChild.nodeValue ? chip.firstChild.nodeValue : chip.textContent).replace(/^#/, "");
  }

  function countOf(chip) {
    var span = chip.querySelector("span");
    return span ? Number(span.textContent) || 0 : 0;
  }

  function sortInto(list, items, byName) {
    items.sort(function (a, b) {
      var diff = byName ? 0 : countOf(b) - countOf(a);
      return diff || nameOf(a).toLowerCase().localeCompare(nameOf(b).toLowerCase());
    });
    items.forEach(function (item) { list.appendChild(item); });
  }

  function mount(tools) {
    if (tools.getAttribute("data-rn-mounted")) return;
    tools.setAttribute("data-rn-mounted", "1");
    var root = tools.parentNode;
    var main = root.querySelector("[data-rn-tagindex-list]");
    var once = root.querySelector("[data-rn-tagindex-once]");
    var all = chips(root);
    var filter = document.createElement("input");
    filter.type = "search";
    filter.className = "rn-tagindex-filter";
    filter.placeholder = "Filter tags";
    filter.setAttribute("aria-label", "Filter tags");
    var sort = document.createElement("button");
    sort.type = "button";
    sort.className = "rn-tagindex-sort";
    var status = document.createElement("span");
    status.className = "rn-tagindex-status";
    status.setAttribute("aria-live", "polite");
    tools.appendChild(filter);
    tools.appendChild(sort);
    tools.appendChild(status);
    var byName = false;

    function update() {
      var words = filter.value.toLowerCase().replace(/[\s_-]+/g, " ").trim();
      var shown = 0;
      all.forEach(function (chip) {
        var hit = !words || nameOf(chip).toLowerCase().replace(/[\s_-]+/g, " ").indexOf(words) !== -1;
        chip.hidden = !hit;
        if (hit) shown += 1;
      });
      if (once && words) once.open = true;
      status.textContent = words ? shown + " of " + all.length + " tags" : "";
      sort.textContent = byName ? "Sort by count" : "Sort by name";
      sort.setAttribute("aria-pressed", byName ? "true" : "false");
    }

    sort.addEventListener("click", function () {
      byName = !byName;
      if (byName) {
        // one alphabetical list: the folded tags join it
        sortInto(main, all, true);
        if (once) once.hidden = true;
      } else {
        var several = all.filter(function (c) { return countOf(c) > 1; });
        var single = all.filter(function (c) { return countOf(c) <= 1; });
        sortInto(main, several, false);
        if (once) {
          sortInto(once.querySelector(".rn-tagindex-list"), single, true);
          once.hidden = false;
        }
      }
      update();
    });
    filter.addEventListener("input", update);
    tools.hidden = false;
    update();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-rn-tags]"), mount);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);  // instant navigation swaps the page without a new load
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
