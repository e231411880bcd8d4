"""degrade's RealBasicVSR generator against an independent PyTorch model with mmagic's parameter names
(realbasicvsr_reference.py): the same random weights, moved through tools/convert-weights, and the same input give
the same output (1e-4 max abs) and the same gradients (1e-3 relative per tensor); the weights convert both ways."""

import importlib.machinery
import importlib.util
import subprocess

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="torch is not installed (pip install -r python/requirements-torch.txt); the PyTorch equivalence test needs it")

import conftest  # noqa: E402
from conftest import ROOT  # noqa: E402
from realbasicvsr_reference import RealBasicVSR  # noqa: E402

CONVERTER = ROOT / "tools" / "convert-weights"
_loader = importlib.machinery.SourceFileLoader("convert_weights", str(CONVERTER))
_spec = importlib.util.spec_from_loader("convert_weights", _loader)
convert = importlib.util.module_from_spec(_spec)
_loader.exec_module(convert)

# Tiny but complete: SPyNet needs 64×64 LQ; 2 frames give one warped step per branch. HR stages 8 wide (mmagic's
# 64 would make the 256² convs dominate the test's time; the 64-wide shapes are checked without running them).
C, NC, NP, T, SIDE, HR = 8, 1, 1, 2, 64, 8


def reference_model(hr=HR):
    torch.manual_seed(0)
    # PyTorch's default init gives SPyNet flows of about a pixel here: enough for the warps to matter.
    return RealBasicVSR(C, NC, NP, hr=hr)


def run(*args):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def exchanged(tmp_path_factory):
    return exchange(tmp_path_factory.mktemp("equivalence"), reference_model())


def exchange(folder, model):
    pth = folder / "realbasicvsr.pth"
    # mmagic's checkpoint layout: EMA and raw generator weights under state_dict, plus a restorer buffer.
    state = {f"generator_ema.{k}": v for k, v in model.state_dict().items()}
    state.update({f"generator.{k}": torch.zeros_like(v) for k, v in model.state_dict().items()})
    state["step_counter"] = torch.zeros(1)
    torch.save({"state_dict": state, "meta": {"iter": 1}}, pth)
    weights = folder / "generator.safetensors"
    done = run("python3", CONVERTER, "to-degrade", pth, weights)
    assert done.returncode == 0, done.stderr
    return folder, model, weights


def test_converted_names_and_shapes_are_mmagics(tmp_path):
    model = reference_model(hr=64)
    pth, weights = tmp_path / "full.pth", tmp_path / "full.safetensors"
    torch.save({"state_dict": {f"generator_ema.{k}": v for k, v in model.state_dict().items()}}, pth)
    assert convert.main(["to-degrade", str(pth), str(weights)]) == 0
    tensors, meta = convert.read_safetensors(weights)
    expected = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    assert {k: v.shape for k, v in tensors.items()} == expected
    assert "basicvsr.spynet.basic_module.5.basic_module.4.conv.weight" in tensors and "basicvsr.spynet.mean" in tensors
    assert tensors["basicvsr.upsample2.upsample_conv.weight"].shape == (256, C, 3, 3)
    assert meta["channels"] == str(C) and meta["alignment"] == "spynet" and meta["hr_channels"] == "64"
    assert meta["cleaning_blocks"] == str(NC) and meta["propagation_blocks"] == str(NP)
    # The EMA weights were taken, not the zeroed raw ones.
    assert np.array_equal(tensors["basicvsr.fusion.weight"], model.state_dict()["basicvsr.fusion.weight"].numpy())


