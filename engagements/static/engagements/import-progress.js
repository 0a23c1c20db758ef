// Admin import and export forms: on submit, show what is being done (the form's
// .import-progress line, its data-message) and disable the buttons, so a long import is
// neither taken for a hung page nor submitted twice. Served by the app, no library.
"use strict";
(function () {
  function watch(form, line) {
    if (form.dataset.progressWatched) return;
    form.dataset.progressWatched = "1";
    var download = line.dataset.download === "1";
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitted) {
        event.preventDefault(); // a second click while the first submit runs
        return;
      }
      form.dataset.submitted = "1";
      line.textContent = line.dataset.message;
      line.hidden = false;
      var buttons = form.querySelectorAll("[type=submit]");
      // After this tick: a disabled button is left out of the data being submitted.
      window.setTimeout(function () {
        buttons.forEach(function (button) { button.disabled = true; });
      }, 0);
      if (download) {
        // An export answers with a file and the page stays: let it be used again.
        window.setTimeout(function () {
          delete form.dataset.submitted;
          buttons.forEach(function (button) { button.disabled = false; });
          line.hidden = true;
        }, 8000);
      }
    });
  }
  function start() {
    document.querySelectorAll(".import-progress").forEach(function (line) {
      var form = line.closest("form") ||
        (line.dataset.form && document.querySelector(line.dataset.form));
      if (form) watch(form, line);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
