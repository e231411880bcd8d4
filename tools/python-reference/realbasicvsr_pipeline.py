"""A plain-Python RealBasicVSR stage-1 degradation pipeline, for benchmarks only.

It follows what mmedit 0.16.1's training pipeline does for RealBasicVSR (15 consecutive frames, fixed 256 crop,
flips, mirrored to 30 frames, USM-sharpened GT, first-order, video, second-order and a shuffled final unit, then
quantised) with numpy, OpenCV and PyAV, written the way a competent user would: vectorised numpy, cv2 for
filtering, resizing and JPEG, PyAV for the video codec. It is the "reference implementation in Python" that
`tools/bench-render` (and the PyTorch-bridge benchmark) compare `degrade` against; it is not part of the product.

    import numpy as np, realbasicvsr_pipeline as rb
    clip = rb.load_reds_clip("REDS/train_sharp/000", frames=range(15))   # T×H×W×3 uint8 RGB
    out = rb.degrade_clip(clip, np.random.default_rng(0))                # dict(gt, gt_unsharp, lq), uint8

CLI (renders REDS folders to lq/ and gt/ PNG folders, and gt_unsharp/ with --gt-unsharp, as `degrade render` does):
    python3 realbasicvsr_pipeline.py --input FOOTAGE --out OUT [--seed 0] [--repeat 1] [--png-compression 1] [--gt-unsharp]
"""

import argparse
import io
import math
import os
import pathlib
import sys
import time

import av
import cv2
import numpy as np
from scipy.special import j1

# The recipe (mmedit 0.16.1, configs/restorers/real_basicvsr/realbasicvsr_wogan_c64b20_2x30x8_lr1e-4_300k_reds.py).
FRAMES = 15
CROP = 256
SCALE = 4
KERNEL_SIZES = [7, 9, 11, 13, 15, 17, 19, 21]
KERNEL_TYPES = ["iso", "aniso", "generalized_iso", "generalized_aniso", "plateau_iso", "plateau_aniso", "sinc"]
KERNEL_PROB = [0.405, 0.225, 0.108, 0.027, 0.108, 0.027, 0.1]
INTERPOLATIONS = [cv2.INTER_LINEAR, cv2.INTER_AREA, cv2.INTER_CUBIC]
CODECS = ["libx264", "h264", "mpeg4"]


def blur_params(sigma, sinc_only=False, prob=1.0):
    return dict(prob=prob, sigma=sigma, sinc_only=sinc_only, sigma_step=0.02, rotation_step=0.31416,
                beta_gaussian_step=0.05, beta_plateau_step=0.1, omega_step=0.0628)


FIRST_BLUR = blur_params((0.2, 3.0))
SECOND_BLUR = blur_params((0.2, 1.5), prob=0.8)
FINAL_SINC = dict(blur_params(None, sinc_only=True, prob=0.8), omega=(1.0472, 3.1416))
FIRST_RESIZE = dict(mode_prob=[0.2, 0.7, 0.1], scale=(0.15, 1.5), step=0.015)
SECOND_RESIZE = dict(mode_prob=[0.3, 0.4, 0.3], scale=(0.3, 1.2), step=0.03)
FIRST_NOISE = dict(sigma=(1.0, 30.0), poisson=(0.05, 3.0))
SECOND_NOISE = dict(sigma=(1.0, 25.0), poisson=(0.05, 2.5))


# ---------------------------------------------------------------------------------------------- blur kernels

def _grid(k):
    r = np.arange(k, dtype=np.float64) - (k - 1) / 2
    return np.meshgrid(r, r)  # x = column, y = row


def _quadratic_form(k, sx, sy, theta, isotropic):
    if isotropic:
        sy, theta = sx, 0.0
    c, s = math.cos(theta), math.sin(theta)
    rot = np.array([[c, -s], [s, c]])
    cov = rot @ np.diag([sx * sx, sy * sy]) @ rot.T
    inv = np.linalg.inv(cov)
    x, y = _grid(k)
    return inv[0, 0] * x * x + (inv[0, 1] + inv[1, 0]) * x * y + inv[1, 1] * y * y


