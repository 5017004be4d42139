/* /embed only: tell the page that frames us our height, so embed.js can
   size the iframe. The message holds the height and nothing else, and it
   goes only to the origin that embed.js said hello from: the browser names
   that origin (MessageEvent.origin), and the CSP's frame-ancestors has
   already refused to render us under any other. Never to "*": a parent
   that navigates away must not be told when the page changes. Without
   embed.js nothing is posted, since nobody would listen. Runs before and
   without wasm. */
(function () {
  "use strict";
  if (window.parent === window) return;
  var root = document.documentElement, last = 0, parentOrigin = "";
  function post() {
    var h = Math.ceil(root.getBoundingClientRect().height);
    if (!parentOrigin || h <= 0 || h === last) return;
    last = h;
    window.parent.postMessage({ type: "mhsdk-token:height", height: h }, parentOrigin);
  }
  window.addEventListener("message", function (e) {
    if (e.source !== window.parent || !e.data || e.data.type !== "mhsdk-token:hello" || e.origin === "null") return;
    parentOrigin = e.origin;
    last = 0;
    post();
  });
  if (window.ResizeObserver) new ResizeObserver(post).observe(root);
  window.addEventListener("load", post);
})();
