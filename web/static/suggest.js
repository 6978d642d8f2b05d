/* Kunskapsbanken: suggestions as you type in the search box (ARIA 1.2 combobox with a listbox).
   Works on every input with data-suggest="<suggest API URL>"; without this file the box is an
   ordinary search field. Keyboard: Down/Up move through the suggestions (Alt+Down opens them),
   Enter picks the highlighted one (otherwise searches as typed), Escape closes the list. Focus
   stays in the box (aria-activedescendant); a polite live region says how many suggestions came.
   A municipality, region or other filter value opens the search filtered on it, a word completes
   the query and searches, a title opens its document. */
(function () {
  "use strict";
  if (!window.fetch || !window.URLSearchParams) {
    return;
  }
  var DELAY_MS = 150;
  var MIN_CHARS = 2;

  function setup(input) {
    var form = input.form;
    var base = input.getAttribute("data-suggest");
    if (!form || !base) {
      return;
    }
    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("data-suggest-label") || "");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    // A live region, not role=status: the page's status is the result count.
    status.setAttribute("aria-live", "polite");
    status.setAttribute("aria-atomic", "true");
    var help = document.createElement("span");
    help.id = input.id + "-suggest-help";
    help.className = "visually-hidden";
    help.textContent = input.getAttribute("data-suggest-help") || "";
    var anchor = input.parentNode;
    anchor.classList.add("has-suggestions");
    anchor.appendChild(list);
    anchor.appendChild(status);
    anchor.appendChild(help);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    var described = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    described.push(help.id);
    input.setAttribute("aria-describedby", described.join(" "));

    var items = [];
    var active = -1;
    var timer = 0;
    var pending = null;
    var lastQuery = null;

    function announce(n) {
      var key = n === 0 ? "data-suggest-none" : n === 1 ? "data-suggest-one" : "data-suggest-many";
      status.textContent = (input.getAttribute(key) || "").replace("{n}", String(n));
    }

    function close() {
      clearTimeout(timer); // suggestions on their way after Enter or Escape are not shown
      if (pending) {
        pending.abort();
        pending = null;
      }
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.children;
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "false");
      }
      active = index;
      if (index >= 0 && options[index]) {
        options[index].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(suggestions) {
      items = suggestions;
      active = -1;
      list.replaceChildren();
      suggestions.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.className = "suggestion-option suggestion-" + s.kind;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var text = document.createElement("span");
        text.className = "suggestion-text";
        text.textContent = s.text;
        var about = document.createElement("span");
        about.className = "suggestion-about";
        about.textContent = s.description;
        li.append(text, " ", about);
        li.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the box
        });
        li.addEventListener("click", function () {
          choose(i);
        });
        list.appendChild(li);
      });
      var open = suggestions.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      input.removeAttribute("aria-activedescendant");
      announce(suggestions.length);
    }

    function fetchSuggestions(q) {
      if (pending) {
        pending.abort();
      }
      var ctrl = new AbortController();
      pending = ctrl;
      var params = new URLSearchParams({ q: q, limit: "8" });
      var lang = document.documentElement.getAttribute("lang");
      if (lang === "en") {
        params.set("lang", "en");
      }
      fetch(base + "?" + params.toString(), { signal: ctrl.signal, credentials: "omit" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("status " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          if (pending === ctrl && input.value.trim() === q) {
            lastQuery = q;
            render(Array.isArray(data.suggestions) ? data.suggestions : []);
          }
        })
        .catch(function () {
          if (pending === ctrl) {
            close(); // no suggestions is never an error for the person typing
          }
        })
        .finally(function () {
          if (pending === ctrl) {
            pending = null;
          }
        });
    }

    function localUrl(url) {
      // The API gives absolute URLs; the page keeps its own origin and any fixed parameters.
      var target = new URL(url, window.location.href);
      return target.pathname + target.search;
    }

    function choose(index) {
      var s = items[index];
      if (!s) {
        return;
      }
      close();
      if (s.kind === "word") {
        input.value = s.text;
        form.requestSubmit ? form.requestSubmit() : form.submit();
      } else if (s.kind === "facet") {
        var params = new URLSearchParams();
        form.querySelectorAll('input[type="hidden"]').forEach(function (hidden) {
          params.append(hidden.name, hidden.value);
        });
        params.append(s.facet, s.value);
        window.location.assign(form.getAttribute("action") + "?" + params.toString());
      } else if (window.top !== window) {
        window.open(localUrl(s.url), "_top"); // a document leaves the embed for the full site
      } else {
        window.location.assign(localUrl(s.url));
      }
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < MIN_CHARS) {
        if (pending) {
          pending.abort();
          pending = null;
        }
        close();
        status.textContent = "";
        lastQuery = null;
        return;
      }
      timer = setTimeout(function () { fetchSuggestions(q); }, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) {
          var q = input.value.trim();
          if (items.length && lastQuery === q) {
            render(items);
          } else if (q.length >= MIN_CHARS) {
            fetchSuggestions(q);
          }
          return;
        }
        if (!event.altKey) {
          highlight(active + 1 < items.length ? active + 1 : 0);
        }
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active > 0 ? active - 1 : items.length - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        event.stopPropagation(); // the filter drawer must not close as well
        close();
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", function () {
      close();
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(setup);
})();
