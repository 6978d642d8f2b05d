/* Kunskapsbanken: "Visa alla 290" under a long facet (the municipalities) fetches the whole group
   and puts it in place, instead of loading a new page; focus moves to the first value that was
   not listed before and can take it (else to the group's "Visa fler"). Without this file the link loads the page with the group in full. */
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser) {
    return;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.facet-all");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
      return;
    }
    var name = link.getAttribute("data-facet");
    var old = document.getElementById("facet-" + name);
    if (!old) {
      return;
    }
    event.preventDefault();
    // The values listed before, by value: the full group puts values with hits first, so a
    // newly listed one can come before some of these.
    var listed = {};
    old.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
      listed[box.name + "=" + box.value] = true;
    });
    fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("facet-" + name);
        var current = document.getElementById("facet-" + name);
        if (!fresh || !current) {
          throw new Error("no facet " + name);
        }
        var node = document.importNode(fresh, true);
        current.replaceWith(node);
        var details = node.querySelector("details");
        if (details) {
          details.open = true;
        }
        var boxes = node.querySelectorAll('input[type="checkbox"]');
        var target = null;
        // A value no hit holds is disabled and takes no focus: the first new one that can.
        for (var i = 0; !target && i < boxes.length; i++) {
          if (!listed[boxes[i].name + "=" + boxes[i].value] && !boxes[i].disabled) {
            target = boxes[i];
          }
        }
        // Every value not listed before may be one no hit holds (all disabled): focus then
        // goes to the group's "Visa fler", where the link was, not to the page (WCAG 2.4.3).
        if (!target) {
          target = node.querySelector("summary") || node.querySelector("input:not([disabled])");
        }
        if (target) {
          target.focus();
        }
      })
      .catch(function () {
        window.location.assign(link.href);
      });
  });
})();
