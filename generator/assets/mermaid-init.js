/* Mermaid diagrams in notes. Every page loads this small file; the Mermaid library itself
   (vendor/mermaid.min.js, shipped with the site: no CDN) is loaded only when the page has a
   ```mermaid fence, which pymdownx.superfences writes as <div class="mermaid">source as text</div>.
   securityLevel "strict": click callbacks and links in a diagram do nothing and labels are text.
   Re-run on the theme's instant navigation (document$), which swaps the page without reloading. */
(function () {
  "use strict";
  var self = document.currentScript;
  var library = new URL("vendor/mermaid.min.js", self ? self.src : location.href).href;
  var loading = null;
  // The page's policy is the one the document was loaded with: a page reached by instant navigation
  // keeps the first page's (the theme may swap the <meta> in <head>, which loosens nothing). Only
  // pages with a diagram allow Mermaid's inline styles, so a diagram page reached that way is loaded
  // afresh. Whether this document was loaded at this address is what the navigation entry says.
  function loadedHere() {
    var entry = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    if (!entry) return true;
    var loaded = new URL(entry.name), here = new URL(location.href);
    return loaded.pathname === here.pathname && loaded.search === here.search;
  }

  function load() {
    if (window.mermaid) return Promise.resolve(window.mermaid);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = library;
        script.onload = function () { resolve(window.mermaid); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function render() {
    var nodes = document.querySelectorAll("div.mermaid:not([data-processed])");
    if (!nodes.length) return;
    if (!loadedHere()) { location.reload(); return; }
    load().then(function (mermaid) {
      var dark = document.body.getAttribute("data-md-color-scheme") === "slate";
      mermaid.initialize({
        startOnLoad: false,
        securityLevel: "strict",
        theme: dark ? "dark" : "default",
        htmlLabels: false,
        flowchart: { htmlLabels: false },
        maxTextSize: 20000,
        maxEdges: 200,
      });
      return mermaid.run({ nodes: nodes, suppressErrors: true });
    }).catch(function () { /* the diagram's source stays on the page as text */ });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(render);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
