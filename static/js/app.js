/* Small progressive enhancements shared by every page. No inline scripts: CSP allows 'self' only. */
(function () {
  "use strict";

  function autosubmit(root) {
    root.querySelectorAll("[data-autosubmit]").forEach(function (control) {
      if (control.dataset.autosubmitReady) return;
      control.dataset.autosubmitReady = "1";
      control.addEventListener("change", function () {
        if (control.form) control.form.requestSubmit();
      });
    });
  }

  function rangeOutputs(root) {
    root.querySelectorAll("input[type=range][data-output]").forEach(function (range) {
      var output = document.getElementById(range.dataset.output);
      if (!output || range.dataset.outputReady) return;
      range.dataset.outputReady = "1";
      range.addEventListener("input", function () {
        output.textContent = range.value + ("unit" in range.dataset ? range.dataset.unit : "%");
      });
    });
  }

  /* Before/after comparison: a native range input over two stacked images.
     Arrow keys, Home/End and dragging all work because it is a real <input type=range>. */
  function comparisons(root) {
    root.querySelectorAll("[data-compare]").forEach(function (box) {
      var range = box.querySelector(".compare-range");
      if (!range || range.dataset.compareReady) return;
      range.dataset.compareReady = "1";
      function update() {
        box.style.setProperty("--position", range.value + "%");
        range.setAttribute("aria-valuetext", range.value + "%");
      }
      range.addEventListener("input", update);
      update();
    });
  }

  /* A reset button puts every edit slider of its form back to 0. */
  function resetEdits(root) {
    root.querySelectorAll("[data-reset-edits]").forEach(function (button) {
      if (button.dataset.resetReady) return;
      button.dataset.resetReady = "1";
      button.addEventListener("click", function () {
        button.form.querySelectorAll("input[data-edit]").forEach(function (input) {
          input.value = "0";
          input.dispatchEvent(new Event("input", { bubbles: true }));
        });
      });
    });
  }

  function enhance(root) {
    autosubmit(root);
    resetEdits(root);
    rangeOutputs(root);
    comparisons(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    document.body.classList.add("js");
  });
  document.addEventListener("htmx:load", function (event) {
    enhance(event.target);
  });
})();
