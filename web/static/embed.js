/* Kunskapsbanken embed: tells the host page how tall the search is, so its iframe can fit it.
   The message carries only a height; the host decides whether to listen.
   The height is the content's own (the <html> box), not scrollHeight: scrollHeight is never less
   than the iframe's current height, so a frame fitted to a long page would never shrink again
   when a filter leaves fewer hits. */
(function () {
  "use strict";
  if (window.parent === window) {
    return;
  }
  var last = -1;
  function post() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) {
      return;
    }
    last = height;
    window.parent.postMessage({ type: "kunskapsbanken:height", height: height }, "*");
  }
  window.addEventListener("load", post);
  if (window.ResizeObserver) {
    new ResizeObserver(post).observe(document.body);
  }
})();
