/* MetaHuman SDK token form, for any page:
     <div data-mhsdk-token><a href="https://HOST/">Get your MetaHuman SDK API token</a></div>
     <script src="https://HOST/embed.js" async></script>
   Each such div becomes an iframe of https://HOST/embed (data-theme="light"
   or "dark", data-title). The frame only ever tells this page its height;
   the token stays inside it. Without JavaScript the link stays. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !me.src || !window.URL) return;
  var origin = new URL(me.src).origin;
  var mark = "data-mhsdk-token-frame";

  function mount(el) {
    if (el.querySelector("iframe[" + mark + "]")) return;
    var theme = (el.getAttribute("data-theme") || "").toLowerCase();
    var f = document.createElement("iframe");
    f.src = origin + "/embed" + (theme === "light" || theme === "dark" ? "?theme=" + theme : "");
    f.title = el.getAttribute("data-title") || "Get a MetaHuman SDK API token";
    f.setAttribute("allow", "clipboard-write");
    f.setAttribute("loading", "lazy");
    f.setAttribute(mark, "");
    f.style.cssText = "display:block;width:100%;height:500px;border:0";
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
