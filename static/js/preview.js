/* Instant look preview in the browser: the look's current version as a 3D LUT (.cube) applied
   to a small canvas copy of a photo, with trilinear interpolation, blended with the original by
   the strength, then the edit controls (edits.js, the worker's arithmetic) and the
   adapter's taste at its intensity. No server GPU and no job: the real result is rendered by a
   job. See docs/ui.md.

   A canvas[data-cube-url] reads, at each render: the strength from its form's strength slider
   or its data-strength; its data-edits (JSON) overridden by the form's input[data-edit] sliders
   unless it has data-fixed-edits; and with data-taste (JSON) the form's intensity slider. Its
   photo is data-src, or the form's checked photo (data-thumb), or data-fallback-src. */
(function () {
  "use strict";

  var MAX_SIDE = 256;

  function parseCube(text) {
    var size = 0;
    var min = [0, 0, 0];
    var max = [1, 1, 1];
    var values = [];
    text.split(/\r?\n/).forEach(function (raw) {
      var line = raw.trim();
      if (!line || line[0] === "#") return;
      var parts = line.split(/\s+/);
      var keyword = parts[0].toUpperCase();
      if (keyword === "LUT_3D_SIZE") size = parseInt(parts[1], 10);
      else if (keyword === "DOMAIN_MIN") min = parts.slice(1, 4).map(Number);
      else if (keyword === "DOMAIN_MAX") max = parts.slice(1, 4).map(Number);
      else if (/^[-+0-9.]/.test(keyword) && parts.length >= 3) {
        values.push(Number(parts[0]), Number(parts[1]), Number(parts[2]));
      }
    });
    if (!size || values.length !== size * size * size * 3) {
      throw new Error("not a 3D LUT");
    }
    return { size: size, min: min, max: max, table: new Float32Array(values) };
  }

  /* Red varies fastest in a .cube file: entry (r, g, b) is at r + g*N + b*N*N. */
  function applyLut(lut, source, target, strength, edits) {
    var n = lut.size;
    var last = n - 1;
    var table = lut.table;
    var src = source.data;
    var dst = target.data;
    var prepared = window.LookbookEdits.prepare(edits);
    var colour = [0, 0, 0];
    var scale = [0, 1, 2].map(function (c) { return last / ((lut.max[c] - lut.min[c]) * 255); });
    for (var i = 0; i < src.length; i += 4) {
      var x = Math.min(last, Math.max(0, (src[i] - lut.min[0] * 255) * scale[0]));
      var y = Math.min(last, Math.max(0, (src[i + 1] - lut.min[1] * 255) * scale[1]));
      var z = Math.min(last, Math.max(0, (src[i + 2] - lut.min[2] * 255) * scale[2]));
      var x0 = Math.floor(x), y0 = Math.floor(y), z0 = Math.floor(z);
      var x1 = Math.min(last, x0 + 1), y1 = Math.min(last, y0 + 1), z1 = Math.min(last, z0 + 1);
      var fx = x - x0, fy = y - y0, fz = z - z0;
      for (var c = 0; c < 3; c++) {
        var c000 = table[(x0 + y0 * n + z0 * n * n) * 3 + c];
        var c100 = table[(x1 + y0 * n + z0 * n * n) * 3 + c];
        var c010 = table[(x0 + y1 * n + z0 * n * n) * 3 + c];
        var c110 = table[(x1 + y1 * n + z0 * n * n) * 3 + c];
        var c001 = table[(x0 + y0 * n + z1 * n * n) * 3 + c];
        var c101 = table[(x1 + y0 * n + z1 * n * n) * 3 + c];
        var c011 = table[(x0 + y1 * n + z1 * n * n) * 3 + c];
        var c111 = table[(x1 + y1 * n + z1 * n * n) * 3 + c];
        var c00 = c000 + (c100 - c000) * fx;
        var c10 = c010 + (c110 - c010) * fx;
        var c01 = c001 + (c101 - c001) * fx;
        var c11 = c011 + (c111 - c011) * fx;
        var c0 = c00 + (c10 - c00) * fy;
        var c1 = c01 + (c11 - c01) * fy;
        var graded = c0 + (c1 - c0) * fz;
        var original = src[i + c] / 255;
        colour[c] = original + strength * (graded - original);
      }
      if (!prepared.neutral) window.LookbookEdits.applyColour(prepared, colour);
      for (c = 0; c < 3; c++) dst[i + c] = Math.round(Math.min(1, Math.max(0, colour[c])) * 255);
      dst[i + 3] = src[i + 3];
    }
  }

  var cubes = {};

  function loadCube(url) {
    if (!cubes[url]) {
      cubes[url] = fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("no LUT");
          return response.text();
        })
        .then(parseCube);
    }
    return cubes[url];
  }

  function json(text) {
    return text ? JSON.parse(text) : null;
  }

  function currentEdits(canvas, form) {
    var edits = json(canvas.dataset.edits) || {};
    if (form && !("fixedEdits" in canvas.dataset)) {
      form.querySelectorAll("input[data-edit]").forEach(function (input) {
        edits[input.dataset.edit] = Number(input.value);
      });
    }
    var taste = json(canvas.dataset.taste);
    var slider = form && form.querySelector("input[name=intensity]");
    var useAdapter = form && form.querySelector("input[name=use_adapter]");
    if (taste && !(useAdapter && !useAdapter.checked)) {
      var intensity = slider ? Number(slider.value) / 100 : Number(canvas.dataset.intensity || 1);
      edits = window.LookbookEdits.combine(edits, taste, intensity);
    }
    return edits;
  }

  function setUp(canvas) {
    var form = canvas.closest("form");
    var slider = form && form.querySelector("input[name=strength]");
    var status = document.getElementById(canvas.dataset.status || "preview-status");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    var lutPromise = loadCube(canvas.dataset.cubeUrl);
    var source = null;
    var pending = false;

    function render() {
      pending = false;
      if (!source) return;
      lutPromise.then(function (lut) {
        var started = performance.now();
        var output = context.createImageData(source.width, source.height);
        var strength = slider ? Number(slider.value) / 100 : Number(canvas.dataset.strength || 1);
        var edits = currentEdits(canvas, form);
        applyLut(lut, source, output, strength, edits);
        context.putImageData(output, 0, 0);
        canvas.dataset.renderMs = String(Math.round(performance.now() - started));
        canvas.dataset.previewStrength = String(Math.round(strength * 100));
        canvas.dataset.previewEdits = JSON.stringify(edits);
        canvas.classList.add("has-preview");
        if (status) status.textContent = status.dataset.ready || "";
      }).catch(function () {
        if (status) status.textContent = status.dataset.unavailable || "";
      });
    }

    function schedule() {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(render);
    }

    function load(url) {
      var image = new Image();
      if (new URL(url, window.location.href).origin !== window.location.origin) {
        image.crossOrigin = "anonymous";
      }
      image.addEventListener("load", function () {
        var ratio = Math.min(1, MAX_SIDE / Math.max(image.naturalWidth, image.naturalHeight));
        canvas.width = Math.max(1, Math.round(image.naturalWidth * ratio));
        canvas.height = Math.max(1, Math.round(image.naturalHeight * ratio));
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        try {
          source = context.getImageData(0, 0, canvas.width, canvas.height);
        } catch (error) {
          source = null;
          if (status) status.textContent = status.dataset.unavailable || "";
          return;
        }
        schedule();
      });
      image.src = url;
    }

    canvas.addEventListener("preview:refresh", schedule);
    if (canvas.dataset.src) {
      load(canvas.dataset.src);
    } else {
      form.addEventListener("change", function (event) {
        var input = event.target;
        if (input.name === "photos" && input.checked && input.dataset.thumb) load(input.dataset.thumb);
      });
      var checked = form.querySelector("input[name=photos]:checked");
      if (checked) load(checked.dataset.thumb);
      else if (canvas.dataset.fallbackSrc) load(canvas.dataset.fallbackSrc);
    }
    if (form) form.addEventListener("input", schedule);
  }

  function setUpAll(root) {
    root.querySelectorAll("canvas[data-cube-url]").forEach(function (canvas) {
      if (canvas.dataset.previewReady) return;
      canvas.dataset.previewReady = "1";
      setUp(canvas);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { setUpAll(document); });
  document.addEventListener("htmx:load", function (event) { setUpAll(event.target); });
})();
