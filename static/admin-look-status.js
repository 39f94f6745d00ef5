// Polls the build status block on the look change page while a build is queued or running.
// A plain file (no inline script): the Content-Security-Policy allows scripts from 'self' only.
(function () {
  "use strict";
  var INTERVAL_MS = 2000;

  function poll(block) {
    if (block.dataset.active !== "true") {
      return;
    }
    window.setTimeout(function () {
      fetch(block.dataset.statusUrl, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("status " + response.status);
          }
          return response.text();
        })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html.trim();
          var fresh = holder.firstElementChild;
          block.replaceWith(fresh);
          if (fresh.dataset.active === "true") {
            poll(fresh);
          } else {
            var note = document.createElement("p");
            note.className = "lookbook-build-done";
            note.textContent = fresh.dataset.doneLabel;
            fresh.appendChild(note);
          }
        })
        .catch(function () {
          poll(block);
        });
    }, INTERVAL_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".lookbook-build-status").forEach(poll);
  });
})();
