"""The CLI through a real subprocess: success paths, and exit 2 with one line for user errors."""

import subprocess
import sys
from pathlib import Path

import pytest
import torch
from PIL import Image
from safetensors.torch import save_file

import ml

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ml", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def assert_user_error(proc: subprocess.CompletedProcess, text: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert text in lines[0]


@pytest.fixture(scope="module")
def files(tmp_path_factory, refs, photos, look):
    d = tmp_path_factory.mktemp("cli")
    (d / "refs").mkdir()
    for i, r in enumerate(refs):
        r.save(d / "refs" / f"{i}.png")
    (d / "two").mkdir()
    for i, r in enumerate(refs[:2]):
        r.save(d / "two" / f"{i}.png")
    (d / "photos").mkdir()
    for i, p in enumerate(photos[:3]):
        p.save(d / "photos" / f"{i}.jpg")
    (d / "empty").mkdir()
    photos[0].save(d / "in.jpg")
    (d / "notes.jpg").write_text("not an image")
    data = (d / "in.jpg").read_bytes()
    (d / "cut.jpg").write_bytes(data[: len(data) // 2])
    look.save(d / "look.safetensors")
    (d / "junk.safetensors").write_bytes(b"garbage" * 20)
    meta = {"format": "lookbook-look", "version": "0", "base": "x", "fingerprint": "y"}
    save_file({"code": torch.zeros(2)}, d / "old.safetensors", meta)
    (d / "bad-evidence.json").write_text('{"ratings": [{"edits": {}, "rating": 5}]}')
    (d / "not-json.json").write_text("{")
    return d


def test_stylize_zero_shot_and_with_a_look(files):
    out = files / "out.png"
    assert run("stylize", "--refs", files / "refs", "--input", files / "in.jpg",
               "--output", out, "--strength", "0.8").returncode == 0  # fmt: skip
    assert Image.open(out).size == Image.open(files / "in.jpg").size
    proc = run("stylize", "--look", files / "look.safetensors", "--input", files / "in.jpg",
               "--output", files / "out2.jpg")  # fmt: skip
    assert proc.returncode == 0, proc.stderr


def test_train_look_adapter_and_cube(files):
    look = files / "trained.safetensors"
    proc = run("train-look", "--refs", files / "refs", "--out", look, "--steps", "2")
    assert proc.returncode == 0, proc.stderr
    evidence = files / "evidence.json"
    evidence.write_text('{"edited": [{"temperature": 30}, {"temperature": 20}],'
                        ' "pairs": [{"a": {}, "b": {"exposure": 0.5}, "winner": 1}]}')  # fmt: skip
    adapter = files / "adapter.safetensors"
    proc = run("train-adapter", "--evidence", evidence, "--out", adapter)
    assert proc.returncode == 0, proc.stderr
    assert ml.Adapter.load(adapter).taste["temperature"] > 10
    proc = run("stylize", "--look", look, "--adapter", adapter, "--intensity", "0.5",
               "--edits", '{"fade": 20}', "--input", files / "in.jpg",
               "--output", files / "o.jpg")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert run("export-cube", "--look", look, "--out", files / "l.cube").returncode == 0
    assert "LUT_3D_SIZE 33" in (files / "l.cube").read_text()


@pytest.mark.parametrize(
    "args, text",
    [
        (["stylize", "--refs", "{d}/refs", "--input", "{d}/missing.jpg", "--output", "{d}/o.png"],
         "no such file"),
        (["stylize", "--refs", "{d}/refs", "--input", "{d}/notes.jpg", "--output", "{d}/o.png"],
         "not an image"),
        (["stylize", "--refs", "{d}/refs", "--input", "{d}/cut.jpg", "--output", "{d}/o.png"],
         "truncated"),
        (["stylize", "--refs", "{d}/empty", "--input", "{d}/in.jpg", "--output", "{d}/o.png"],
         "empty"),
        (["stylize", "--refs", "{d}/refs", "--input", "{d}/in.jpg", "--output", "{d}/o.png",
          "--strength", "2"], "strength must be between 0 and 1.5"),
        (["train-look", "--refs", "{d}/two", "--out", "{d}/l.safetensors"],
         "need at least 3 reference photos, got 2"),
        (["stylize", "--look", "{d}/junk.safetensors", "--input", "{d}/in.jpg",
          "--output", "{d}/o.png"], "corrupt"),
        (["stylize", "--look", "{d}/old.safetensors", "--input", "{d}/in.jpg",
          "--output", "{d}/o.png"], "version"),
        (["stylize", "--look", "{d}/look.safetensors", "--edits", '{{"exposure": 7}}',
          "--input", "{d}/in.jpg", "--output", "{d}/o.png"], "between -2 and 2"),
        (["stylize", "--look", "{d}/look.safetensors", "--edits", "{{",
          "--input", "{d}/in.jpg", "--output", "{d}/o.png"], "must be a JSON object"),
        (["train-adapter", "--evidence", "{d}/bad-evidence.json", "--out", "{d}/a.st"],
         "rating 0 must be"),
        (["train-adapter", "--evidence", "{d}/not-json.json", "--out", "{d}/a.st"],
         "not valid JSON"),
        (["train-base", "--out", "{d}/b.st", "--data", "{d}/photos", "--exclude", "*.jpg"],
         "folder is empty"),
        (["train-base", "--out", "{d}/b.st", "--data", "{d}/nowhere"], "no such folder"),
        (["bench", "--weights", "{d}/junk.safetensors"], "corrupt"),
        (["stylize", "--input", "{d}/in.jpg"], "required"),
    ],
)  # fmt: skip
def test_user_errors_exit_2_with_one_line(files, args, text):
    assert_user_error(run(*(a.format(d=files) for a in args)), text)


def test_cuda_device_works_or_is_a_user_error(files):
    proc = run("export-cube", "--look", files / "look.safetensors", "--out", files / "c.cube",
               "--device", "cuda")  # fmt: skip
    if torch.cuda.is_available():
        assert proc.returncode == 0, proc.stderr
    else:
        assert_user_error(proc, "CUDA")
