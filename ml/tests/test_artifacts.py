import pytest
import torch
from safetensors.torch import save_file

from ml import Adapter, Look, MLError


def test_look_round_trip_is_exact(tmp_path, look):
    look.meta["name"] = "Golden hour"
    look.save(tmp_path / "a.safetensors")
    back = Look.load(tmp_path / "a.safetensors")
    assert torch.equal(back.code, look.code) and torch.equal(back.residual, look.residual)
    assert back.fingerprint == look.fingerprint and back.meta["name"] == "Golden hour"


def test_adapter_round_trip_is_exact(tmp_path):
    ad = Adapter({"exposure": 0.3, "temperature": -12.5}, {"edits": 2}, {"user": "7"})
    ad.save(tmp_path / "ad.safetensors")
    back = Adapter.load(tmp_path / "ad.safetensors")
    assert back == ad and back.fingerprint == ad.fingerprint


def test_adapter_of_an_older_format_is_refused(tmp_path):
    meta = {"format": "lookbook-adapter", "version": "1", "look": "x", "fingerprint": "y"}
    save_file({"code_offset": torch.zeros(2)}, tmp_path / "old.st", meta)
    with pytest.raises(MLError, match="version '1'"):
        Adapter.load(tmp_path / "old.st")


def test_fingerprint_changes_with_content(look):
    other = Look(look.code + 1e-3, look.residual, look.base)
    assert other.fingerprint != look.fingerprint


def test_corrupt_and_foreign_files_are_caller_errors(tmp_path, look):
    (tmp_path / "junk.safetensors").write_bytes(b"\x00" * 64)
    with pytest.raises(MLError, match="corrupt"):
        Look.load(tmp_path / "junk.safetensors")
    look.save(tmp_path / "look.safetensors")
    data = bytearray((tmp_path / "look.safetensors").read_bytes())
    data[-8:] = b"\xff" * 8
    (tmp_path / "flipped.safetensors").write_bytes(bytes(data))
    with pytest.raises(MLError, match="corrupt"):
        Look.load(tmp_path / "flipped.safetensors")
    with pytest.raises(MLError, match="not a Lookbook adapter"):
        Adapter.load(tmp_path / "look.safetensors")


def test_wrong_version_is_refused(tmp_path):
    meta = {"format": "lookbook-look", "version": "99", "base": "x", "fingerprint": "y"}
    save_file({"code": torch.zeros(2), "residual": torch.zeros(1)}, tmp_path / "v.st", meta)
    with pytest.raises(MLError, match="version"):
        Look.load(tmp_path / "v.st")
