/* Mermaid diagrams in notes, drawn as images under the site's strict Content-Security-Policy.
   A ```mermaid fence reaches the page as <div class="mermaid">source as text</div>
   (pymdownx.superfences); this file is on the pages that have one, and loads the Mermaid library
   (vendor/mermaid.min.js, shipped with the site: no CDN) when it finds one.

   Each diagram is drawn with mermaid.render() in an off-screen box, and the SVG it returns is shown
   as an <img> from a data: URL: an SVG loaded as an image runs no script and loads nothing, and the
   <style> inside it is the image's own, not governed by the page's style-src. So no page needs
   'unsafe-inline'. While Mermaid lays the diagram out in the live page it would add a <style>
   element and set style="" attributes, which the policy refuses (and reports); for that one call,
   nodes inside the off-screen box get them the CSSOM way instead, which the policy allows for the
   page's own scripts: the <style> becomes a constructed stylesheet (removed afterwards, and its text
   put back into the image's SVG) and a style attribute becomes element.style.cssText (and the
   markup Mermaid's sanitizer parses is marked: see marked()). Markup from a note gets none of
   this: the policy still refuses any inline style or handler in it.

   securityLevel "strict": click callbacks and links in a diagram do nothing (an image has none at
   all) and labels are text (htmlLabels off). The image's alt text is the diagram's accTitle and
   accDescr, or else its kind and its labels; it is set as a property, never as markup. The Mermaid
   theme follows the palette (dark on "slate"), drawn again when the reader switches it. */
