/* Kunskapsbanken: the embed builder (/inbaddning). Everything works without this file: the form
   is a GET form and the server renders the snippet and the preview. With it, a changed choice
   fetches the page for the new choices and swaps the snippet, its hint and the preview in place
   (the URL follows), and the copy button copies the snippet and announces "Kopierad" in a
   polite live region. The button is a real <button>, so Enter and Space work by keyboard. */
(function () {
  "use strict";
  var form = document.getElementById("builder");
  var code = document.getElementById("snippet");
  var button = document.getElementById("copy-snippet");
  var status = document.getElementById("copy-status");
  if (!form || !code || !button || !status) {
    return;
  }
  var DELAY_MS = 300;
  var timer = 0;
  var pending = null;
  var clearTimer = 0;

  function formUrl() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (String(value).trim() !== "") {
        params.append(key, value);
      }
    });
    return form.getAttribute("action") + "?" + params.toString();
  }

  function swap(doc, id) {
    var fresh = doc.getElementById(id);
    var old = document.getElementById(id);
    if (fresh && old) {
      old.replaceWith(document.importNode(fresh, true));
    }
  }

  function refresh() {
    if (!window.fetch || !window.DOMParser) {
      return;
    }
    if (pending) {
      pending.abort();
    }
    var ctrl = new AbortController();
    pending = ctrl;
    var url = formUrl();
    fetch(url, { signal: ctrl.signal, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("snippet");
        if (fresh) {
          code.value = fresh.value;
        }
        swap(doc, "code-hint");
        swap(doc, "preview");
        status.textContent = "";
        if (window.history && window.history.replaceState) {
          window.history.replaceState(null, "", url);
        }
        form.dispatchEvent(new CustomEvent("kb:built", { bubbles: true }));
      })
      .catch(function (err) {
        if (err && err.name === "AbortError") {
          return;
        }
        form.submit(); // fall back to ordinary navigation
      });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, DELAY_MS);
  }

  form.addEventListener("change", later);
  form.addEventListener("input", function (event) {
    if (event.target && event.target.type === "number") {
      later();
    }
  });

  function announce(text) {
    // Cleared first so the same words are announced again on a second copy.
    status.textContent = "";
    window.clearTimeout(clearTimer);
    window.setTimeout(function () {
      status.textContent = text;
    }, 50);
  }

  function copyBySelection() {
    code.focus();
    code.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    button.focus();
    return ok;
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    var text = code.value;
    var done = function () { announce(button.getAttribute("data-done")); };
    var failed = function () {
      if (copyBySelection()) {
        done();
      } else {
        announce(button.getAttribute("data-failed"));
      }
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, failed);
    } else {
      failed();
    }
  });
})();
