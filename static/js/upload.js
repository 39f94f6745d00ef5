/* Drag-and-drop photo upload: one request per file, each with its own progress bar and error.
   Posts to the form's action with the CSRF token from the page's meta tag; the server answers
   JSON {ok, message, card}. Without JavaScript the same form posts all files at once. */
(function () {
  "use strict";

  var csrfToken = function () {
    var meta = document.querySelector("meta[name=csrf-token]");
    return meta ? meta.content : "";
  };

  function uploadOne(form, file, list) {
    var item = document.createElement("li");
    item.className = "upload-item";
    var name = document.createElement("span");
    name.className = "upload-name";
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", file.name);
    var status = document.createElement("span");
    status.className = "upload-status";
    status.textContent = form.dataset.statusUploading;
    item.append(name, bar, status);
    list.prepend(item);

    var body = new FormData();
    body.append("image", file);
    body.append("variant", form.dataset.variant || "grid");
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("X-CSRFToken", csrfToken());
    request.setRequestHeader("Accept", "application/json");
    request.responseType = "json";
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) bar.value = Math.round((event.loaded / event.total) * 100);
    });
    request.addEventListener("load", function () {
      var reply = request.response || {};
      if (request.status >= 200 && request.status < 300 && reply.ok) {
        bar.value = 100;
        item.classList.add("upload-done");
        status.textContent = reply.created ? form.dataset.statusDone : form.dataset.statusDuplicate;
        addCard(form, reply);
      } else {
        fail(item, status, reply.message || form.dataset.errorNetwork);
      }
    });
    request.addEventListener("error", function () {
      fail(item, status, form.dataset.errorNetwork);
    });
    request.send(body);
  }

  function fail(item, status, message) {
    item.querySelector("progress").value = 100;
    item.classList.add("upload-failed");
    status.textContent = message;
    status.setAttribute("role", "alert");
  }

  function addCard(form, reply) {
    var target = document.querySelector(form.dataset.target);
    if (!target || !reply.card) return;
    var existing = target.querySelector('[value="' + reply.id + '"], #photo-' + reply.id);
    if (existing) {
      if (existing.type === "checkbox") {
        existing.checked = true;
        existing.dispatchEvent(new Event("change", { bubbles: true }));
      }
      return;
    }
    var holder = document.createElement("template");
    holder.innerHTML = reply.card.trim();
    var node = holder.content.firstElementChild;
    if (form.dataset.variant === "picker") {
      var wrapper = document.createElement("li");
      wrapper.appendChild(node);
      node = wrapper;
    }
    target.prepend(node);
    if (window.htmx) window.htmx.process(node);
    document.querySelectorAll("[data-empty-note]").forEach(function (note) {
      note.remove();
    });
    var input = node.querySelector("input[type=checkbox]");
    if (input) input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function uploadAll(form, files) {
    var list = form.querySelector(".upload-list");
    Array.prototype.forEach.call(files, function (file) {
      uploadOne(form, file, list);
    });
  }

  function setUp(form) {
    var input = form.querySelector("input[type=file]");
    form.classList.add("is-enhanced");
    input.addEventListener("change", function () {
      uploadAll(form, input.files);
      input.value = "";
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      uploadAll(form, input.files);
    });
    ["dragenter", "dragover"].forEach(function (type) {
      form.addEventListener(type, function (event) {
        event.preventDefault();
        form.classList.add("is-dragging");
      });
    });
    ["dragleave", "drop"].forEach(function (type) {
      form.addEventListener(type, function () {
        form.classList.remove("is-dragging");
      });
    });
    form.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        uploadAll(form, event.dataTransfer.files);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-uploader]").forEach(setUp);
  });
})();
