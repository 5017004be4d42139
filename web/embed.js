/* MetaHuman SDK token form, for any page:
     <div data-mhsdk-token><a href="https://HOST/">Get your MetaHuman SDK API token</a></div>
     <script src="https://HOST/embed.js" async></script>
   Each such div becomes an iframe of https://HOST/embed (data-theme="light"
   or "dark", data-title) in the language of data-lang or, when that is not
   one the desk speaks, of the page's <html lang> (else English). The frame
   only ever tells this page its height, after this script's hello; the
   token stays inside it. Without JavaScript the link stays. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !me.src || !window.URL) return;
  var origin = new URL(me.src).origin;
  var mark = "data-mhsdk-token-frame";
  // Language tag → the frame's title in it.
  var langs = {/* languages: written by the generator */};

  // The desk's language for a BCP 47 tag, by the rule of
  // tokendesk.ParseLang: the whole tag, then the primary language;
  // Chinese only when Simplified. "" when none.
  function pick(tag) {
    tag = String(tag || "").trim().replace(/_/g, "-").toLowerCase();
    if (!tag) return "";
    var primary = tag.split("-")[0];
    var rest = tag.slice(primary.length + 1);
    var k;
    for (k in langs) if (k.toLowerCase() === tag) return k;
    if (primary === "zh") {
      return rest === "" || rest === "cn" || rest === "sg" || rest.indexOf("hans") === 0 ? "zh-Hans" : "";
    }
    for (k in langs) if (k.toLowerCase().split("-")[0] === primary) return k;
    return "";
  }

  function mount(el) {
    if (el.querySelector("iframe[" + mark + "]")) return;
    var theme = (el.getAttribute("data-theme") || "").toLowerCase();
    var lang = pick(el.getAttribute("data-lang")) || pick(document.documentElement.lang) || "en";
    var f = document.createElement("iframe");
    f.src = origin + (lang === "en" ? "" : "/" + lang) + "/embed" +
      (theme === "light" || theme === "dark" ? "?theme=" + theme : "");
    f.title = el.getAttribute("data-title") || langs[lang];
    f.setAttribute("allow", "clipboard-write");
    f.setAttribute("loading", "lazy");
    f.setAttribute(mark, "");
    f.style.cssText = "display:block;width:100%;height:500px;border:0";
    // Each document the frame loads learns from this hello, and only from
    // it, which origin to tell its height to.
    f.addEventListener("load", function () {
      f.contentWindow.postMessage({ type: "mhsdk-token:hello" }, origin);
    });
    el.textContent = "";
    el.appendChild(f);
  }

  function scan(root) {
    if (!root.querySelectorAll) return;
    if (root.matches && root.matches("[data-mhsdk-token]")) mount(root);
    var els = root.querySelectorAll("[data-mhsdk-token]");
    for (var i = 0; i < els.length; i++) mount(els[i]);
  }

  // Only our own frames, and only a height in a sane range.
  window.addEventListener("message", function (e) {
    var d = e.data;
    if (e.origin !== origin || !d || d.type !== "mhsdk-token:height") return;
    var h = d.height;
    if (typeof h !== "number" || !(h >= 50 && h <= 5000)) return;
    var frames = document.querySelectorAll("iframe[" + mark + "]");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === e.source) frames[i].style.height = Math.ceil(h) + "px";
    }
  });

  scan(document);
  // Divs parsed after this async script, or added later by a single-page
  // documentation site.
  if (window.MutationObserver) {
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        for (var j = 0; j < records[i].addedNodes.length; j++) scan(records[i].addedNodes[j]);
      }
    }).observe(document.documentElement, { childList: true, subtree: true });
  }
})();