def _sinc_kernel(k, omega):
    x, y = _grid(k)
    r = np.hypot(x, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        kern = omega * j1(omega * r) / (2 * np.pi * r)
    kern[(k - 1) // 2, (k - 1) // 2] = omega * omega / (4 * np.pi)
    return kern


def _between(rng, a, b):
    return rng.uniform(min(a, b), max(a, b))


def _kernel(kind, k, sx, sy, theta, beta_g, beta_p, omega, rng):
    """One frame's kernel; β is drawn per frame between the walked value and 1 (mmedit 0.16.1 passes [β, β])."""
    if kind == "sinc":
        kern = _sinc_kernel(k, omega)
    else:
        q = _quadratic_form(k, sx, sy, theta, kind.endswith("iso") and not kind.endswith("aniso"))
        if kind in ("iso", "aniso"):
            kern = np.exp(-0.5 * q)
        elif kind.startswith("generalized"):
            beta = _between(rng, beta_g, 1) if rng.uniform() <= 0.5 else _between(rng, 1, beta_g)
            kern = np.exp(-0.5 * np.power(q, beta))
        else:
            beta = _between(rng, beta_p, 1) if rng.uniform() <= 0.5 else _between(rng, 1, beta_p)
            kern = 1 / (np.power(q, beta) + 1)
    return (kern / kern.sum()).astype(np.float32)


def random_blur(frames, rng, p):
    if rng.uniform() >= p["prob"]:
        return frames
    k = int(rng.choice(KERNEL_SIZES))
    kind = "sinc" if p["sinc_only"] else str(rng.choice(KERNEL_TYPES, p=KERNEL_PROB))
    lo, hi = p["sigma"] or (0.2, 3.0)
    sx, sy = rng.uniform(lo, hi), rng.uniform(lo, hi)
    theta = rng.uniform(-3.1416, 3.1416)
    beta_g, beta_p = rng.uniform(0.5, 4), rng.uniform(1, 2)
    omega_range = p.get("omega") or ((math.pi / 3, math.pi) if k < 13 else (math.pi / 5, math.pi))
    omega = rng.uniform(*omega_range)
    out = []
    for f in frames:
        kern = _kernel(kind, k, sx, sy, theta, beta_g, beta_p, omega, rng)
        out.append(cv2.filter2D(f, -1, kern, borderType=cv2.BORDER_REFLECT_101))
        # the per-frame random walks, each clipped to its range
        sx = float(np.clip(sx + rng.uniform(-p["sigma_step"], p["sigma_step"]), lo, hi))
        sy = float(np.clip(sy + rng.uniform(-p["sigma_step"], p["sigma_step"]), lo, hi))
        theta = float(np.clip(theta + rng.uniform(-p["rotation_step"], p["rotation_step"]), -3.1416, 3.1416))
        beta_g = float(np.clip(beta_g + rng.uniform(-p["beta_gaussian_step"], p["beta_gaussian_step"]), 0.5, 4))
        beta_p = float(np.clip(beta_p + rng.uniform(-p["beta_plateau_step"], p["beta_plateau_step"]), 1, 2))
        omega = float(np.clip(omega + rng.uniform(-p["omega_step"], p["omega_step"]), *omega_range))
    return out


# ---------------------------------------------------------------------------------------------- resize, noise, jpeg

def random_resize(frames, rng, p=None, target=None):
    interp = INTERPOLATIONS[int(rng.integers(3))]
    if target is not None:
        return [cv2.resize(f, (target[1], target[0]), interpolation=interp) for f in frames]
    lo, hi = p["scale"]
    mode = rng.choice(3, p=p["mode_prob"])
    scale = rng.uniform(1, hi) if mode == 0 else rng.uniform(lo, 1) if mode == 1 else 1.0
    h, w = frames[0].shape[:2]
    out = []
    for f in frames:
        th, tw = int(h * scale), int(w * scale)
        th, tw = max(2, th - th % 2), max(2, tw - tw % 2)  # is_size_even
        out.append(cv2.resize(f, (tw, th), interpolation=interp))
        scale = float(np.clip(scale + rng.uniform(-p["step"], p["step"]), lo, hi))
    return out


def _gray(f):
    return cv2.cvtColor(f, cv2.COLOR_BGR2GRAY)  # as the reference: RGB data through the BGR weights


def random_noise(frames, rng, p):
    gray = rng.uniform() < 0.4
    out = []
    if rng.uniform() < 0.5:
        lo, hi = p["sigma"]
        sigma = rng.uniform(lo, hi)
        for f in frames:
            if gray:
                noise = rng.standard_normal(f.shape[:2], dtype=np.float32)[..., None]
            else:
                noise = rng.standard_normal(f.shape, dtype=np.float32)
            out.append(f + noise * np.float32(sigma / 255))
            sigma = float(np.clip(sigma + rng.uniform(-0.1, 0.1), lo, hi))
    else:
        lo, hi = p["poisson"]
        scale = rng.uniform(lo, hi)
        for f in frames:
            src = _gray(np.clip(f, 0, 1))[..., None] if gray else f
            levels = np.clip(np.rint(src * 255), 0, 255)
            # 2^ceil(log2(#distinct levels)), counted with a histogram rather than a sort
            vals = 2 ** math.ceil(math.log2(max(1, np.count_nonzero(np.bincount(levels.astype(np.uint8).ravel(), minlength=256)))))
            levels /= 255
            noise = rng.poisson(levels * vals).astype(np.float32) / np.float32(vals) - levels.astype(np.float32)
            out.append(f + noise * np.float32(scale))
            scale = float(np.clip(scale + rng.uniform(-0.005, 0.005), lo, hi))
    return out


def random_jpeg(frames, rng):
    q = float(np.round(rng.uniform(30, 95)))
    out = []
    for f in frames:
        ok, buf = cv2.imencode(".jpg", np.clip(np.rint(f * 255), 0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, int(q)])
        out.append(cv2.imdecode(buf, cv2.IMREAD_UNCHANGED).astype(np.float32) / 255)
        q = float(np.round(np.clip(q + rng.uniform(-3, 3), 30, 95)))
    return out


def random_video(frames, rng):
    codec = CODECS[int(rng.choice(3))]
    if codec == "h264":
        codec = "libx264"  # what PyAV resolves 'h264' to for encoding
    bitrate = int(rng.integers(10_000, 100_001))
    h, w = frames[0].shape[:2]
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as container:
        stream = container.add_stream(codec, rate=1)
        stream.width, stream.height, stream.pix_fmt, stream.bit_rate = w, h, "yuv420p", bitrate
        for f in frames:
            # uint8(255·x): truncation with wrap-around, no clip, as the reference
            pixels = (f * 255).astype(np.int32).astype(np.uint8)
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            if frame.width != w or frame.height != h:  # later frames of a walked resize: swscale bilinear to frame 0's size
                frame = frame.reformat(width=w, height=h, interpolation="BILINEAR")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    buf.seek(0)
    with av.open(buf, "r") as container:
        return [fr.to_ndarray(format="rgb24").astype(np.float32) / 255 for fr in container.decode(video=0)]


def unsharp(frames):
    """USM: kernel 51, σ 8, weight 0.5, threshold 10 (mmedit UnsharpMasking)."""
    g = cv2.getGaussianKernel(51, 0)
    out = []
    for f in frames:
        blurred = cv2.sepFilter2D(f, -1, g, g, borderType=cv2.BORDER_REFLECT_101)
        residue = f - blurred
        mask = (np.abs(residue) * 255 > 10).astype(np.float32)
        soft = cv2.sepFilter2D(mask, -1, g, g, borderType=cv2.BORDER_REFLECT_101)
        sharp = np.clip(f + 0.5 * residue, 0, 1)
        out.append(soft * sharp + (1 - soft) * f)
    return out


def quantize(frames):
    return np.stack([np.clip(np.rint(f * 255), 0, 255).astype(np.uint8) for f in frames])


# ---------------------------------------------------------------------------------------------- the clip

def degrade_clip(clip, rng):
    """clip: T×H×W×3 uint8 RGB (T ≥ 15, H, W ≥ 256). Returns dict(gt, gt_unsharp, lq) of uint8 arrays:
    30×256×256×3, 30×256×256×3 and 30×64×64×3 (15 consecutive frames at a random start, mirrored)."""
    t, h, w = clip.shape[:3]
    if t < FRAMES or h < CROP or w < CROP:
        raise ValueError(f"clip is {t}×{h}×{w}, needs at least {FRAMES} frames of {CROP}×{CROP}")
    start = int(rng.integers(0, t - FRAMES + 1))
    y, x = int(rng.integers(0, h - CROP + 1)), int(rng.integers(0, w - CROP + 1))
    gt = clip[start:start + FRAMES, y:y + CROP, x:x + CROP]
    if rng.uniform() < 0.5:
        gt = gt[:, :, ::-1]
    if rng.uniform() < 0.5:
        gt = gt[:, ::-1]
    if rng.uniform() < 0.5:
        gt = gt.transpose(0, 2, 1, 3)
    gt = np.concatenate([gt, gt[::-1]])  # MirrorSequence, before degradation
    frames = list(np.ascontiguousarray(gt).astype(np.float32) / 255)
    sharpened = unsharp(frames)

    lq = random_blur(sharpened, rng, FIRST_BLUR)
    lq = random_resize(lq, rng, FIRST_RESIZE)
    lq = random_noise(lq, rng, FIRST_NOISE)
    lq = random_jpeg(lq, rng)
    lq = random_video(lq, rng)
    lq = random_blur(lq, rng, SECOND_BLUR)
    lq = random_resize(lq, rng, SECOND_RESIZE)
    lq = random_noise(lq, rng, SECOND_NOISE)
    lq = random_jpeg(lq, rng)
    units = [lambda v: random_video(v, rng),
             lambda v: random_blur(random_resize(v, rng, target=(CROP // SCALE, CROP // SCALE)), rng, FINAL_SINC)]
    for i in rng.permutation(2):
        lq = units[i](lq)
    return dict(gt=np.ascontiguousarray(gt), gt_unsharp=quantize(sharpened), lq=quantize(lq))


# ---------------------------------------------------------------------------------------------- files

def reds_frames(folder):
    """The PNG frames of one REDS clip folder, in order."""
    return sorted(p for p in pathlib.Path(folder).iterdir() if p.suffix.lower() == ".png")


def load_reds_clip(folder, frames=None):
    """Frames (all, or the given indices) of a REDS clip folder as a T×H×W×3 uint8 RGB array."""
    paths = reds_frames(folder)
    chosen = [paths[i] for i in frames] if frames is not None else paths
    out = []
    for p in chosen:
        img = cv2.imread(str(p), cv2.IMREAD_COLOR)
        if img is None:
            raise ValueError(f"{p}: not a readable image")
        out.append(cv2.cvtColor(img, cv2.COLOR_BGR2RGB))
    return np.stack(out)


def write_clip(out, key, result, png_compression=1, gt_unsharp=False):
    for kind in ("lq", "gt", "gt_unsharp") if gt_unsharp else ("lq", "gt"):
        folder = pathlib.Path(out) / kind / key
        folder.mkdir(parents=True, exist_ok=True)
        for i, frame in enumerate(result[kind]):
            ok, buf = cv2.imencode(".png", cv2.cvtColor(frame, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_PNG_COMPRESSION, png_compression])
            (folder / f"{i:08d}.png").write_bytes(buf.tobytes())


def render(input_folder, out, seed=0, png_compression=1, limit=None, repeat=1, gt_unsharp=False):
    """Renders every clip folder of a REDS-style input (`repeat` samples of each, into variant-K/ roots when more
    than one, as `degrade render --repeat`); returns (samples, seconds)."""
    clips = sorted(d for d in pathlib.Path(input_folder).iterdir() if d.is_dir())[:limit]
    started = time.perf_counter()
    for variant in range(repeat):
        root = pathlib.Path(out) / f"variant-{variant + 1}" if repeat > 1 else pathlib.Path(out)
        for n, folder in enumerate(clips):
            rng = np.random.default_rng([seed, variant, n])
            count = len(reds_frames(folder))
            if count < FRAMES:
                raise ValueError(f"{folder}: {count} frames, needs {FRAMES}")
            start = int(rng.integers(0, count - FRAMES + 1))  # decode only the 15 frames the sample uses
            clip = load_reds_clip(folder, range(start, start + FRAMES))
            write_clip(root, folder.name, degrade_clip(clip, rng), png_compression, gt_unsharp)
    return len(clips) * repeat, time.perf_counter() - started


def main(argv=None):
    ap = argparse.ArgumentParser(description="Render REDS folders with a plain-Python RealBasicVSR pipeline (benchmark reference).")
    ap.add_argument("--input", required=True, help="folder of REDS clip folders (NNN/00000000.png …)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--limit", type=int, help="render only the first N clips")
    ap.add_argument("--repeat", type=int, default=1, help="samples per clip (variant-K/ roots when > 1)")
    ap.add_argument("--png-compression", type=int, default=1, help="zlib level for cv2.imencode (default 1)")
    ap.add_argument("--gt-unsharp", action="store_true", help="also write gt_unsharp/ (as `degrade render --gt-unsharp`)")
    args = ap.parse_args(argv)
    cv2.setNumThreads(1)  # one core per side in the benchmark
    n, seconds = render(args.input, args.out, args.seed, args.png_compression, args.limit, args.repeat, args.gt_unsharp)
    print(f"python: {n} clips in {seconds:.2f} s, {n / seconds:.3f} clips/s")


if __name__ == "__main__":
    sys.exit(main())