def test_forward_and_gradients_match_pytorch(exchanged):
    folder, model, weights = exchanged
    rng = np.random.default_rng(1)
    # Smooth moving content so SPyNet's flows and the warps see structure, plus noise.
    y, x = np.mgrid[0:SIDE, 0:SIDE].astype(np.float32)
    frames = [np.stack([0.5 + 0.3 * np.sin((x + 2 * t) / (5 + c)) * np.cos((y - t) / (7 + c)) for c in range(3)])
              for t in range(T)]
    lq = (np.stack(frames)[None] + rng.normal(0, 0.03, (1, T, 3, SIDE, SIDE))).astype(np.float32)
    grad_output = rng.normal(0, 1, (1, T, 3, 4 * SIDE, 4 * SIDE)).astype(np.float32)
    convert.write_safetensors(folder / "input.safetensors", {"lq": lq, "grad_output": grad_output}, {})
    done = run(conftest.cli(), "network-probe", weights, "--input", folder / "input.safetensors",
               "--out", folder / "probe.safetensors")
    assert done.returncode == 0, done.stderr
    probe, _ = convert.read_safetensors(folder / "probe.safetensors")

    lq_t = torch.from_numpy(lq)
    output, cleaned = model(lq_t)
    output.backward(torch.from_numpy(grad_output))
    assert np.abs(probe["cleaned"] - cleaned.detach().numpy()).max() < 1e-5
    difference = np.abs(probe["output"] - output.detach().numpy()).max()
    assert difference < 1e-4, f"forward output differs by {difference}"
    print(f"max |output difference| {difference:.2e}")
    # The flows must be doing something, or the alignment path would be untested.
    with torch.no_grad():
        flow = model.basicvsr.spynet(cleaned[:, 0], cleaned[:, 1])
    assert 0.3 < flow.abs().mean().item() < 10

    worst = {}
    for name, p in model.named_parameters():
        g_t = p.grad.numpy()
        g_d = probe[f"grad.{name}"]
        assert g_d.shape == g_t.shape, name
        worst[name] = np.linalg.norm(g_d - g_t) / max(np.linalg.norm(g_t), 1e-12)
    print(f"largest relative gradient difference {max(worst.values()):.2e} ({max(worst, key=worst.get)})")
    bad = {k: v for k, v in worst.items() if v > 1e-3}
    assert not bad, f"relative gradient differences above 1e-3: {bad}"


def test_degrade_upscale_runs_the_converted_weights(exchanged, tmp_path):
    from PIL import Image
    _, model, weights = exchanged
    clip = tmp_path / "lq" / "clip"
    clip.mkdir(parents=True)
    rng = np.random.default_rng(2)
    frames = rng.uniform(0, 1, (2, SIDE, SIDE, 3)).astype(np.float32)
    for i, f in enumerate(frames):
        Image.fromarray((f * 255).round().astype(np.uint8)).save(clip / f"{i:08d}.png")
    done = run(conftest.cli(), "upscale", weights, "--input", tmp_path / "lq", "--out", tmp_path / "sr", "--quiet")
    assert done.returncode == 0, done.stderr
    out = [np.asarray(Image.open(tmp_path / "sr" / "clip" / f"{i:08d}.png")) for i in range(2)]
    assert all(o.shape == (4 * SIDE, 4 * SIDE, 3) for o in out)
    lq = torch.from_numpy(np.stack([np.asarray(Image.open(clip / f"{i:08d}.png")) for i in range(2)]) / 255.0)
    with torch.no_grad():
        expected, _ = model(lq.permute(0, 3, 1, 2).float()[None])
    expected = (expected[0].clamp(0, 1) * 255).round().permute(0, 2, 3, 1).numpy()
    assert np.abs(np.stack(out).astype(np.float64) - expected).max() <= 1  # 8-bit rounding only


# The fixture runs the converter as a process; the other directions call its main() in this process, sparing a
# second torch import per call.
def test_weights_convert_back_to_mmagic(exchanged, tmp_path, capsys):
    _, model, weights = exchanged
    back = tmp_path / "back.pth"
    assert convert.main(["to-mmagic", str(weights), str(back)]) == 0
    assert "hard-codes 64" in capsys.readouterr().err  # HR = 8: warned, still written
    state = torch.load(back, map_location="cpu", weights_only=True)["state_dict"]
    restored = RealBasicVSR(C, NC, NP, hr=HR)
    restored.load_state_dict({k[len("generator_ema."):]: v for k, v in state.items() if k.startswith("generator_ema.")})
    for name, value in model.state_dict().items():
        assert torch.equal(restored.state_dict()[name], value), name


def test_converter_refuses_what_is_not_a_realbasicvsr_checkpoint(tmp_path, capsys):
    bogus = tmp_path / "other.pth"
    torch.save({"state_dict": {"generator.conv.weight": torch.zeros(1)}}, bogus)
    assert convert.main(["to-degrade", str(bogus), str(tmp_path / "x.safetensors")]) == 2
    assert "missing tensor image_cleaning.0.main.0.weight" in capsys.readouterr().err
    assert not (tmp_path / "x.safetensors").exists()
    assert convert.main(["to-degrade", str(tmp_path / "absent.pth"), str(tmp_path / "x.safetensors")]) == 2
    assert "no such file" in capsys.readouterr().err
    (tmp_path / "text.safetensors").write_text("not tensors")
    assert convert.main(["to-mmagic", str(tmp_path / "text.safetensors"), str(tmp_path / "y.pth")]) == 2
    assert "not a safetensors file" in capsys.readouterr().err
