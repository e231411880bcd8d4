"""The benchmarks' plain-Python RealBasicVSR pipeline (tools/python-reference) runs end to end: a REDS folder in,
lq/ gt/ gt_unsharp/ PNG folders out, with the recipe's shapes, mirrored and sharpened GTs."""

import importlib.util
import pathlib

import pytest

np = pytest.importorskip("numpy")
cv2 = pytest.importorskip("cv2")
pytest.importorskip("av")
pytest.importorskip("scipy")

PATH = pathlib.Path(__file__).resolve().parents[2] / "tools" / "python-reference" / "realbasicvsr_pipeline.py"


def load_module():
    spec = importlib.util.spec_from_file_location("realbasicvsr_pipeline", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_renders_a_reds_folder(tmp_path):
    rb = load_module()
    rng = np.random.default_rng(5)
    clip = tmp_path / "footage" / "000"
    clip.mkdir(parents=True)
    # a smooth texture with a little noise, so the codecs and filters see something image-like
    y, x = np.mgrid[0:272, 0:288]
    base = (127 + 60 * np.sin(x / 9.0)[..., None] * np.cos(y / 7.0)[..., None] + rng.normal(0, 8, (272, 288, 3)))
    for t in range(16):
        frame = np.clip(np.roll(base, 3 * t, axis=1), 0, 255).astype(np.uint8)
        cv2.imwrite(str(clip / f"{t:08d}.png"), frame)

    count, _ = rb.render(tmp_path / "footage", tmp_path / "out", seed=3, gt_unsharp=True)
    assert count == 1
    for kind, size in (("lq", 64), ("gt", 256), ("gt_unsharp", 256)):
        files = sorted((tmp_path / "out" / kind / "000").iterdir())
        assert [f.name for f in files] == [f"{i:08d}.png" for i in range(30)]
        assert cv2.imread(str(files[0])).shape == (size, size, 3)

    frames = rb.load_reds_clip(clip, range(15))
    first = rb.degrade_clip(frames, np.random.default_rng(9))
    assert np.array_equal(first["gt"][:15], first["gt"][15:][::-1])  # mirrored
    assert not np.array_equal(first["gt_unsharp"], first["gt"])      # sharpened
