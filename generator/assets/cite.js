/* The "Cite" block of a paper page: a button that copies the BibTeX entry.
 *
 * navigator.clipboard where the page is a secure context (https, localhost), otherwise a hidden
 * textarea and document.execCommand("copy"); if both fail, the entry is selected so that Ctrl+C
 * copies it. The DOM is built with createElement/textContent only. With instant navigation the
 * page body is swapped without a reload, so setup runs on every document$ emission.
 */
(function () {
  "use strict";

  function fallbackCopy(text) {
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.setAttribute("aria-hidden", "true");
      area.style.position = "fixed";
      area.style.top = "0";
      area.style.left = "0";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (err) {
        ok = false;
      }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy refused"));
    });
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }

  function selectContents(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function setup(root) {
    if (root.hasAttribute("data-rn-cite-ready")) return;
    var pre = root.querySelector("pre");
    if (!pre) return;
    root.setAttribute("data-rn-cite-ready", "");
    var bar = document.createElement("div");
    bar.className = "rn-cite__bar";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "rn-cite__copy";
    button.textContent = "Copy BibTeX";
    var status = document.createElement("span");
    status.className = "rn-cite__status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var timer = null;
    button.addEventListener("click", function () {
      copyText(pre.textContent).then(function () {
        status.textContent = "Copied";
      }, function () {
        selectContents(pre);
        status.textContent = "Press Ctrl+C to copy";
      }).then(function () {
        clearTimeout(timer);
        timer = setTimeout(function () { status.textContent = ""; }, 3000);
      });
    });
    bar.appendChild(button);
    bar.appendChild(status);
    root.insertBefore(bar, pre);
  }

  function init() {
    var blocks = document.querySelectorAll(".rn-cite");
    for (var i = 0; i < blocks.length; i++) setup(blocks[i]);
  }


  // The page links this script inside the part of the page that instant navigation swaps
  // (generator/theme/main.html), so it runs again on every page that uses it: only the first run
  // subscribes. document$ replays the last page to a late subscriber and then announces the page
  // this script came with: one page container, one init().
  if (window.__rnCiteLoaded) return;
  window.__rnCiteLoaded = true;
  var seenContainer = null;
  function onPage() {
    var container = document.querySelector("[data-md-component=container]") || document.body;
    if (container === seenContainer) return;
    seenContainer = container;
    init();
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
