/* Kunskapsbanken: makes the search form quicker. Everything works without this file.
   A ticked facet or a new sort order fetches the new results page and swaps the facets, the
   hit list, the feed link (hidden without hits), the download links and the language switch
   in place (focus stays where it was, or goes to the filters' or the results' heading when that
   control is gone; the URL follows, the live region announces the new count). So does a chip
   that removes a filter ("Rensa alla filter" too): focus goes to the results' heading, not to
   the top of a reloaded page, where a keyboard user had to tab back through the header and
   the search box to remove the next one. Any failure falls back to ordinary navigation. */
(function () {
  "use strict";
  var form = document.querySelector('form[data-enhance="search"]');
  if (!form || !window.fetch || !window.DOMParser || !window.URLSearchParams ||
      !window.history || !window.history.pushState) {
    return;
  }
  var pending = null;

  function formUrl() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (String(value).trim() !== "") {
        params.append(key, value);
      }
    });
    var qs = params.toString();
    return form.getAttribute("action") + (qs ? "?" + qs : "");
  }

  function swap(doc, id) {
    var fresh = doc.getElementById(id);
    var old = document.getElementById(id);
    if (fresh && old) {
      old.replaceWith(document.importNode(fresh, true));
    }
  }

  function refresh(url, push, focusId) {
    if (pending) {
      pending.abort();
    }
    var ctrl = new AbortController();
    pending = ctrl;
    form.setAttribute("aria-busy", "true");
    fetch(url, { signal: ctrl.signal, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.text().then(function (html) {
          return { html: html, url: response.url || url };
        });
      })
      .then(function (page) {
        var doc = new DOMParser().parseFromString(page.html, "text/html");
        var focusedId = document.activeElement && document.activeElement.id;
        swap(doc, "facets");
        swap(doc, "results");
        // The feed and the downloads follow the new filters (else a CSV "of this search" would
        // hold the search before the filter was ticked).
        swap(doc, "feed-link");
        swap(doc, "export-links");
        var feed = 'link[rel="alternate"][type="application/atom+xml"]';
        var freshFeed = doc.querySelector(feed);
        var oldFeed = document.querySelector(feed);
        if (freshFeed && oldFeed) {
          oldFeed.setAttribute("href", freshFeed.getAttribute("href"));
        } else if (freshFeed) {
          document.head.appendChild(document.importNode(freshFeed, true));
        } else if (oldFeed) {
          oldFeed.remove(); // no feed is offered for a search without hits
        }
        // "In English" / "På svenska" switches to this search, not to the one first loaded.
        var freshSwitch = doc.getElementById("lang-switch");
        var oldSwitch = document.getElementById("lang-switch");
        if (freshSwitch && oldSwitch) {
          oldSwitch.setAttribute("href", freshSwitch.getAttribute("href"));
        }
        var count = doc.getElementById("result-count");
        var live = document.getElementById("result-count");
        if (count && live) {
          live.textContent = count.textContent;
        }
        document.title = doc.title;
        // The filter drawer (filter_drawer.js) updates its counts from the new page.
        form.dispatchEvent(new CustomEvent("kb:updated", { detail: { doc: doc } }));
        if (push) {
          window.history.pushState({ kb: true }, "", page.url);
        }
        var target = focusedId && document.getElementById(focusedId);
        var heading = focusId && document.getElementById(focusId);
        if (heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus();
        } else if (target && !target.closest("[hidden]")) {
          // An unticked value may move back behind "Visa fler": open it so focus is not lost.
          var details = target.closest("details");
          if (details) {
            details.open = true;
          }
          target.focus();
        } else if (focusedId) {
          keepFocus();
        }
      })
      .catch(function (err) {
        if (err && err.name === "AbortError") {
          return;
        }
        window.location.assign(url);
      })
      .finally(function () {
        if (pending === ctrl) {
          pending = null;
          form.removeAttribute("aria-busy");
        }
      });
  }

  // The control that had focus is gone: a zero-hit page keeps only ticked values and values
  // with hits, and hides the column when nothing is ticked. Focus goes to the filters' heading
  // while they are shown, else to the results, never to the page's start (WCAG 2.4.3).
  function keepFocus() {
    var facets = document.getElementById("facets");
    var heading = facets && !facets.hidden && !facets.closest("[hidden]")
      ? document.getElementById("facets-heading")
      : document.getElementById("results-heading");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }

  form.addEventListener("change", function (event) {
    var el = event.target;
    // Checkboxes and the sort order apply at once; typed years wait for Enter or the button,
    // so a half-typed range never triggers a search.
    if (el.matches('input[type="checkbox"], select')) {
      refresh(formUrl(), true);
    }
  });

  form.addEventListener("click", function (event) {
    var chip = event.target.closest && event.target.closest("a.chip");
    // A click with a modifier opens a tab or a window, as a link does.
    if (!chip || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey ||
        event.altKey) {
      return;
    }
    event.preventDefault();
    refresh(chip.href, true, "results-heading");
  });

  // A field with data-invalid (the years) says what is wrong in the page's language, not the
  // browser's ("Please match the requested format.").
  form.addEventListener("invalid", function (event) {
    var el = event.target;
    if (el.getAttribute && el.getAttribute("data-invalid")) {
      el.setCustomValidity(el.validity.patternMismatch ? el.getAttribute("data-invalid") : "");
    }
  }, true);
  form.addEventListener("input", function (event) {
    var el = event.target;
    if (el.getAttribute && el.getAttribute("data-invalid")) {
      el.setCustomValidity("");
    }
  });

  form.addEventListener("submit", function (event) {
    // A clean URL without empty fields; the page itself loads normally.
    event.preventDefault();
    window.location.assign(formUrl());
  });

  window.addEventListener("popstate", function () {
    refresh(window.location.href, false);
  });
})();
