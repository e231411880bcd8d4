import os
import pathlib
import subprocess

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "datasets" / "sample"  # the bundled photographs (the example trains on them)

# A small recipe with every kind of step (blur, noise, JPEG, a video codec, resize), USM and mirroring, so
# the tests run in seconds even against a debug build of the engine.
TINY = """\
name: tiny-bridge
scale: 4
frames: 3
crop: {size: 32}
mirror: true
unsharp: {kernel_size: 7, sigma: 0, weight: 0.5, threshold: 10}
pipeline:
  - blur: {kernel_size: [7], kernel_list: [iso, aniso], kernel_prob: [0.5, 0.5], sigma_x_step: 0.1}
  - noise: {gaussian_sigma: [1, 10]}
  - jpeg: {quality: [40, 90]}
  - video: {codec: [libx264], codec_prob: [1], bitrate: [20000, 80000]}
  - resize: {target_scale: 0.25, resize_opt: [area, bicubic], resize_prob: [0.5, 0.5]}
  - quantize
"""
SOURCE = dict(kind="pan", pan_frames=4, pan_size=(64, 48))

# The tests compare the library with the CLI, so both come from the same build: the checkout's debug build
# (what `swift build` and tools/test make) unless DEGRADE_LIBRARY names another library.
if "DEGRADE_LIBRARY" not in os.environ:
    for _config in ("debug", "release"):
        if (ROOT / ".build" / _config / "libdegrade_c.so").is_file():
            os.environ["DEGRADE_LIBRARY"] = str(ROOT / ".build" / _config / "libdegrade_c.so")
            break


def cli():
    """The `degrade` binary built beside the library under test."""
    lib = os.environ.get("DEGRADE_LIBRARY")
    p = pathlib.Path(lib).parent / "degrade" if lib else None
    if p is None or not p.is_file():
        pytest.fail(f"no degrade binary beside {lib}: run `swift build` first")
    return p


def _write_stills(folder):
    """Five small smooth-plus-texture photographs: the bundled ones are multi-megapixel JPEGs, whose decoding
    would dominate every sample on a debug build."""
    from PIL import Image
    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:90, 0:120]
    for k in range(5):
        base = np.stack([np.sin(x / (7 + k) + c) * np.cos(y / (5 + c + k)) for c in range(3)], axis=-1)
        img = (127 + 90 * base + rng.normal(0, 12, base.shape)).clip(0, 255).astype(np.uint8)
        Image.fromarray(img).save(folder / f"still{k}.png")
    return folder


STILLS = None


@pytest.fixture(scope="session", autouse=True)
def stills(tmp_path_factory):
    global STILLS
    STILLS = _write_stills(tmp_path_factory.mktemp("stills"))
    return STILLS


@pytest.fixture(scope="session")
def tiny_recipe(tmp_path_factory):
    p = tmp_path_factory.mktemp("recipes") / "tiny.yaml"
    p.write_text(TINY)
    return p


@pytest.fixture
def stream(tiny_recipe):
    import degrade
    s = degrade.Stream(tiny_recipe, STILLS, seed=3, **SOURCE)
    yield s
    s.close()


def rss_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def read_frames(folder):
    from PIL import Image
    files = sorted(pathlib.Path(folder).glob("*.png"))
    return np.stack([np.asarray(Image.open(f).convert("RGB")) for f in files])


def apply(recipe, key, out, seed=3):
    return subprocess.run(
        [str(cli()), "apply", str(recipe), "--input", str(STILLS), "--source", "pan", "--pan-frames", "4",
         "--pan-size", "64x48", "--seed", str(seed), "--key", key, "--out", str(out)],
        capture_output=True, text=True)
