/* Kunskapsbanken embed: tells the host page how tall the search is, so its iframe can fit it.
   The message carries only a height; the host decides whether to listen.
   The height is the content's own (the <html> box), not scrollHeight: scrollHeight is never less
   than the iframe's current height, so a frame fitted to a long page would never shrink again
   when a filter leaves fewer hits.
   A page reached from inside the frame (the next page of hits, a new search) brings its top
   into view: in a frame fitted to its content the host page stayed scrolled where the link was,
   in the middle of the new page's hits. */
(function () {
  "use strict";
  if (window.parent === window) {
    return;
  }
  var last = -1;

  function showTop() {
    var from;
    try {
      from = new URL(document.referrer);
    } catch (err) {
      return; // no referrer: the frame's first page (or a host that sends none)
    }
    // Only after a link or form inside the embed: never on the first load (the host page would
    // jump to the frame), nor when the host page itself is on this origin.
    if (from.origin !== location.origin || from.pathname !== location.pathname ||
        !window.IntersectionObserver) {
      return;
    }
    var top = document.querySelector(".search-box") || document.body;
    var seen = new IntersectionObserver(function (entries) {
      seen.disconnect();
      // In view already (a short frame, or one that scrolls inside): leave the host page be.
      if (!entries[0].isIntersecting) {
        document.documentElement.scrollIntoView({ block: "start" });
      }
    });
    seen.observe(top);
  }

  function post() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) {
      return;
    }
    last = height;
    window.parent.postMessage({ type: "kunskapsbanken:height", height: height }, "*");
  }
  window.addEventListener("load", post);
  showTop();
  if (window.ResizeObserver) {
    new ResizeObserver(post).observe(document.body);
  }
})();
