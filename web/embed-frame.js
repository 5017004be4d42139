/* /embed only: tell the page that frames us our height, so embed.js can
   size the iframe. The message holds the height and nothing else; it is
   not secret, so it goes to any parent. Runs before and without wasm. */
(function () {
  "use strict";
  if (window.parent === window) return;
  var root = document.documentElement, last = 0;
  function post() {
    var h = Math.ceil(root.getBoundingClientRect().height);
    if (h <= 0 || h === last) return;
    last = h;
    window.parent.postMessage({ type: "mhsdk-token:height", height: h }, "*");
  }
  if (window.ResizeObserver) new ResizeObserver(post).observe(root);
  window.addEventListener("load", post);
  post();
})();
