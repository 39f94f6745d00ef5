"""`python -m ml ...`: exit 0 on success, 2 with one line on stderr for a user error."""

import argparse
import json
import sys
import time
from pathlib import Path

from ml.errors import MLError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line instead of usage + message
        raise MLError(message)


def _progress(label: str):
    state = {"next": 0.0, "start": time.perf_counter()}

    def report(fraction: float) -> None:
        if fraction >= state["next"] or fraction >= 1.0:
            elapsed = time.perf_counter() - state["start"]
            print(f"{label}: {fraction:4.0%} ({elapsed:.0f}s)", file=sys.stderr)
            state["next"] = fraction + 0.1

    return report


def _save_image(image, path: str) -> None:
    out = Path(path)
    if out.suffix.lower() in (".jpg", ".jpeg") and image.mode != "RGB":
        image = image.convert("RGB")
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        image.save(out)
    except (ValueError, KeyError):
        raise MLError(f"cannot write an image with suffix {out.suffix!r}: {out}") from None


def _read_json(path: str, what: str):
    file = Path(path)
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MLError(f"no such {what} file: {file}") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise MLError(f"{what} file is not valid JSON: {file}") from None


def _read_evidence(path: str):
    """JSON: {"edited": [edits], "ratings": [{"edits": e, "rating": 1|-1}],
    "pairs": [{"a": e, "b": e, "winner": 0|1}]}; every key optional."""
    import ml

    data = _read_json(path, "evidence")
    if not isinstance(data, dict):
        raise MLError(f"evidence file must hold an object: {path}")
    try:
        ratings = [(r["edits"], r["rating"]) for r in data.get("ratings", [])]
        pairs = [(p["a"], p["b"], p["winner"]) for p in data.get("pairs", [])]
        return ml.Evidence(list(data.get("edited", [])), ratings, pairs)
    except (KeyError, TypeError):
        raise MLError(f"evidence file has a malformed item (see docs/ml.md): {path}") from None


def _parse_edits(text: str | None) -> dict | None:
    if not text:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise MLError(f"--edits must be a JSON object, got {text!r}") from None


def _cmd_stylize(a: argparse.Namespace) -> None:
    import ml

    if bool(a.refs) == bool(a.look):
        raise MLError("give either --refs DIR (zero-shot) or --look FILE")
    image = ml.load_image(a.input)
    if a.look:
        look = ml.Look.load(a.look)
    else:
        from ml.imageio import load_folder

        look = ml.encode_look(load_folder(a.refs), device=a.device)
    adapter = ml.Adapter.load(a.adapter) if a.adapter else None
    edits = _parse_edits(a.edits)
    out = ml.stylize(image, look, adapter, a.strength, edits, a.intensity, device=a.device)
    _save_image(out, a.output)


def _cmd_train_look(a: argparse.Namespace) -> None:
    import ml
    from ml.imageio import load_folder

    refs = load_folder(a.refs)
    photos = load_folder(a.photos) if a.photos else None
    kwargs = {"steps": a.steps} if a.steps is not None else {}
    look = ml.train_look(refs, photos, seed=a.seed, progress=_progress("train-look"),
                         device=a.device, **kwargs)  # fmt: skip
    look.save(a.out)


def _cmd_train_adapter(a: argparse.Namespace) -> None:
    import ml

    ml.train_adapter(_read_evidence(a.evidence)).save(a.out)


def _cmd_export_cube(a: argparse.Namespace) -> None:
    import ml

    look = ml.Look.load(a.look)
    adapter = ml.Adapter.load(a.adapter) if a.adapter else None
    ml.export_cube(look, a.out, size=a.size, adapter=adapter, device=a.device)


def _cmd_train_base(a: argparse.Namespace) -> None:
    import torch

    from ml.train_base import TrainConfig, train_base

    torch.set_num_threads(a.threads)
    kwargs = {"steps": a.steps} if a.steps is not None else {}
    train_base(TrainConfig(seed=a.seed, **kwargs), a.out, a.data, a.exclude,
               checkpoint_every=a.checkpoint_every, stop_after=a.stop_after)  # fmt: skip


def _cmd_bench(a: argparse.Namespace) -> None:
    from ml.bench import run_bench

    run_bench(
        quick=a.quick, json_path=a.json, threads=a.threads, photos=a.photos, weights=a.weights
    )


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m ml", description="Lookbook models")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    s = sub.add_parser("stylize", help="render a photo in a look")
    s.add_argument("--refs", help="folder of reference photos (zero-shot)")
    s.add_argument("--look", help="look file (.safetensors)")
    s.add_argument("--adapter", help="personal adapter file")
    s.add_argument("--input", required=True)
    s.add_argument("--output", required=True)
    s.add_argument("--strength", type=float, default=1.0)
    s.add_argument("--edits", help='JSON, e.g. \'{"exposure": 0.3, "temperature": 20}\'')
    s.add_argument("--intensity", type=float, default=1.0, help="of the adapter's taste, 0..1")
    s.set_defaults(func=_cmd_stylize)

    t = sub.add_parser("train-look", help="train a look on reference photos (GAN)")
    t.add_argument("--refs", required=True)
    t.add_argument("--photos")
    t.add_argument("--out", required=True)
    t.add_argument("--steps", type=int)
    t.add_argument("--seed", type=int, default=0)
    t.set_defaults(func=_cmd_train_look)

    ad = sub.add_parser("train-adapter", help="learn a personal taste from edits and ratings")
    ad.add_argument("--evidence", required=True, help="JSON file, see docs/ml.md")
    ad.add_argument("--out", required=True)
    ad.set_defaults(func=_cmd_train_adapter)

    c = sub.add_parser("export-cube", help="export a look as a .cube 3D LUT")
    c.add_argument("--look", required=True)
    c.add_argument("--adapter")
    c.add_argument("--out", required=True)
    c.add_argument("--size", type=int, default=33)
    c.set_defaults(func=_cmd_export_cube)

    for sp in (s, t, c):
        sp.add_argument("--device", default="cpu", help="cpu (default) or cuda")

    b = sub.add_parser("train-base", help="train the base model from scratch")
    b.add_argument("--out", required=True)
    b.add_argument("--steps", type=int)
    b.add_argument("--data", action="append", default=[], help="extra folder of photos")
    b.add_argument("--exclude", help="glob of file names to leave out, e.g. 'test_*'")
    b.add_argument("--seed", type=int, default=0)
    b.add_argument("--threads", type=int, default=2)
    b.add_argument("--checkpoint-every", type=int, default=0, help="save the weights every N steps")
    b.add_argument("--stop-after", type=int, default=0, help="end after N steps of the schedule")
    b.set_defaults(func=_cmd_train_base)

    bb = sub.add_parser("bench", help="benchmark against baselines")
    bb.add_argument("--quick", action="store_true")
    bb.add_argument("--json", default="var/bench/ml.json")
    bb.add_argument("--threads", type=int, default=2)
    bb.add_argument("--photos", help="folder whose test_* photos are the outside set's")
    bb.add_argument("--weights", help="base model file to measure (default: the shipped one)")
    bb.set_defaults(func=_cmd_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        args.func(args)
    except MLError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # unwritable output path, full disk
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0
