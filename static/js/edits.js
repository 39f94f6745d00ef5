/* Edit controls in the browser: exactly the arithmetic of the worker's edit controls
   (exposure, white balance, contrast, saturation, then fade, on colours in [0, 1]), so the
   preview shows what the worker renders. Change both together; tests/e2e/test_edits_js.py compares them within 1/255.
   combine() is the worker's taste combine(): a user's edits plus their taste at an intensity.
   Two exact shortcuts keep a 256 px preview within a frame: exposure in linear light,
   clamp(x^2.2 * 2^e)^(1/2.2), is min(1, x * 2^(e/2.2)); the contrast curve is read from a
   1024-step table (interpolation error below 1e-6). */
(function (root) {
  "use strict";

  var RANGES = {
    exposure: [-2, 2],
    temperature: [-100, 100],
    tint: [-100, 100],
    contrast: [-100, 100],
    saturation: [-100, 100],
    fade: [0, 100]
  };
  var NAMES = Object.keys(RANGES);
  var LUMA = [0.2126, 0.7152, 0.0722];
  var GAMMA = 2.2;
  var WHITE_BALANCE_RANGE = 0.3;
  var FADE_RANGE = 0.25;
  var CURVE_STEPS = 1024;

  function clamp01(v) { return v < 0 ? 0 : v > 1 ? 1 : v; }

  /* Every control present, each forced into its range; unknown keys are dropped. */
  function clampEdits(edits) {
    var out = {};
    NAMES.forEach(function (name) {
      var value = Number((edits || {})[name] || 0);
      out[name] = Math.min(RANGES[name][1], Math.max(RANGES[name][0], isNaN(value) ? 0 : value));
    });
    return out;
  }

  function combine(edits, taste, intensity) {
    var sum = {};
    NAMES.forEach(function (name) {
      sum[name] = Number((edits || {})[name] || 0) + intensity * Number((taste || {})[name] || 0);
    });
    return clampEdits(sum);
  }

  function isNeutral(edits) {
    return NAMES.every(function (name) { return !edits[name]; });
  }

  /* The per-image constants of a set of edits (white balance gains, fade level). */
  function prepare(edits) {
    var e = clampEdits(edits);
    var t = WHITE_BALANCE_RANGE * e.temperature / 100;
    var g = -WHITE_BALANCE_RANGE * e.tint / 100;
    var gains = [Math.exp(t), Math.exp(g), Math.exp(-t)];
    var norm = LUMA[0] * gains[0] + LUMA[1] * gains[1] + LUMA[2] * gains[2];
    return {
      edits: e,
      neutral: isNeutral(e),
      exposure: Math.pow(2, e.exposure / GAMMA),
      contrastCurve: e.contrast ? contrastCurve(e.contrast / 100) : null,
      gains: gains.map(function (v) { return v / norm; }),
      saturation: 1 + e.saturation / 100,
      black: FADE_RANGE * e.fade / 100
    };
  }

  function contrastCurve(amount) {
    var curve = new Float32Array(CURVE_STEPS + 1);
    for (var i = 0; i <= CURVE_STEPS; i++) {
      var x = i / CURVE_STEPS;
      curve[i] = x - amount * Math.sin(2 * Math.PI * x) / (2 * Math.PI);
    }
    return curve;
  }

  /* Apply prepared edits to one colour [r, g, b] in [0, 1], in place; returns it. */
  function applyColour(p, x) {
    var e = p.edits;
    var c;
    for (c = 0; c < 3; c++) x[c] = clamp01(x[c]);
    if (e.exposure) {
      for (c = 0; c < 3; c++) x[c] = Math.min(1, x[c] * p.exposure);
    }
    if (e.temperature || e.tint) {
      for (c = 0; c < 3; c++) x[c] = clamp01(x[c] * p.gains[c]);
    }
    if (e.contrast) {
      for (c = 0; c < 3; c++) {
        var position = x[c] * CURVE_STEPS;
        var step = Math.min(CURVE_STEPS - 1, Math.floor(position));
        var t = position - step;
        x[c] = p.contrastCurve[step] + t * (p.contrastCurve[step + 1] - p.contrastCurve[step]);
      }
    }
    if (e.saturation) {
      var luma = LUMA[0] * x[0] + LUMA[1] * x[1] + LUMA[2] * x[2];
      for (c = 0; c < 3; c++) x[c] = clamp01(luma + p.saturation * (x[c] - luma));
    }
    if (e.fade) {
      for (c = 0; c < 3; c++) x[c] = p.black + (1 - p.black) * x[c];
    }
    for (c = 0; c < 3; c++) x[c] = clamp01(x[c]);
    return x;
  }

  root.LookbookEdits = {
    RANGES: RANGES,
    NAMES: NAMES,
    clampEdits: clampEdits,
    combine: combine,
    prepare: prepare,
    applyColour: applyColour
  };
})(window);
