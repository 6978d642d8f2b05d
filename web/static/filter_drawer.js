/* Kunskapsbanken: on narrow screens the filters open in a drawer (a modal dialog) from a
   "Filtrera (3)" button above the results. Without this file the results come first and the
   "Filtrera (3)" link jumps down to the filters (web/static/style.css).
   The dialog: focus moves to its close button, Tab and Shift+Tab stay inside, Escape or the close
   button closes it and returns focus to the button that opened it, the rest of the page is inert.
   A ticked value updates the results behind it (search.js); a live region inside the dialog
   says the new count, and "Visa träffarna (12)" closes it. */
(function () {
  "use strict";
  var drawer = document.getElementById("filter-drawer");
  var link = document.getElementById("filter-toggle");
  var form = drawer && drawer.closest("form");
  if (!drawer || !link || !form || !window.matchMedia) {
    return;
  }
  var narrow = window.matchMedia("(max-width: 48rem)");
  var FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), ' +
    'select:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
  var inerted = [];

  document.documentElement.classList.add("js-drawer");

  // The link becomes a real button that opens the dialog.
  var toggle = document.createElement("button");
  toggle.type = "button";
  toggle.id = link.id;
  toggle.className = link.className;
  toggle.textContent = link.textContent;
  toggle.setAttribute("aria-haspopup", "dialog");
  toggle.setAttribute("aria-expanded", "false");
  toggle.setAttribute("aria-controls", drawer.id);
  ["data-label", "data-label-n"].forEach(function (name) {
    toggle.setAttribute(name, link.getAttribute(name) || "");
  });
  link.replaceWith(toggle);

  var bar = document.createElement("div");
  bar.className = "drawer-bar";
  var closeButton = document.createElement("button");
  closeButton.type = "button";
  closeButton.className = "drawer-close";
  closeButton.id = "filter-drawer-close";
  closeButton.setAttribute("aria-label", drawer.getAttribute("data-close-label") || "");
  closeButton.textContent = "×";
  bar.appendChild(closeButton);
  var foot = document.createElement("div");
  foot.className = "drawer-foot";
  var showButton = document.createElement("button");
  showButton.type = "button";
  showButton.className = "button-primary drawer-show";
  showButton.id = "filter-drawer-show";
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  status.setAttribute("aria-atomic", "true");
  foot.append(showButton, status);
  drawer.prepend(bar);
  drawer.append(foot);
  bar.hidden = foot.hidden = true;

  function setShowLabel(total) {
    showButton.textContent = (drawer.getAttribute("data-show-label") || "{n}")
      .replace("{n}", String(total));
  }
  setShowLabel(drawer.getAttribute("data-total") || "0");

  function isOpen() {
    return drawer.classList.contains("is-open");
  }

  function open() {
    if (!narrow.matches || isOpen()) {
      return;
    }
    drawer.classList.add("is-open");
    drawer.setAttribute("role", "dialog");
    drawer.setAttribute("aria-modal", "true");
    drawer.setAttribute("aria-labelledby", "facets-heading");
    bar.hidden = foot.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    document.body.classList.add("drawer-open");
    inertOutside();
    closeButton.focus();
  }

  function inertOutside() {
    // Everything outside the dialog is inert: no focus, no clicks, not read.
    for (var node = drawer; node && node !== document.body; node = node.parentElement) {
      Array.prototype.forEach.call(node.parentElement.children, function (sibling) {
        if (sibling !== node && !sibling.inert && sibling.tagName !== "SCRIPT") {
          sibling.inert = true;
          inerted.push(sibling);
        }
      });
    }
  }

  function close(returnFocus) {
    if (!isOpen()) {
      return;
    }
    drawer.classList.remove("is-open");
    drawer.removeAttribute("role");
    drawer.removeAttribute("aria-modal");
    drawer.removeAttribute("aria-labelledby");
    bar.hidden = foot.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    document.body.classList.remove("drawer-open");
    inerted.forEach(function (el) { el.inert = false; });
    inerted = [];
    status.textContent = "";
    if (returnFocus) {
      toggle.focus();
    }
  }

  toggle.addEventListener("click", open);
  closeButton.addEventListener("click", function () { close(true); });
  showButton.addEventListener("click", function () {
    close(false);
    var heading = document.getElementById("results-heading");
    if (heading) {
      heading.focus(); // the results the person asked to see
    } else {
      toggle.focus();
    }
  });

  drawer.addEventListener("keydown", function (event) {
    if (!isOpen()) {
      return;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      close(true);
      return;
    }
    if (event.key !== "Tab") {
      return;
    }
    var focusable = Array.prototype.filter.call(drawer.querySelectorAll(FOCUSABLE), function (el) {
      return el.offsetParent !== null || el === document.activeElement;
    });
    if (!focusable.length) {
      return;
    }
    var first = focusable[0];
    var last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });

  // After a ticked value updated the page (search.js): new counts on the buttons and in words.
  form.addEventListener("kb:updated", function (event) {
    var doc = event.detail && event.detail.doc;
    if (!doc) {
      return;
    }
    if (isOpen()) {
      inertOutside(); // the new results behind the dialog replaced inert ones
    }
    var count = doc.getElementById("result-count");
    if (count) {
      setShowLabel(count.getAttribute("data-total") || "0");
      if (isOpen()) {
        status.textContent = count.textContent;
      }
    }
    var fresh = doc.getElementById("filter-toggle");
    if (fresh) {
      toggle.textContent = fresh.textContent;
      // Hidden when the new page has no filters to offer (zero hits), shown again when it has.
      toggle.parentElement.hidden = fresh.parentElement.hidden;
    }
    var facets = document.getElementById("facets");
    if (isOpen() && facets && facets.hidden) {
      // The last filter was unticked on a search without hits: nothing is left to filter, so
      // the dialog would be empty. Close it; search.js moves focus to the results heading.
      close(false);
    }
  });

  narrow.addEventListener("change", function () {
    if (!narrow.matches) {
      close(false); // wide again: the filters are a column beside the results
    }
  });
})();
