"""`python -m ml bench`: quality against ground truth, speed, memory and sizes.

Quality cases: held-out synthetic looks (seeds >= BENCH_SEED, never seen in training) on the
held-out photos. For each input photo the references are views of the *other* held-out
photos (leave one out), so neither the references nor the input were seen in training.
Ground truth is the look applied to the input without grain (grain is random; the clean
rendering is its expectation).
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
from skimage.color import deltaE_ciede2000, rgb2lab
from skimage.metrics import structural_similarity

import ml
from ml.api import load_base, set_threads
from ml.baselines import histogram_match, reinhard, resnet9_generator
from ml.finetune import train_adapter, train_look
from ml.imageio import HELDOUT_PHOTOS, TRAIN_PHOTOS, sample_photos
from ml.looks import FAMILIES, random_look, random_tweak
from ml.model import count_params
from ml.train_base import TRAIN_SEED_LIMIT

BENCH_SEED = TRAIN_SEED_LIMIT
EVAL_SIDE = 384
METHODS = ("identity", "reinhard", "histogram", "zero-shot", "trained", "trained+adapter")


def _resize(im: Image.Image, side: int) -> Image.Image:
    scale = side / max(im.size)
    return im.resize((max(1, round(im.width * scale)), max(1, round(im.height * scale))))


def delta_e(a: Image.Image, b: Image.Image) -> float:
    la, lb = (rgb2lab(np.asarray(x.convert("RGB")) / 255.0) for x in (a, b))
    return float(deltaE_ciede2000(la, lb).mean())


def ssim_luma(a: Image.Image, b: Image.Image) -> float:
    ya, yb = (np.asarray(x.convert("L"), dtype=np.float32) / 255.0 for x in (a, b))
    return float(structural_similarity(ya, yb, data_range=1.0))


def _ref_views(photos: list[Image.Image]) -> list[Image.Image]:
    views = []
    for p in photos:
        w, h = p.size
        views += [p, p.crop((w // 5, h // 5, w - w // 5, h - h // 5))]
    return views


def _cases(quick: bool) -> list[dict]:
    """(look, input index) pairs; the trained flag marks the subset that also trains looks."""
    per_family = 1 if quick else 2
    cases = []
    for fi, family in enumerate(FAMILIES):
        for j in range(per_family):
            seed = BENCH_SEED + 100 * fi + j
            inputs = [j % len(HELDOUT_PHOTOS)] if quick else range(len(HELDOUT_PHOTOS))
            for i in inputs:
                trained = not quick and i == (fi + j) % len(HELDOUT_PHOTOS)
                cases.append({"family": family, "seed": seed, "input": i, "trained": trained})
    return cases


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
    out = subprocess.run([sys.executable, "-c", _RSS_SCRIPT, str(look_path), str(megapixels)],
                         capture_output=True, text=True, check=True)  # fmt: skip
    return int(out.stdout.strip().splitlines()[-1])


def _sheet(rows: list[list[Image.Image]], path: Path, cell: int = 160) -> None:
    width = max(len(r) for r in rows) * cell
    sheet = Image.new("RGB", (width, len(rows) * cell), "white")
    for y, row in enumerate(rows):
        for x, im in enumerate(row):
            sheet.paste(_resize(im, cell), (x * cell, y * cell))
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(path)


def quality(quick: bool, out_dir: Path) -> dict:
    base = load_base()
    held = [_resize(p, EVAL_SIDE) for p in sample_photos(HELDOUT_PHOTOS)]
    user_photos = [_resize(p, EVAL_SIDE) for p in sample_photos(TRAIN_PHOTOS)]
    scores: dict[str, dict[str, list]] = {}
    trained_scores: dict[str, list] = {m: [] for m in (*METHODS, "user: without adapter")}
    sheet: dict[str, list[Image.Image]] = {}
    train_secs, adapter_secs, sizes = [], [], {}
    for case in _cases(quick):
        look = random_look(case["seed"], case["family"])
        photo = held[case["input"]]
        refs = [look.apply(v) for p in held if p is not photo for v in _ref_views([p])]
        gt = look.apply(photo, grain=False)
        outs = {
            "identity": photo,
            "reinhard": reinhard(photo, refs),
            "histogram": histogram_match(photo, refs),
            "zero-shot": ml.stylize(photo, ml.encode_look(refs, base=base), base=base),
        }
        if case["trained"]:
            t = time.perf_counter()
            trained = train_look(refs, photos=user_photos, seed=case["seed"], base=base)
            train_secs.append(time.perf_counter() - t)
            outs["trained"] = ml.stylize(photo, trained, base=base)
            tweak = random_tweak(case["seed"])
            feedback = [(tweak.apply(look.apply(p, grain=False), grain=False), 1, p)
                        for p in user_photos]  # fmt: skip
            t = time.perf_counter()
            adapter = train_adapter(trained, user_photos, feedback, seed=case["seed"], base=base)
            adapter_secs.append(time.perf_counter() - t)
            user_gt = tweak.apply(gt, grain=False)
            outs["trained+adapter"] = ml.stylize(photo, trained, adapter, base=base)
            trained_scores["user: without adapter"].append(delta_e(outs["trained"], user_gt))
            sizes = _file_sizes(trained, adapter)
        targets = {"trained+adapter": user_gt} if case["trained"] else {}
        fam = scores.setdefault(case["family"], {})
        for name, im in outs.items():
            target = targets.get(name, gt)
            score = (delta_e(im, target), ssim_luma(im, target))
            fam.setdefault(name, []).append(score)
            if case["trained"]:
                trained_scores[name].append(score[0])
        if case["family"] not in sheet and (case["trained"] or quick):
            sheet[case["family"]] = [*refs[:3], photo, *outs.values(), gt]
    if sheet:
        _sheet(list(sheet.values()), out_dir / "ml_sheet.png")
    return {
        "scores": scores,
        "trained_subset": {k: float(np.mean(v)) for k, v in trained_scores.items() if v},
        "train_look_seconds": float(np.median(train_secs)) if train_secs else None,
        "train_adapter_seconds": float(np.median(adapter_secs)) if adapter_secs else None,
        **sizes,
    }


def _file_sizes(look, adapter) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        lp, ap = Path(tmp) / "look.safetensors", Path(tmp) / "adapter.safetensors"
        look.save(lp)
        adapter.save(ap)
        return {"look_bytes": lp.stat().st_size, "adapter_bytes": ap.stat().st_size}


def speed(quick: bool) -> dict:
    base = load_base()
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
            path = Path(tmp) / "look.safetensors"
            look.save(path)
            result["peak_rss_mb_12mp"] = peak_rss_mb(path, 12.0)
            result["peak_rss_mb_24mp"] = peak_rss_mb(path, 24.0)
    return result


def summarize(q: dict) -> dict:
    """Mean dE / SSIM per method, overall and per family."""
    per_family = {
        fam: {m: float(np.mean([s[0] for s in v])) for m, v in methods.items()}
        for fam, methods in q["scores"].items()
    }
    overall: dict[str, dict[str, float]] = {}
    for m in METHODS:
        vals = [s for methods in q["scores"].values() for s in methods.get(m, [])]
        if vals:
            overall[m] = {
                "delta_e": float(np.mean([v[0] for v in vals])),
                "ssim": float(np.mean([v[1] for v in vals])),
                "cases": len(vals),
            }
    return {"overall": overall, "per_family": per_family}


def markdown(summary: dict, q: dict, s: dict) -> str:
    overall = summary["overall"]
    lines = ["| method | mean ΔE2000 | ratio to identity | SSIM (luma) | cases |"]
    lines.append("|---|---|---|---|---|")
    for m, v in overall.items():
        # Trained rows cover a subset of the cases: compare them with identity on that subset.
        subset = v["cases"] < overall["identity"]["cases"]
        ident = q["trained_subset"]["identity"] if subset else overall["identity"]["delta_e"]
        lines.append(f"| {m} | {v['delta_e']:.2f} | {v['delta_e'] / ident:.2f} | "
                     f"{v['ssim']:.3f} | {v['cases']} |")  # fmt: skip
    fams = list(summary["per_family"])
    methods = [m for m in METHODS if m in summary["overall"]]
    lines += ["", "| family | " + " | ".join(methods) + " |", "|---" * (len(methods) + 1) + "|"]
    for f in fams:
        row = summary["per_family"][f]
        lines.append(f"| {f} | " + " | ".join(f"{row[m]:.2f}" for m in methods if m in row) + " |")
    lines += ["", "| figure | value |", "|---|---|"]
    for k, v in {**s, **{k: v for k, v in q.items() if k not in ("scores",)}}.items():
        if isinstance(v, dict):
            v = ", ".join(f"{a} {b:.2f}" for a, b in v.items())
        elif isinstance(v, float):
            v = f"{v:.1f}"
        lines.append(f"| {k} | {v} |")
    return "\n".join(lines)


def run_bench(quick: bool = False, json_path: str | None = "var/bench/ml.json",
              threads: int = 2) -> dict:  # fmt: skip
    set_threads(threads)
    out_dir = Path(json_path).parent if json_path else Path("var/bench")
    q = quality(quick, out_dir)
    s = speed(quick)
    summary = summarize(q)
    report = {"quick": quick, "threads": threads, **summary, **s,
              **{k: v for k, v in q.items() if k != "scores"}}  # fmt: skip
    print(markdown(summary, q, s))
    if json_path:
        Path(json_path).parent.mkdir(parents=True, exist_ok=True)
        Path(json_path).write_text(json.dumps(report, indent=2))
    return report
