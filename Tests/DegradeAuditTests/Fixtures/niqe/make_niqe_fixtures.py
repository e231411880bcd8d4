"""Regenerates the NIQE fixtures NIQETests compares degrade's NIQE with.

Images: crops of datasets/sample/seeding.jpg (Clements Engelhardt, CC0-1.0) at two sizes, and three degraded
versions of one crop (Gaussian blur, Gaussian noise with a fixed seed, JPEG quality 15), written as PNG.

Expected values: BasicSR's `calculate_niqe` (basicsr/metrics/niqe.py with its niqe_pris_params.npz, the MATLAB
release's pristine model), run from a BasicSR checkout given as the first argument (a work tree or a bare git
directory; default: the snapshot the `fetch` tool puts at /work/.mirror/XPixelGroup+BasicSR/repo). Its conventions:
BGR input, convert_to='y' (BT.601 studio-range Y from the 8-bit image), crop_border pixels removed, Y rounded
half-to-even, 96x96 blocks without overlap. Only the four files the metric needs are loaded (the package's
__init__ pulls in the whole training stack); numpy, scipy, torch and cv2 must be importable.

  python3 make_niqe_fixtures.py [BASICSR]
"""
import json
import os
import subprocess
import sys
import tempfile
import types
import importlib.util

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "../../../.."))
BASICSR = sys.argv[1] if len(sys.argv) > 1 else "/work/.mirror/XPixelGroup+BasicSR/repo"
FILES = ["basicsr/metrics/niqe.py", "basicsr/metrics/metric_util.py", "basicsr/metrics/niqe_pris_params.npz",
         "basicsr/utils/matlab_functions.py", "basicsr/utils/color_util.py", "basicsr/utils/registry.py"]


def basicsr_niqe(tree):
    """calculate_niqe imported from `tree` with stub package __init__s."""
    for pkg in ["basicsr", "basicsr.utils", "basicsr.metrics"]:
        mod = types.ModuleType(pkg)
        mod.__path__ = [os.path.join(tree, *pkg.split("."))]
        sys.modules[pkg] = mod

    def load(name):
        path = os.path.join(tree, *name.split(".")) + ".py"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module

    color = load("basicsr.utils.color_util")
    sys.modules["basicsr.utils"].bgr2ycbcr = color.bgr2ycbcr
    load("basicsr.utils.registry")
    load("basicsr.utils.matlab_functions")
    load("basicsr.metrics.metric_util")
    return load("basicsr.metrics.niqe").calculate_niqe


def checkout(source, dest):
    for f in FILES:
        os.makedirs(os.path.join(dest, os.path.dirname(f)), exist_ok=True)
        if os.path.isdir(os.path.join(source, ".git")) or os.path.exists(os.path.join(source, f)):
            data = open(os.path.join(source, f), "rb").read()
        else:
            data = subprocess.run(["git", "--git-dir", source, "show", "HEAD:" + f], check=True,
                                  capture_output=True).stdout
        open(os.path.join(dest, f), "wb").write(data)
    rev = subprocess.run(["git", "--git-dir", source if not os.path.isdir(os.path.join(source, ".git"))
                          else os.path.join(source, ".git"), "rev-parse", "HEAD"], capture_output=True, text=True)
    return rev.stdout.strip()


def make_images():
    photo = cv2.imread(os.path.join(ROOT, "datasets/sample/seeding.jpg"))
    clean = photo[420:612, 900:1188].copy()           # 288x192: 3x2 blocks
    small = photo[700:796, 200:392].copy()            # 192x96: 2 blocks, the fewest NIQE accepts
    blur = cv2.GaussianBlur(clean, (0, 0), 2.0)
    rng = np.random.default_rng(15)
    noisy = np.clip(clean.astype(np.float64) + rng.normal(0, 12, clean.shape), 0, 255).round().astype(np.uint8)
    ok, enc = cv2.imencode(".jpg", clean, [cv2.IMWRITE_JPEG_QUALITY, 15])
    jpeg = cv2.imdecode(enc, cv2.IMREAD_COLOR)
    return {"clean.png": clean, "small.png": small, "blur.png": blur, "noise.png": noisy, "jpeg.png": jpeg}


def main():
    images = make_images()
    with tempfile.TemporaryDirectory() as tmp:
        rev = checkout(BASICSR, tmp)
        niqe = basicsr_niqe(tmp)
        cases = []
        for name, img in images.items():
            cv2.imwrite(os.path.join(HERE, name), img)
            img = cv2.imread(os.path.join(HERE, name))  # score what was written
            for border in ([0, 4] if name == "clean.png" else [0]):
                cases.append({"file": name, "crop_border": border,
                              "niqe": float(niqe(img, crop_border=border, input_order="HWC", convert_to="y"))})
    out = {"implementation": "BasicSR calculate_niqe (basicsr/metrics/niqe.py) at commit " + rev,
           "conventions": "BGR PNG, convert_to=y, crop_border as given, Y rounded, 96x96 blocks",
           "cases": cases}
    with open(os.path.join(HERE, "niqe_expected.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    for c in cases:
        print(c)


if __name__ == "__main__":
    main()
