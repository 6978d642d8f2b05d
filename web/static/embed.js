/* Kunskapsbanken embed: tells the host page how tall the search is, so its iframe can fit it.
   The message carries only a height; the host decides whether to listen. */
(function () {
  "use strict";
  if (window.parent === window) {
    return;
  }
  function post() {
    window.parent.postMessage(
      { type: "kunskapsbanken:height", height: document.documentElement.scrollHeight },
      "*"
    );
  }
  window.addEventListener("load", post);
  if (window.ResizeObserver) {
    new ResizeObserver(post).observe(document.body);
  }
})();
