"""`python -m ml bench`: quality against ground truth, speed, memory and sizes.

Quality is measured on two sets, both held out on both axes (looks and photos):
- outside: the hand-written grades of ml.bench_looks, which the look generator cannot produce,
  on natural photos that no model trained on (the `test_*` split of the photo folder given
  with --photos, by default BSDS500 beside the project; the bundled held-out photos when
  there is none). Each look's references are photos other than the ones it is scored on.
- synthetic: looks from ml.synthetic with seeds the training never drew, on the bundled
  held-out photos.
Ground truth is the look applied to the input. Every method is compared with identity (the
untouched input) and the classical baselines in the same run.
"""

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from scipy.interpolate import RegularGridInterpolator
from skimage.color import deltaE_ciede2000, rgb2lab

import ml
from ml import render
from ml.api import load_base, look_lut, set_threads
from ml.baselines import histogram_match, reinhard, resnet9_generator
from ml.bench_looks import OUTSIDE_LOOKS, apply_grade
from ml.bench_taste import personalization
from ml.cube import read_cube
from ml.imageio import HELDOUT_PHOTOS, TRAIN_PHOTOS, load_image, sample_photos
from ml.look_training import train_look
from ml.model import count_params
from ml.synthetic import FAMILIES, random_look
from ml.train_base import TRAIN_SEED_LIMIT

BENCH_SEED = TRAIN_SEED_LIMIT
EVAL_SIDE = 384
JND = 2.3
DEFAULT_PHOTOS = Path(__file__).resolve().parents[2] / "shared" / "data" / "photos" / "bsds500"
METHODS = ("identity", "reinhard", "histogram", "zero-shot", "trained")


def _resize(im: Image.Image, side: int) -> Image.Image:
    scale = side / max(im.size)
    return im.resize((max(1, round(im.width * scale)), max(1, round(im.height * scale))))


def _lab(im: Image.Image) -> np.ndarray:
    return rgb2lab(np.asarray(im.convert("RGB")) / 255.0)


def delta_e(a: Image.Image, b: Image.Image) -> float:
    return float(deltaE_ciede2000(_lab(a), _lab(b)).mean())


def transfer_fraction(source: Image.Image, out: Image.Image, truth: Image.Image) -> float:
    """How much of the look was applied: projection of (out - source) on (truth - source) in
    Lab, over |truth - source|^2, averaged where the look moves a pixel by more than 1."""
    s, o, t = _lab(source), _lab(out), _lab(truth)
    want = t - s
    norm2 = (want**2).sum(-1)
    moved = norm2 > 1.0
    if not moved.any():
        return 1.0
    return float(((o - s) * want).sum(-1)[moved].mean() / norm2[moved].mean())


def cube_render(image: Image.Image, cube_path: Path) -> Image.Image:
    """Apply a .cube the way a standard reader does: trilinear interpolation in float."""
    table = read_cube(cube_path)  # [b, g, r, channel]
    axis = np.linspace(0.0, 1.0, table.shape[0])
    interp = RegularGridInterpolator((axis, axis, axis), table)
    rgb = np.asarray(image.convert("RGB"), dtype=np.float64) / 255.0
    out = interp(rgb[..., ::-1].reshape(-1, 3)).reshape(rgb.shape)
    return Image.fromarray((np.clip(out, 0, 1) * 255.0 + 0.5).astype(np.uint8), "RGB")


def app_colour_render(image: Image.Image, look, base) -> Image.Image:
    """The app's render without its vignette (a LUT cannot hold a spatial effect)."""
    with torch.no_grad():
        lut, _ = look_lut(base, look)
    return render.apply(image.convert("RGB"), lut, 0.0)