(function () {
  "use strict";
  // The page links this script inside the part that instant navigation swaps (generator/theme/
  // main.html), so it runs again on every page with a diagram: only the first run sets up.
  if (window.__rnMermaidLoaded) return;
  window.__rnMermaidLoaded = true;
  var self = document.currentScript;
  var library = new URL("vendor/mermaid.min.js", self ? self.src : location.href).href;
  var FONT = '"trebuchet ms", verdana, arial, sans-serif';
  var ALT_LIMIT = 600;  // characters of labels in a generated alt text
  var loading = null, count = 0, drawing = Promise.resolve();
  var sources = new WeakMap();  // each diagram's <div> → its source text, for drawing it again
  // names that Mermaid's style attributes and handlers have while markup is parsed (see marked);
  // random, so no label can spell them
  var MARK = "rn" + Math.random().toString(36).slice(2, 10) + "-", STYLE_MARK = "data-" + MARK + "style";

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

  function darkPalette() {
    return document.body.getAttribute("data-md-color-scheme") === "slate";
  }

  // Markup as Mermaid's sanitizer parses it, and back. Parsing markup with a style attribute or an
  // event handler attribute is refused and reported even in an inert document (which runs nothing),
  // so style attributes are renamed to STYLE_MARK and handlers get MARK in front of their names
  // (an attribute the sanitizer then drops). Both are one-to-one changes of text (no text can hold
  // the random marks): whatever they hit, attribute or text, unmarked comes back as it was.
  var HANDLER = /([\s\/"'])(on[a-z]+\s*=)/gi, WHOLE_PAGE = /^\s*<(?:!doctype|html)/i;
  function marked(markup) {
    return markup.split(' style="').join(" " + STYLE_MARK + '="').replace(HANDLER, "$1" + MARK + "$2");
  }
  function unmarked(markup) {
    return markup.split(" " + STYLE_MARK + '="').join(' style="').split(MARK).join("");
  }

  // While fn() runs, Mermaid's styles go through the CSSOM, which the policy allows for the page's
  // own scripts, instead of markup, which it refuses (and reports): a <style> inserted inside box
  // becomes a constructed stylesheet, a style attribute set there element.style.cssText; and the
  // markup Mermaid's sanitizer parses (its own serialized SVG, in an inert document, where a style
  // attribute is refused all the same) is marked (see marked).
  function styledThroughCssom(box, sheets, fn) {
    var insertBefore = Node.prototype.insertBefore, appendChild = Node.prototype.appendChild;
    var setAttribute = Element.prototype.setAttribute, parse = DOMParser.prototype.parseFromString;
    function adopt(node, parent) {
      var isStyle = node instanceof HTMLStyleElement || node instanceof SVGStyleElement;
      if (!isStyle || !box.contains(parent)) return false;
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(node.textContent);
      sheets.push({ text: node.textContent, sheet: sheet });
      document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
      return true;
    }
    Node.prototype.insertBefore = function (node, before) {
      return adopt(node, this) ? node : insertBefore.call(this, node, before);
    };
    Node.prototype.appendChild = function (node) {
      return adopt(node, this) ? node : appendChild.call(this, node);
    };
    Element.prototype.setAttribute = function (name, value) {
      if (String(name).toLowerCase() === "style" && this.style && (box.contains(this) || !this.isConnected)) {
        this.style.cssText = String(value);
        return;
      }
      return setAttribute.call(this, name, value);
    };
    DOMParser.prototype.parseFromString = function (markup, type) {
      markup = String(markup);  // a whole page is the theme's instant navigation, not Mermaid: as it is
      return parse.call(this, WHOLE_PAGE.test(markup) ? markup : marked(markup), type);
    };
    function restore() {
      Node.prototype.insertBefore = insertBefore;
      Node.prototype.appendChild = appendChild;
      Element.prototype.setAttribute = setAttribute;
      DOMParser.prototype.parseFromString = parse;
    }
    var result;
    try { result = fn(); } catch (error) { restore(); throw error; }
    return Promise.resolve(result).finally(restore);
  }

  function escapeXml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // The SVG Mermaid returned as an image of its own: a fixed size, its style attributes and its
  // stylesheet back in. Parsed while it has neither (parsing either would be refused, see above);
  // they are put back into the serialized text, which no page parses (only the image decoder).
  function imageSvg(svgText, styles) {
    var svg = new DOMParser().parseFromString(marked(svgText), "image/svg+xml").documentElement;
    if (svg.namespaceURI !== "http://www.w3.org/2000/svg") return null;
    var box = svg.viewBox && svg.viewBox.baseVal;
    if (!box || !box.width || !box.height) return null;
    var width = Math.ceil(box.width), height = Math.ceil(box.height);
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(height));
    svg.removeAttribute(STYLE_MARK);  // max-width: the page's stylesheet sizes the image
    var text = new XMLSerializer().serializeToString(svg);
    var rootEnd = text.indexOf(">") + 1;  // attribute values are serialized with &gt;
    var css = "<style>" + escapeXml(styles.map(function (s) { return s.text; }).join("\n")) + "</style>";
    text = text.slice(0, rootEnd) + css + text.slice(rootEnd);
    return { svg: svg, width: width, height: height, text: unmarked(text) };
  }

  function altText(svg) {
    function text(selector) {
      var el = svg.querySelector(selector);
      return el ? unmarked(el.textContent).replace(/\s+/g, " ").trim() : "";
    }
    var described = [text(":scope > title"), text(":scope > desc")].filter(Boolean).join(": ");
    if (described) return described;
    var labels = [];
    svg.querySelectorAll("text").forEach(function (t) {
      var words = t.querySelectorAll("tspan:not(:has(tspan))");  // a wrapped label's words and lines
      var parts = words.length ? Array.prototype.map.call(words, function (w) { return w.textContent; }) : [t.textContent];
      var label = unmarked(parts.join(" ")).replace(/\s+/g, " ").trim();
      if (label && labels.indexOf(label) < 0) labels.push(label);
    });
    var kind = svg.getAttribute("aria-roledescription") || "diagram";
    var alt = "Diagram (" + kind + ")" + (labels.length ? ": " + labels.join("; ") : "");
    return alt.length > ALT_LIMIT ? alt.slice(0, ALT_LIMIT - 1) + "…" : alt;
  }

  function draw(mermaid, div) {
    var source = sources.get(div);
    var box = document.createElement("div");
    box.style.position = "absolute";  // CSSOM: allowed by the policy, unlike a style attribute
    box.style.left = "-10000px";
    box.style.top = "0";
    box.style.width = "1200px";
    box.style.visibility = "hidden";
    box.style.fontFamily = FONT;
    box.style.fontSize = "16px";
    document.body.appendChild(box);
    var sheets = [], id = "rn-mermaid-" + (++count);
    return styledThroughCssom(box, sheets, function () {
      return mermaid.render(id, source, box);
    }).then(function (result) {
      var image = imageSvg(result.svg, sheets);
      if (!image) return;
      var img = document.createElement("img");
      img.alt = altText(image.svg);
      img.width = image.width;
      img.height = image.height;
      img.decoding = "async";
      img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(image.text);
      div.replaceChildren(img);
      div.setAttribute("data-processed", "true");
    }).finally(function () {
      var gone = sheets.map(function (s) { return s.sheet; });
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter(function (s) { return gone.indexOf(s) < 0; });
      box.remove();
    });
  }

  function drawAll(divs) {
    if (!divs.length) return;
    drawing = drawing.then(function () { return load(); }).then(function (mermaid) {
      mermaid.initialize({
        startOnLoad: false,
        securityLevel: "strict",
        theme: darkPalette() ? "dark" : "default",
        fontFamily: FONT,
        htmlLabels: false,
        flowchart: { htmlLabels: false },
        maxTextSize: 20000,
        maxEdges: 200,
      });
      return divs.reduce(function (done, div) {  // one at a time: the CSSOM detour is global
        return done.then(function () { return draw(mermaid, div); }).catch(function () {
          /* a diagram Mermaid cannot read keeps its source on the page as text */
        });
      }, Promise.resolve());
    }).catch(function () { /* no library: every diagram keeps its source as text */ });
  }

  function render() {
    var divs = Array.prototype.slice.call(document.querySelectorAll("div.mermaid:not([data-source])"));
    divs.forEach(function (div) {
      sources.set(div, div.textContent);
      div.setAttribute("data-source", "kept");
    });
    drawAll(divs);
  }

  var scheme = null;
  function redrawOnPaletteChange() {
    var now = darkPalette();
    if (scheme === null) { scheme = now; return; }
    if (now === scheme) return;
    scheme = now;
    var divs = Array.prototype.slice.call(document.querySelectorAll("div.mermaid[data-source]"));
    drawAll(divs.filter(function (div) { return sources.has(div); }));
  }

  function start() {
    new MutationObserver(redrawOnPaletteChange).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    redrawOnPaletteChange();
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(render);  // replays the current page, then announces each new one
    } else {
      render();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
