// Long forms (templates/_form.html): a live character count next to each limited field, and a Markdown preview
// rendered by the server's own renderer (the same one the published page uses). Without this script the limits
// are still written next to the fields and the server still checks them; nothing depends on it.
(function () {
  "use strict";
  if (window.cityexchangeForms) return; // the form partial may be included more than once on a page
  window.cityexchangeForms = true;

  // Characters as the server counts them: code points, not UTF-16 units (an emoji is one character).
  function length(text) {
    return Array.from(text).length;
  }

  function counters() {
    document.querySelectorAll("[data-counter-for]").forEach(function (hint) {
      var field = document.getElementById(hint.getAttribute("data-counter-for"));
      if (!field || hint.querySelector(".char-count")) return;
      var limit = parseInt(hint.getAttribute("data-limit"), 10);
      var count = document.createElement("span");
      count.className = "char-count";
      count.setAttribute("aria-live", "polite");
      var over = document.createElement("span");
      over.className = "char-over";
      over.textContent = hint.getAttribute("data-over") || "";
      hint.appendChild(document.createTextNode(" · "));
      hint.appendChild(count);
      hint.appendChild(over);
      function update() {
        var used = length(field.value);
        count.textContent = used.toLocaleString(document.documentElement.lang || undefined) + " / " +
          limit.toLocaleString(document.documentElement.lang || undefined);
        var tooLong = used > limit;
        hint.classList.toggle("over", tooLong);
        over.hidden = !tooLong;
      }
      field.setAttribute("aria-describedby", hint.id);
      field.addEventListener("input", update);
      update();
    });
  }

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function previews() {
    document.querySelectorAll("button[data-preview-for]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-preview-for"));
      var output = document.getElementById(button.getAttribute("data-preview-for") + "-preview");
      if (!field || !output) return;
      var showLabel = button.textContent;
      var hideLabel = button.getAttribute("data-hide-label") || showLabel;
      button.hidden = false;
      button.setAttribute("aria-controls", output.id);
      button.setAttribute("aria-expanded", "false");
      button.addEventListener("click", function () {
        if (!output.hidden) {
          output.hidden = true;
          button.textContent = showLabel;
          button.setAttribute("aria-expanded", "false");
          return;
        }
        var form = field.form;
        var language = form && form.querySelector("[name=language]");
        var body = new URLSearchParams();
        body.append("text", field.value);
        fetch(button.getAttribute("data-preview-url"), {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken(form), "Content-Type": "application/x-www-form-urlencoded" },
          body: body.toString(),
        })
          .then(function (response) {
            // A redirect here is the sign-in page (the session ended): not a preview.
            if (!response.ok || response.redirected) throw new Error(String(response.status));
            return response.text();
          })
          .then(function (html) {
            // The answer is HTML the server cleaned with its allow-list (practices/rendering.py).
            output.innerHTML = html;
            if (language && language.value) output.setAttribute("lang", language.value);
          })
          .catch(function () {
            output.textContent = button.getAttribute("data-error-label") || "";
            output.removeAttribute("lang");
          })
          .then(function () {
            output.hidden = false;
            button.textContent = hideLabel;
            button.setAttribute("aria-expanded", "true");
          });
      });
    });
  }

  function start() {
    counters();
    previews();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