def outside_photos(folder: Path | None, quick: bool) -> tuple[list, list, str]:
    """(reference pool, inputs, where they came from): the `test_*` split of folder."""
    files = sorted(folder.glob("test_*")) if folder and folder.is_dir() else []
    if len(files) < 12:
        held = [_resize(p, EVAL_SIDE) for p in sample_photos(HELDOUT_PHOTOS)]
        return held, held, "bundled held-out photos (leave one out)"
    rng = np.random.default_rng(0)
    picked = [files[i] for i in rng.permutation(len(files))[: 12 if quick else 30]]
    photos = [_resize(load_image(f).convert("RGB"), EVAL_SIDE) for f in picked]
    n_in = 4 if quick else 10
    return photos[n_in:], photos[:n_in], f"{folder.name}/test_* ({len(photos)} photos)"


def _baselines_and_zero_shot(photo, refs: list, zero, base) -> dict[str, Image.Image]:
    return {
        "identity": photo,
        "reinhard": reinhard(photo, refs),
        "histogram": histogram_match(photo, refs),
        "zero-shot": ml.stylize(photo, zero, base=base),
    }


def _score(case: dict, outs: dict[str, Image.Image], photo, truth) -> None:
    for name, im in outs.items():
        case.setdefault(name, []).append(delta_e(im, truth))
        case.setdefault(f"tf:{name}", []).append(transfer_fraction(photo, im, truth))


def outside_quality(folder: Path | None, quick: bool, out_dir: Path, base) -> dict:
    pool, inputs, source = outside_photos(folder, quick)
    names = list(OUTSIDE_LOOKS)[:: 3 if quick else 1]
    per_look, sheet, cube_de, train_secs = {}, [], [], []
    for li, name in enumerate(names):
        grade = OUTSIDE_LOOKS[name]
        chosen = [inputs[(li + j) % len(inputs)] for j in range(2 if quick else 4)]
        case: dict[str, list[float]] = {}
        for photo in chosen:
            refs_src = [p for p in pool if p is not photo]
            refs_src = [refs_src[(li * 5 + j) % len(refs_src)] for j in range(6)]
            refs = [apply_grade(grade, p) for p in refs_src]
            truth = apply_grade(grade, photo)
            zero = ml.encode_look(refs, base=base)
            outs = _baselines_and_zero_shot(photo, refs, zero, base)
            if not quick and photo is chosen[0]:
                t = time.perf_counter()
                trained = train_look(refs, seed=li, base=base)
                train_secs.append(time.perf_counter() - t)
            if not quick:
                outs["trained"] = ml.stylize(photo, trained, base=base)
            _score(case, outs, photo, truth)
            with tempfile.TemporaryDirectory() as tmp:
                cube = Path(tmp) / "look.cube"
                ml.export_cube(trained if not quick else zero, cube, base=base)
                app = app_colour_render(photo, trained if not quick else zero, base)
                cube_de.append(delta_e(cube_render(photo, cube), app))
            if photo is chosen[0]:
                sheet.append([*refs[:3], photo, *outs.values(), truth])
        per_look[name] = {k: float(np.mean(v)) for k, v in case.items()}
    _sheet(sheet, out_dir / "ml_sheet_outside.png")
    return {
        "source": source,
        "per_look": per_look,
        "cube_delta_e": float(np.mean(cube_de)),
        "cube_delta_e_max": float(np.max(cube_de)),
        "train_look_seconds": float(np.median(train_secs)) if train_secs else None,
    }


def synthetic_quality(quick: bool, out_dir: Path, base) -> dict:
    held = [_resize(p, EVAL_SIDE) for p in sample_photos(HELDOUT_PHOTOS)]
    per_look, sheet = {}, []
    for fi, family in enumerate(list(FAMILIES)[:: 4 if quick else 1]):
        look = random_look(BENCH_SEED + fi, family)
        case: dict[str, list[float]] = {}
        for i, photo in enumerate(held[: 2 if quick else len(held)]):
            refs = [look.apply(v) for p in held if p is not photo for v in _ref_views(p)]
            truth = look.apply(photo, grain=False)
            outs = _baselines_and_zero_shot(photo, refs, ml.encode_look(refs, base=base), base)
            _score(case, outs, photo, truth)
            if i == 0:
                sheet.append([*refs[:3], photo, *outs.values(), truth])
        per_look[f"{family}-{BENCH_SEED + fi}"] = {k: float(np.mean(v)) for k, v in case.items()}
    _sheet(sheet, out_dir / "ml_sheet_synthetic.png")
    return {
        "source": "ml.synthetic held-out seeds on bundled held-out photos",
        "per_look": per_look,
    }


