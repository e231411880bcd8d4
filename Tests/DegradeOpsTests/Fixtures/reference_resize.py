"""cv2.resize values for GoldenResizeTests: run once with numpy and opencv-python-headless 4.10 (IPP off, one
thread), its output reference_resize.json is committed, so the tests need neither.

Input: a 13x11 (width x height) float32 plane, v(x, y) = 0.5 + 0.4 sin(0.9 x + 0.3) cos(0.7 y - 0.2).
"""
import json
import math
import os

import cv2
import numpy as np

cv2.setNumThreads(1)
cv2.ipp.setUseIPP(False)
W, H = 13, 11
img = np.array([[0.5 + 0.4 * math.sin(0.9 * x + 0.3) * math.cos(0.7 * y - 0.2) for x in range(W)] for y in range(H)],
               dtype=np.float32)
CASES = [("bicubic", 7, 5), ("bicubic", 20, 17), ("area", 5, 4), ("area", 6, 5), ("bilinear", 9, 8), ("bilinear", 26, 22)]
FLAGS = {"bicubic": cv2.INTER_CUBIC, "area": cv2.INTER_AREA, "bilinear": cv2.INTER_LINEAR}
out = {"width": W, "height": H, "opencv": cv2.__version__, "cases": []}
for interp, w, h in CASES:
    r = cv2.resize(img, (w, h), interpolation=FLAGS[interp])
    out["cases"].append(dict(interpolation=interp, width=w, height=h, values=[float(v) for v in r.reshape(-1)]))
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference_resize.json"), "w") as f:
    json.dump(out, f, indent=1)
