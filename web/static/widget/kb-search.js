/* Kunskapsbanken search widget: <kb-search region="fyrbodal" lang="sv"></kb-search>.
   One script tag defines the element; it searches the service's JSON API (/api/search, CORS "*",
   no cookies) and shows the hits in an open shadow root, so the host page's CSS stays out and ours
   stays in. Styles go in through a constructed stylesheet (CSSOM, which a host CSP does not block);
   browsers without one get a <style> element. API text is set with textContent; snippets are parsed
   with DOMParser and only their text and <mark> elements are copied. No innerHTML anywhere. */
(function () {
  "use strict";
  if (!window.customElements || window.customElements.get("kb-search")) {
    return; // Loaded twice, or a browser without custom elements: leave the page alone.
  }

  var SCRIPT_PATHS = /\/(?:static\/)?widget\/kb-search\.js(?:[?#].*)?$/;
  // [attribute, API parameter, separator] of each filter: the service writes the list from its
  // facet registry between the markers when it serves this file (web/widget.py), so a new facet
  // is an attribute without editing this script. Values are separated by spaces, or by "|" where
  // a value may hold spaces (a publisher's name).
  var SCOPE = /*kb:scope*/[["focus-area", "focus_area", " "], ["region", "region", " "], ["municipality", "municipality", " "], ["county", "county", " "], ["publisher", "publisher", "|"], ["doc-type", "doc_type", " "]]/*kb:scope-end*/;
  var DEFAULT_PAGE_SIZE = 5;
  var MAX_PAGE_SIZE = 50;
  var TYPE_DELAY_MS = 400;
  var SUGGEST_DELAY_MS = 150;
  var SUGGEST_LIMIT = 6;
  var ANNOUNCE_DELAY_MS = 100;
  // A slow answer says "Söker…" after a second; one that never comes is given up on, so the
  // reader is told instead of waiting on a box that seems to do nothing.
  var SLOW_MS = 1000;
  var TIMEOUT_MS = 20000;
  var ENTITIES = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: "\u00a0" };
  var TEXT = {
    sv: {
      label: "Sök i kunskapsbanken",
      button: "Sök",
      results: "Sökresultat",
      zero: "Inga träffar",
      one: "1 träff",
      many: "{n} träffar",
      forQ: "för ”{q}”",
      didYouMean: "Menade du ”{q}”?",
      all: "Visa alla träffar i Kunskapsbanken",
      network: "Sökningen kunde inte nå Kunskapsbanken. Försök igen om en stund.",
      server: "Sökningen fungerar inte just nu. Försök igen om en stund.",
      searching: "Söker…",
      timeout: "Sökningen tog för lång tid. Försök igen om en stund.",
      bad: "Sökningen kunde inte göras: {m}",
      suggestions: "Förslag",
      suggestNone: "Inga förslag",
      suggestOne: "1 förslag, använd pil upp och ned",
      suggestMany: "{n} förslag, använd pil upp och ned",
      missing: "Saknar: {w}",
      related: "Relaterad: liknar de första träffarna men saknar {w}",
      alsoAt: "Finns även på"
    },
    en: {
      label: "Search the knowledge base",
      button: "Search",
      results: "Search results",
      zero: "No results",
      one: "1 result",
      many: "{n} results",
      forQ: "for “{q}”",
      didYouMean: "Did you mean “{q}”?",
      all: "Show all results in Kunskapsbanken",
      network: "The search could not reach Kunskapsbanken. Please try again shortly.",
      server: "The search is not working right now. Please try again shortly.",
      searching: "Searching…",
      timeout: "The search took too long. Please try again shortly.",
      bad: "The search could not be done: {m}",
      suggestions: "Suggestions",
      suggestNone: "No suggestions",
      suggestOne: "1 suggestion, use the up and down arrows",
      suggestMany: "{n} suggestions, use the up and down arrows",
      missing: "Missing: {w}",
      related: "Related: like the first hits, but without {w}",
      alsoAt: "Also at"
    }
  };
  // Colours are the site's (web/static/style.css): all pass WCAG 2.1 AA on the white background.
  var CSS = [
    ":host { display: block; }",
    ":host([hidden]) { display: none; }",
    // all: initial cuts every inherited property (colour, size, spacing...) off from the host.
    ".kb { all: initial; display: block; box-sizing: border-box; padding: 0.75em;",
    "  border: 1px solid #767676; border-radius: 4px; background: #fff; color: #1b1b1b;",
    "  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;",
    // medium = the reader's own default size, whatever the host sets on html or body.
    "  font-size: medium; line-height: 1.5; overflow-wrap: break-word; text-align: start; }",
    ".kb *, .kb *::before, .kb *::after { box-sizing: border-box; }",
    "[hidden] { display: none !important; }",
    "form { margin: 0; }",
    "label { display: block; margin: 0 0 0.25em; font-weight: 700; font-size: 1.1em; }",
    ".row { display: flex; flex-wrap: wrap; gap: 0.5em; }",
    "input { flex: 1 1 10em; min-width: 0; margin: 0; padding: 0.5em 0.6em; font: inherit;",
    "  color: #1b1b1b; background: #fff; border: 2px solid #767676; border-radius: 4px; }",
    "button { flex: 0 0 auto; margin: 0; padding: 0.5em 1em; font: inherit; font-weight: 600;",
    "  color: #fff; background: #0b3d7a; border: 2px solid #0b3d7a; border-radius: 4px;",
    "  cursor: pointer; }",
    "button.link { padding: 0; color: #0b4f9c; background: none; border: 0; font-weight: 400;",
    "  text-decoration: underline; text-underline-offset: 0.15em; }",
    ":focus-visible { outline: 3px solid #c2410c; outline-offset: 2px; }",
    "a { color: #0b4f9c; text-underline-offset: 0.15em; }",
    "a:hover { text-decoration-thickness: 2px; }",
    ".status { margin: 0.6em 0 0; font-weight: 700; }",
    ".status.error { padding: 0.4em 0.6em; border-left: 4px solid #a4262c; background: #fdf3f4; }",
    "p { margin: 0.3em 0; }",
    "ul { list-style: none; margin: 0.25em 0 0; padding: 0; }",
    "li { padding: 0.6em 0; border-bottom: 1px solid #d0d4da; }",
    ".title { font-size: 1.05em; font-weight: 700; }",
    ".meta { color: #4a4a4a; font-size: 0.95em; }",
    // Addresses are long and have nowhere to wrap: without anywhere a 320 px screen scrolls.
    ".also a { overflow-wrap: anywhere; }",
    ".missing { color: #4a4a4a; font-size: 0.95em; font-style: italic; }",
    "mark { background: #fff0a6; color: #1b1b1b; padding: 0 0.1em; font-weight: 600; }",
    ".more { margin-top: 0.6em; }",
    ".sr { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;",
    "  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }",
    ".combo { position: relative; flex: 1 1 10em; display: flex; min-width: 0; }",
    ".combo input { flex: 1 1 auto; }",
    "ul.suggest { position: absolute; top: 100%; left: 0; right: 0; z-index: 5; margin: 0.15em 0 0;",
    "  padding: 0.2em 0; background: #fff; border: 2px solid #767676; border-radius: 4px;",
    "  box-shadow: 0 4px 12px rgba(0, 0, 0, 0.18); }",
    "ul.suggest li { padding: 0.4em 0.6em; border: 0; border-left: 4px solid transparent;",
    "  cursor: pointer; }",
    "ul.suggest li[aria-selected=\"true\"] { background: #e6eef9; border-left-color: #0b3d7a; }",
    ".about { color: #4a4a4a; font-size: 0.9em; }",
    "@media (forced-colors: active) { .kb { border-color: CanvasText; }",
    "  mark { forced-color-adjust: none; } }"
  ].join("\n");

  var defaultBase = serviceBase(document.currentScript);
  var counter = 0;
  var sheet = null;

  function serviceBase(script) {
    // Module scripts and late calls have no currentScript: find our tag instead.
    var el = script || document.querySelector('script[src*="widget/kb-search.js"]');
    var src = el && el.src;
    if (!src) {
      return window.location.origin;
    }
    var trimmed = src.replace(SCRIPT_PATHS, "");
    // A service under a sub-path keeps its path; an unknown script path falls back to the origin.
    return trimmed !== src ? trimmed : new URL(src).origin;
  }

  function styleSheet() {
    if (sheet === null) {
      try {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
      } catch (err) {
        sheet = false; // No constructable stylesheets: a <style> element per widget instead.
      }
    }
    return sheet;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? String(values[key]) : all;
    });
  }

  function groupDigits(n, lang) {
    // The same grouping as the pages (web/i18n.py): narrow no-break space in Swedish.
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, lang === "sv" ? "\u202f" : ",");
  }

  // Copy an API snippet (escaped HTML, <mark> only) into `target` as text and <mark> elements.
  function appendSnippet(target, html) {
    var body;
    try {
      body = new DOMParser().parseFromString("<!doctype html><body>" + html, "text/html").body;
    } catch (err) {
      // A host enforcing Trusted Types refuses to parse strings: show the words without marks.
      target.appendChild(document.createTextNode(plainText(html)));
      return;
    }
    Array.prototype.forEach.call(body.childNodes, function (node) {
      if (node.nodeType === Node.ELEMENT_NODE && node.localName === "mark") {
        target.appendChild(el("mark", {}, node.textContent));
      } else {
        // Text, or any element that should not be there: only its text survives.
        target.appendChild(document.createTextNode(node.textContent || ""));
      }
    });
  }

  function plainText(html) {
    return html.replace(/<[^>]*>/g, "").replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, function (all, ref) {
      if (ref.charAt(0) === "#") {
        var code = ref.charAt(1).toLowerCase() === "x"
          ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
      }
      return ENTITIES[ref.toLowerCase()] || all;
    });
  }

  class KbSearch extends HTMLElement {
    static get observedAttributes() {
      return ["lang", "base", "page-size"].concat(SCOPE.map(function (item) { return item[0]; }));
    }

    constructor() {
      super();
      this._root = this.attachShadow({ mode: "open" });
      this._pending = null;
      this._timer = 0;
      this._last = null;
      this._built = false;
      this._statusText = "";
      this._statusTimer = 0;
    }

    connectedCallback() {
      if (!this._built) {
        this._build();
        this._built = true;
      }
    }

    disconnectedCallback() {
      this._abort();
    }

    attributeChangedCallback() {
      // A new scope or language after a search shows that search again, in the new terms.
      if (this._built) {
        this._applyLanguage();
        if (this._last) {
          this._search(this._last.q);
        }
      }
    }

    _lang() {
      // The element's language as HTML reads it: its own lang, else the nearest one around it
      // (an English intranet page). Any English tag (en-GB, EN) is English; the rest Swedish.
      var around = this.closest("[lang]");
      var tag = around ? around.getAttribute("lang") : "";
      return /^en(-|$)/i.test(tag.trim()) ? "en" : "sv";
    }

    _text(key, values) {
      return format(TEXT[this._lang()][key], values || {});
    }

    _base() {
      var raw = (this.getAttribute("base") || "").trim();
      var base = defaultBase;
      if (raw) {
        try {
          base = new URL(raw, document.baseURI).href;
        } catch (err) {
          base = raw; // Not a URL: the search fails and says so, it never goes elsewhere.
        }
      }
      return base.replace(/\/+$/, "");
    }

    _pageSize() {
      var n = parseInt(this.getAttribute("page-size") || "", 10);
      return isNaN(n) ? DEFAULT_PAGE_SIZE : Math.min(Math.max(n, 1), MAX_PAGE_SIZE);
    }

    _params(q) {
      var params = new URLSearchParams();
      if (q) {
        params.append("q", q);
      }
      var host = this;
      SCOPE.forEach(function (item) {
        var separator = item[2] === "|" ? "|" : /\s+/;
        (host.getAttribute(item[0]) || "").split(separator).forEach(function (value) {
          if (value.trim()) {
            params.append(item[1], value.trim());
          }
        });
      });
      return params;
    }

    _withLang(params) {
      if (this._lang() === "en") {
        params.append("lang", "en");
      }
      return params;
    }

    _build() {
      var id = "kb-search-" + ++counter;
      var css = styleSheet();
      if (css) {
        this._root.adoptedStyleSheets = [css];
      } else {
        this._root.appendChild(el("style", {}, CSS));
      }
      var wrap = el("div", { "class": "kb" });
      var form = el("form", { role: "search", novalidate: "" });
      this._label = el("label", { "for": id + "-q" });
      this._input = el("input", {
        type: "search", id: id + "-q", name: "q", maxlength: "500", autocomplete: "off"
      });
      this._button = el("button", { type: "submit" });
      var row = el("div", { "class": "row" });
      var combo = el("div", { "class": "combo" });
      combo.appendChild(this._input);
      row.append(combo, this._button);
      this._setupSuggestions(combo, id);
      form.append(this._label, row);
      // The live region exists from the start: screen readers announce changes, not insertions.
      this._status = el("p", {
        "class": "status", role: "status", "aria-live": "polite", "aria-atomic": "true"
      });
      this._suggest = el("p", { hidden: "" });
      this._list = el("ul", { "class": "hits", hidden: "" });
      this._more = el("a", { target: "_top" });
      var more = el("p", { "class": "more" });
      more.appendChild(this._more);
      wrap.append(form, this._status, this._suggest, this._list, more);
      this._root.appendChild(wrap);
      this._wrap = wrap;

      var host = this;
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        host._closeSuggestions();
        host._search(host._input.value.trim());
      });
      this._input.addEventListener("input", function () {
        if (!host.hasAttribute("search-as-you-type")) {
          return;
        }
        clearTimeout(host._timer);
        var q = host._input.value.trim();
        if (q.length >= 2) {
          host._timer = setTimeout(function () { host._search(q); }, TYPE_DELAY_MS);
        }
      });
      this._applyLanguage();
    }

    _setupSuggestions(combo, id) {
      // ARIA 1.2 combobox: focus stays in the box, aria-activedescendant names the option.
      var input = this._input;
      var list = el("ul", { "class": "suggest", role: "listbox", id: id + "-list", hidden: "" });
      // A live region without role=status: the widget's one status is the result count.
      var status = el("p", { "class": "sr", "aria-live": "polite", "aria-atomic": "true" });
      combo.append(list, status);
      input.setAttribute("role", "combobox");
      input.setAttribute("aria-autocomplete", "list");
      input.setAttribute("aria-expanded", "false");
      input.setAttribute("aria-controls", id + "-list");
      this._suggestList = list;
      var host = this;
      var items = [];
      var active = -1;
      var timer = 0;
      var pending = null;
      // The last suggestions and the text they are for: Down opens them again after Escape,
      // as the site's own search box does (web/static/suggest.js).
      var shown = [];
      var shownFor = null;

      function close() {
        list.hidden = true;
        list.replaceChildren(); // closed options are gone, not just hidden
        items = [];
        clearTimeout(timer); // a search or Escape also stops suggestions still on their way
        if (pending) {
          pending.abort();
          pending = null;
        }
        input.setAttribute("aria-expanded", "false");
        input.removeAttribute("aria-activedescendant");
        active = -1;
      }
      function highlight(index) {
        Array.prototype.forEach.call(list.children, function (li, i) {
          li.setAttribute("aria-selected", i === index ? "true" : "false");
        });
        active = index;
        if (index >= 0) {
          input.setAttribute("aria-activedescendant", list.children[index].id);
        }
      }
      function choose(index) {
        var s = items[index];
        close();
        if (!s) {
          return;
        }
        if (s.kind === "word") {
          input.value = s.text;
          host._search(s.text);
        } else {
          // A filter value or a document: the service's page for it, in the top window.
          window.open(s.url, "_top");
        }
      }
      function render(suggestions) {
        items = suggestions;
        active = -1;
        list.replaceChildren.apply(list, suggestions.map(function (s, i) {
          var li = el("li", { id: id + "-opt-" + i, role: "option", "aria-selected": "false" });
          li.append(el("span", {}, s.text), " ", el("span", { "class": "about" }, s.description));
          li.addEventListener("mousedown", function (event) { event.preventDefault(); });
          li.addEventListener("click", function () { choose(i); });
          return li;
        }));
        list.hidden = suggestions.length === 0;
        input.setAttribute("aria-expanded", suggestions.length ? "true" : "false");
        input.removeAttribute("aria-activedescendant");
        var n = suggestions.length;
        status.textContent = n === 0 ? host._text("suggestNone")
          : n === 1 ? host._text("suggestOne") : host._text("suggestMany", { n: n });
      }
      function fetchSuggestions(q) {
        if (pending) {
          pending.abort();
        }
        var ctrl = new AbortController();
        pending = ctrl;
        // The widget's scope too: suggestions, and their counts, from what its search finds.
        var params = host._withLang(host._params(q));
        params.append("limit", String(SUGGEST_LIMIT));
        fetch(host._base() + "/api/v1/suggest?" + params.toString(),
          { signal: ctrl.signal, credentials: "omit", mode: "cors" })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (data) {
            if (pending === ctrl && data && Array.isArray(data.suggestions) &&
                input.value.trim() === q) {
              shown = data.suggestions;
              shownFor = q;
              render(data.suggestions);
            }
          })
          .catch(function () { /* no suggestions is never an error for the person typing */ })
          .finally(function () {
            if (pending === ctrl) {
              pending = null;
            }
          });
      }
      input.addEventListener("input", function () {
        clearTimeout(timer);
        if (host.getAttribute("suggest") === "off") {
          return;
        }
        var q = input.value.trim();
        if (q.length < 2) {
          close();
          shownFor = null;
          return;
        }
        timer = setTimeout(function () { fetchSuggestions(q); }, SUGGEST_DELAY_MS);
      });
      input.addEventListener("keydown", function (event) {
        var open = !list.hidden;
        if (event.key === "ArrowDown" && !open) {
          // Down (or Alt+Down) opens the list closed by Escape, Tab or a search, without
          // highlighting an option: the same suggestions when the text is unchanged.
          var q = input.value.trim();
          if (host.getAttribute("suggest") === "off" || q.length < 2) {
            return;
          }
          event.preventDefault();
          if (shownFor === q && shown.length) {
            render(shown);
          } else {
            fetchSuggestions(q);
          }
        } else if (event.key === "ArrowDown") {
          event.preventDefault();
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
          event.stopPropagation(); // closes the list only, not a host's dialog around the widget
          close();
        } else if (event.key === "Tab") {
          close();
        }
      });
      input.addEventListener("blur", close);
      this._closeSuggestions = close;
    }

    _applyLanguage() {
      this._wrap.setAttribute("lang", this._lang());
      this._suggestList.setAttribute("aria-label", this._text("suggestions"));
      this._label.textContent = this._text("label");
      this._button.textContent = this._text("button");
      this._list.setAttribute("aria-label", this._text("results"));
      this._more.textContent = this._text("all");
      this._setMoreLink(this._last ? this._last.q : "");
    }

    _setMoreLink(q) {
      var query = this._withLang(this._params(q)).toString();
      this._more.href = this._base() + "/search" + (query ? "?" + query : "");
    }

    _abort() {
      clearTimeout(this._timer);
      clearTimeout(this._slowTimer);
      clearTimeout(this._giveUpTimer);
      if (this._pending) {
        this._pending.abort();
        this._pending = null;
      }
    }

    _search(q) {
      this._abort();
      var ctrl = new AbortController();
      this._pending = ctrl;
      this._last = { q: q };
      this._setMoreLink(q);
      var params = this._withLang(this._params(q));
      params.append("page_size", String(this._pageSize()));
      var url = this._base() + "/api/search?" + params.toString();
      var host = this;
      var timedOut = false;
      this._list.setAttribute("aria-busy", "true");
      this._slowTimer = setTimeout(function () {
        host._announce(host._text("searching"), false);
      }, SLOW_MS);
      this._giveUpTimer = setTimeout(function () {
        timedOut = true;
        ctrl.abort();
      }, TIMEOUT_MS);
      fetch(url, { signal: ctrl.signal, credentials: "omit", mode: "cors" })
        .then(function (response) {
          return response.json().catch(function () { return null; }).then(function (data) {
            return { ok: response.ok, status: response.status, data: data };
          });
        })
        .then(function (answer) {
          if (host._pending !== ctrl) {
            return;
          }
          if (answer.ok && answer.data && Array.isArray(answer.data.results)) {
            host._showResults(q, answer.data);
          } else {
            host._showError(answer.status, answer.data);
          }
        })
        .catch(function (err) {
          if (host._pending === ctrl && (timedOut || !(err && err.name === "AbortError"))) {
            host._showError(timedOut ? -1 : 0, null);
          }
        })
        .finally(function () {
          if (host._pending === ctrl) {
            clearTimeout(host._slowTimer);
            clearTimeout(host._giveUpTimer);
            host._pending = null;
            host._list.removeAttribute("aria-busy");
          }
        });
    }

    _announce(text, isError) {
      this._status.classList.toggle("error", Boolean(isError));
      // Clear first and write a moment later, so the same words after a second search are
      // announced again (screen readers skip a region whose text did not change).
      this._status.textContent = "";
      this._statusText = text;
      clearTimeout(this._statusTimer);
      var host = this;
      this._statusTimer = setTimeout(function () {
        host._status.textContent = host._statusText;
      }, ANNOUNCE_DELAY_MS);
    }

    _showError(status, data) {
      this._list.replaceChildren();
      this._list.hidden = true;
      this._suggest.hidden = true;
      var message = data && data.error && typeof data.error.message === "string"
        ? data.error.message : "";
      var key = status === -1 ? "timeout" : status === 0 ? "network"
        : status >= 500 || !message ? "server" : "bad";
      this._announce(this._text(key, { m: message }), true);
    }

    _showResults(q, data) {
      var lang = this._lang();
      var names = {};
      ((data.facets && data.facets.municipality) || []).forEach(function (fv) {
        names[fv.value] = fv.label;
      });
      var total = Number(data.total) || 0;
      var count = total === 0 ? this._text("zero")
        : total === 1 ? this._text("one")
          : this._text("many", { n: groupDigits(total, lang) });
      this._announce(q ? count + " " + this._text("forQ", { q: q }) : count, false);
      this._showSuggestion(data.suggestion);
      var base = this._base();
      var items = data.results.map(function (hit) {
        return hitItem(hit, base, lang, names);
      });
      this._list.replaceChildren.apply(this._list, items);
      this._list.hidden = items.length === 0;
    }

    _showSuggestion(suggestion) {
      this._suggest.replaceChildren();
      this._suggest.hidden = !suggestion;
      if (!suggestion) {
        return;
      }
      var button = el("button", { type: "button", "class": "link" },
        this._text("didYouMean", { q: suggestion }));
      var host = this;
      button.addEventListener("click", function () {
        host._input.value = suggestion;
        host._input.focus();
        host._search(suggestion);
      });
      this._suggest.appendChild(button);
    }
  }

  // A document's page on the service, in the widget's language (no cookie reaches it there).
  function documentUrl(base, id, lang) {
    return base + "/documents/" + encodeURIComponent(String(id)) + (lang === "en" ? "?lang=en" : "");
  }

  function hitItem(hit, base, lang, names) {
    var docUrl = documentUrl(base, hit.id, lang);
    var docLang = String(hit.language || "sv").split("-")[0].toLowerCase();
    // WCAG 3.1.2: a Swedish title in an English widget (or the reverse) carries its language.
    var parts = /^[a-z]{2,3}$/.test(docLang) && docLang !== lang ? { lang: docLang } : {};
    var title = el("p");
    title.appendChild(el("a", Object.assign({ "class": "title", href: docUrl, target: "_top" }, parts),
      String(hit.title || hit.id)));
    var item = el("li");
    item.appendChild(title);
    // A partial or related hit says which words it lacks, as the results page does.
    if (hit.partial && hit.missing && hit.missing.length) {
      var key = hit.related ? "related" : "missing";
      item.appendChild(el("p", { "class": "missing" },
        format(TEXT[lang === "en" ? "en" : "sv"][key], { w: hit.missing.map(String).join(", ") })));
    }
    var places = (hit.municipalities || []).map(function (code) { return names[code] || code; });
    var meta = [places.join(", "), hit.year ? String(hit.year) : ""].filter(Boolean).join(" · ");
    if (meta) {
      item.appendChild(el("p", { "class": "meta" }, meta));
    }
    // One original at other addresses (the API's also_at), named as the results page does:
    // a web address itself, a file by its name (the API's name) to that copy's document page.
    var also = (hit.also_at || []).filter(function (a) { return a && a.url; });
    if (also.length) {
      var row = el("p", { "class": "meta also" }, TEXT[lang === "en" ? "en" : "sv"].alsoAt + ": ");
      also.forEach(function (a, i) {
        if (i) {
          row.appendChild(document.createTextNode(", "));
        }
        var url = String(a.url);
        var name = a.name ? String(a.name) : url;
        if (name !== url && a.id) {
          row.appendChild(el("a", { href: documentUrl(base, a.id, lang), target: "_top" }, name));
        } else if (/^https?:\/\//i.test(url)) {
          row.appendChild(el("a", { href: url, target: "_top", rel: "noopener noreferrer" }, url));
        } else {
          row.appendChild(el("span", {}, url));
        }
      });
      item.appendChild(row);
    }
    if (hit.snippet) {
      var snippet = el("p", Object.assign({ "class": "snippet" }, parts));
      appendSnippet(snippet, String(hit.snippet));
      item.appendChild(snippet);
    }
    return item;
  }

  window.customElements.define("kb-search", KbSearch);
})();
