#!/usr/bin/env python3
"""Trains a small ×4 video SR network on CPU, on realbasicvsr degradations streamed fresh every step.

    pip install ./python torch==2.13.0+cpu       # from the repository root
    python examples/train_vsr.py --steps 300

Every step draws new samples (epoch e, index i) from the stream, so the network never sees the same
degradation twice; held-out samples (a far epoch) measure PSNR against bicubic upsampling of the same LQ.
"""

import argparse
import math
import pathlib
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader

from degrade.torch import DegradeDataset

ROOT = pathlib.Path(__file__).resolve().parents[1]


class TinyVSR(nn.Module):
    """Each frame with its two neighbours (3 frames stacked on channels) → features → pixel-shuffle ×4, added
    to the bilinear upsampling of the frame."""

    def __init__(self, channels=32, blocks=4):
        super().__init__()
        self.head = nn.Conv2d(9, channels, 3, padding=1)
        self.body = nn.Sequential(*[nn.Sequential(nn.Conv2d(channels, channels, 3, padding=1), nn.LeakyReLU(0.1)) for _ in range(blocks)])
        self.up = nn.Sequential(nn.Conv2d(channels, 48, 3, padding=1), nn.PixelShuffle(4))

    def forward(self, lq):  # B×T×C×h×w → B×T×C×4h×4w
        b, t, c, h, w = lq.shape
        padded = torch.cat([lq[:, :1], lq, lq[:, -1:]], dim=1)
        windows = torch.cat([padded[:, :-2], padded[:, 1:-1], padded[:, 2:]], dim=2).reshape(b * t, 3 * c, h, w)
        x = F.leaky_relu(self.head(windows), 0.1)
        x = self.up(x + self.body(x))
        base = F.interpolate(lq.reshape(b * t, c, h, w), scale_factor=4, mode="bilinear", align_corners=False)
        return (x + base).reshape(b, t, c, 4 * h, 4 * w)


def crop(batch, frames, patch, generator):
    """A random window of `frames` frames and a random LQ patch (GT patch ×4), the same for the whole batch."""
    lq, gt = batch["lq"], batch["gt_unsharp"] if "gt_unsharp" in batch else batch["gt"]
    t, h, w = lq.shape[1], lq.shape[3], lq.shape[4]
    s = int(torch.randint(0, t - frames + 1, (1,), generator=generator))
    y = int(torch.randint(0, h - patch + 1, (1,), generator=generator))
    x = int(torch.randint(0, w - patch + 1, (1,), generator=generator))
    return (lq[:, s:s + frames, :, y:y + patch, x:x + patch],
            gt[:, s:s + frames, :, 4 * y:4 * (y + patch), 4 * x:4 * (x + patch)])


def psnr(a, b):
    mse = F.mse_loss(a.clamp(0, 1), b).item()
    return 10 * math.log10(1 / max(mse, 1e-12))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--recipe", default=str(ROOT / "recipes" / "realbasicvsr.yaml"))
    p.add_argument("--input", default=str(ROOT / "datasets" / "sample"))
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--batch", type=int, default=2)
    p.add_argument("--frames", type=int, default=8)
    p.add_argument("--patch", type=int, default=32, help="LQ patch side (GT ×4)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--eval-every", type=int, default=50)
    args = p.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(2)

    per_epoch = 50
    train = DegradeDataset(args.recipe, args.input, samples_per_epoch=per_epoch, seed=args.seed, kind="pan",
                           pan_frames=30, pan_size=(480, 270))
    held_out = [train[(10_000, i)] for i in range(4)]  # epoch 10 000: never reached by training
    net = TinyVSR()
    opt = torch.optim.Adam(net.parameters(), lr=5e-4, betas=(0.9, 0.99))
    gen = torch.Generator().manual_seed(args.seed)

    def evaluate():
        net.eval()
        with torch.no_grad():
            ours, bicubic = [], []
            for s in held_out:
                lq, gt = s["lq"][None, :8], s["gt"][None, :8]
                ours.append(psnr(net(lq), gt))
                bic = F.interpolate(lq[0], scale_factor=4, mode="bicubic", align_corners=False)[None]
                bicubic.append(psnr(bic, gt))
        net.train()
        return sum(ours) / len(ours), sum(bicubic) / len(bicubic)

    step, epoch, start = 0, 0, time.time()
    print(f"{'step':>5} {'loss':>8} {'PSNR':>7} {'bicubic':>7} {'s':>6}")
    while step < args.steps:
        train.set_epoch(epoch)  # reaches the (non-persistent) workers when the loader starts this epoch
        loader = DataLoader(train, batch_size=args.batch, shuffle=True, num_workers=args.workers, drop_last=True,
                            generator=torch.Generator().manual_seed(epoch))
        for batch in loader:
            lq, gt = crop(batch, args.frames, args.patch, gen)
            loss = F.l1_loss(net(lq), gt)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % args.eval_every == 0 or step == 1 or step == args.steps:
                ours, bic = evaluate()
                print(f"{step:5d} {loss.item():8.4f} {ours:7.2f} {bic:7.2f} {time.time() - start:6.0f}", flush=True)
            if step >= args.steps:
                break
        epoch += 1


if __name__ == "__main__":
    main()
