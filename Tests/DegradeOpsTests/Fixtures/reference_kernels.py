"""Kernel taps from the reference formulas (BasicSR degradations.py / mmedit blur_kernels.py), in plain Python:
bivariate Gaussian, generalized Gaussian, plateau and the circular low-pass (sinc). Writes reference_kernels.json,
the golden values GoldenKernelTests compares degrade's BlurKernel with.

  grid: x = column offset, y = row offset, both -c..c (c = size // 2)
  Sigma = R(theta) diag(sx^2, sy^2) R(theta)^T, q = [x y] Sigma^-1 [x y]^T
  gaussian: exp(-q/2); generalized: exp(-q^beta / 2); plateau: 1 / (q^beta + 1)
  sinc: omega * J1(omega r) / (2 pi r), centre omega^2 / (4 pi)
  each normalised to sum 1
"""
import json
import math
import os


def j1(x):
    # Power series of the Bessel function J1; converges to double precision for the |x| < 40 used here.
    term = x / 2.0
    total = term
    k = 0
    while abs(term) > 1e-18 * max(1.0, abs(total)):
        k += 1
        term *= -(x * x / 4.0) / (k * (k + 1))
        total += term
        if k > 400:
            break
    return total


def quadratic(sx, sy, theta):
    c, s = math.cos(theta), math.sin(theta)
    # Sigma = R diag R^T
    a = c * c * sx * sx + s * s * sy * sy
    b = c * s * (sx * sx - sy * sy)
    d = s * s * sx * sx + c * c * sy * sy
    det = a * d - b * b
    ia, ib, id_ = d / det, -b / det, a / det
    return lambda x, y: ia * x * x + 2 * ib * x * y + id_ * y * y


def kernel(kind, size, **p):
    c = size // 2
    taps = []
    for row in range(size):
        for col in range(size):
            x, y = col - c, row - c
            if kind == "sinc":
                r = math.hypot(x, y)
                w = p["omega"]
                v = w * w / (4 * math.pi) if r == 0 else w * j1(w * r) / (2 * math.pi * r)
            else:
                q = quadratic(p["sx"], p["sy"], p["theta"])(x, y)
                if kind == "gaussian":
                    v = math.exp(-0.5 * q)
                elif kind == "generalized":
                    v = math.exp(-0.5 * q ** p["beta"])
                else:
                    v = 1.0 / (q ** p["beta"] + 1.0)
            taps.append(v)
    total = sum(taps)
    return [t / total for t in taps]


CASES = [
    ("gaussian", 7, dict(sx=1.3, sy=1.3, theta=0.0)),
    ("gaussian", 9, dict(sx=2.1, sy=0.7, theta=0.6)),
    ("generalized", 9, dict(sx=1.5, sy=0.9, theta=-1.1, beta=0.6)),
    ("generalized", 11, dict(sx=2.0, sy=2.0, theta=0.0, beta=2.5)),
    ("plateau", 9, dict(sx=1.2, sy=2.4, theta=2.0, beta=1.4)),
    ("sinc", 7, dict(omega=1.3)),
    ("sinc", 13, dict(omega=2.2)),
]

if __name__ == "__main__":
    out = [dict(kind=k, size=n, params=p, taps=kernel(k, n, **p)) for k, n, p in CASES]
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference_kernels.json"), "w") as f:
        json.dump(out, f, indent=1)
