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


def test_adapter_round_trip_is_exact(tmp_path, look):
    lora = {"0.a": torch.randn(4, 3), "0.b": torch.randn(5, 4)}
    ad = Adapter(look.fingerprint, torch.randn(128), lora, 0.8, {"user": "7"})
    ad.save(tmp_path / "ad.safetensors")
    back = Adapter.load(tmp_path / "ad.safetensors")
    assert back.fingerprint == ad.fingerprint and back.strength == pytest.approx(0.8)
    assert all(torch.equal(back.lora[k], v) for k, v in lora.items())
    back.check(look)


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


def test_adapter_for_another_look_is_refused(look):
    ad = Adapter("0123456789abcdef", torch.zeros(128), {}, 1.0)
    with pytest.raises(MLError, match="another look"):
        ad.check(look)