def _ref_views(photo: Image.Image) -> list[Image.Image]:
    w, h = photo.size
    return [photo, photo.crop((w // 5, h // 5, w - w // 5, h - h // 5))]


def taste_quality(quick: bool, base) -> dict:
    """Simulated users with a hidden taste on held-out looks (see ml.bench_taste)."""
    photos = [_resize(p, 128) for p in sample_photos(TRAIN_PHOTOS)]
    held = [_resize(p, 128) for p in sample_photos(HELDOUT_PHOTOS)]
    looks = []
    for seed, family in ((1, "film"), (2, "cinematic"), (3, "vintage"), (4, "moody")):
        grade = random_look(BENCH_SEED + 500 + seed, family)
        looks.append(ml.encode_look([grade.apply(p) for p in held], base=base))
    t = time.perf_counter()
    result = personalization(looks, photos, held, 2 if quick else 8, base, delta_e)
    result["seconds"] = time.perf_counter() - t
    return result


def _timed(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000.0


def _photo_of(megapixels: float) -> Image.Image:
    h = int((megapixels * 1e6 * 3 / 4) ** 0.5)
    base = sample_photos(("rocket.jpg",))[0]
    return base.resize((int(megapixels * 1e6 / h), h), Image.Resampling.BICUBIC)


# VmHWM, not ru_maxrss: after fork+exec Linux reports the parent's peak in ru_maxrss.
_RSS_SCRIPT = """
import sys
import ml
from ml.bench import _photo_of
look = ml.Look.load(sys.argv[1])
image = _photo_of(float(sys.argv[2]))
ml.set_threads(2)
ml.stylize(image, look)
status = open("/proc/self/status").read()
print(int(status.split("VmHWM:")[1].split()[0]) // 1024)
"""


def peak_rss_mb(look_path: Path, megapixels: float) -> int:
    """Peak RSS in MB of a fresh process that stylizes one image of the given size."""
    out = subprocess.run(
        [sys.executable, "-c", _RSS_SCRIPT, str(look_path), str(megapixels)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def _sheet(rows: list[list[Image.Image]], path: Path, cell: int = 160) -> None:
    width = max(len(r) for r in rows) * cell
    sheet = Image.new("RGB", (width, len(rows) * cell), "white")
    for y, row in enumerate(rows):
        for x, im in enumerate(row):
            sheet.paste(_resize(im, cell), (x * cell, y * cell))
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(path)


def speed(quick: bool, base) -> dict:
    refs = [random_look(BENCH_SEED).apply(_resize(p, 512)) for p in sample_photos()[:6]]
    look = ml.encode_look(refs, base=base)
    repeats = 1 if quick else 5
    one, twelve = _photo_of(1.0), _photo_of(12.0)
    result = {
        "ms_1mp": _timed(lambda: ml.stylize(one, look, base=base), repeats),
        "ms_12mp": _timed(lambda: ml.stylize(twelve, look, base=base), repeats),
        "parameters": count_params(base),
    }
    if not quick:
        gen = resnet9_generator().eval()
        x = torch.rand(1, 3, 864, 1152)
        with torch.no_grad():
            result["resnet9_ms_1mp"] = _timed(lambda: gen(x), 3)
        result["speedup_vs_resnet9"] = result["resnet9_ms_1mp"] / result["ms_1mp"]
        with tempfile.TemporaryDirectory() as tmp:
            path, adapter = Path(tmp) / "look.safetensors", Path(tmp) / "adapter.safetensors"
            look.save(path)
            ml.train_adapter(ml.Evidence(edited=[{"exposure": 0.5}])).save(adapter)
            result["look_bytes"] = path.stat().st_size
            result["adapter_bytes"] = adapter.stat().st_size
            result["peak_rss_mb_12mp"] = peak_rss_mb(path, 12.0)
            result["peak_rss_mb_24mp"] = peak_rss_mb(path, 24.0)
    return result


def summarize(per_look: dict[str, dict[str, float]]) -> dict:
    """Means over looks per method, ratios to identity, the worst look and the failures."""
    methods = [m for m in METHODS if all(m in v for v in per_look.values())]
    mean = {m: float(np.mean([v[m] for v in per_look.values()])) for m in methods}
    ident = mean["identity"]
    learned = [m for m in ("zero-shot", "trained") if m in methods]
    worst = {
        m: max(per_look, key=lambda k, m=m: per_look[k][m] / per_look[k]["identity"])
        for m in learned
    }
    return {
        "delta_e": mean,
        "ratio_to_identity": {m: v / ident for m, v in mean.items()},
        "transfer_fraction": {
            m: float(np.mean([v[f"tf:{m}"] for v in per_look.values()]))
            for m in methods
            if m != "identity"
        },
        "worst_look": worst,
        "worse_than_input": {
            m: [k for k, v in per_look.items() if v[m] > v["identity"]] for m in learned
        },
        "worse_than_reinhard_by_1": {
            m: [k for k, v in per_look.items() if v[m] > v["reinhard"] + 1.0] for m in learned
        },
    }


def markdown(sets: dict[str, dict], extra: dict) -> str:
    lines = []
    for name, data in sets.items():
        summary, per_look = data["summary"], data["per_look"]
        methods = list(summary["delta_e"])
        lines += [
            f"### {name}: {data['source']}",
            "",
            "| look | " + " | ".join(methods) + " | transfer (zero-shot) |",
            "|---" * (len(methods) + 2) + "|",
        ]
        for look, v in per_look.items():
            cells = " | ".join(f"{v[m]:.2f}" for m in methods)
            lines.append(f"| {look} | {cells} | {v['tf:zero-shot']:.2f} |")
        mean = " | ".join(f"**{summary['delta_e'][m]:.2f}**" for m in methods)
        ratio = " | ".join(f"{summary['ratio_to_identity'][m]:.2f}x" for m in methods)
        lines += [f"| mean ΔE2000 | {mean} | |", f"| ratio to identity | {ratio} | |", ""]
        tf = ", ".join(f"{m} {v:.2f}" for m, v in summary["transfer_fraction"].items())
        lines += [
            f"- transfer fraction: {tf}",
            f"- worst look (ratio to identity): {summary['worst_look']}",
            f"- worse than the input: {summary['worse_than_input']}",
            f"- worse than Reinhard by > 1 ΔE: {summary['worse_than_reinhard_by_1']}",
            "",
        ]
    lines += ["| figure | value |", "|---|---|"]
    for k, v in extra.items():
        if isinstance(v, dict):
            v = ", ".join(f"{a} {b:.2f}" for a, b in v.items())
        lines.append(f"| {k} | {f'{v:.2f}' if isinstance(v, float) else v} |")
    return "\n".join(lines)


def run_bench(
    quick: bool = False,
    json_path: str | None = "var/bench/ml.json",
    threads: int = 2,
    photos: str | None = None,
    weights: str | None = None,
) -> dict:
    set_threads(threads)
    out_dir = Path(json_path).parent if json_path else Path("var/bench")
    base = load_base(path=weights)
    folder = Path(photos) if photos else DEFAULT_PHOTOS
    sets = {
        "outside": outside_quality(folder, quick, out_dir, base),
        "synthetic": synthetic_quality(quick, out_dir, base),
    }
    for data in sets.values():
        data["summary"] = summarize(data["per_look"])
    taste = taste_quality(quick, base)
    extra = {f"taste: {k}": v for k, v in taste.items()} | speed(quick, base)
    for key in ("cube_delta_e", "cube_delta_e_max", "train_look_seconds"):
        extra[key] = sets["outside"].pop(key)
    report = {"quick": quick, "threads": threads, "base": base.meta, **sets, **extra}
    print(markdown(sets, extra))
    if json_path:
        Path(json_path).parent.mkdir(parents=True, exist_ok=True)
        Path(json_path).write_text(json.dumps(report, indent=2))
    return report
