"""An independent PyTorch model of RealBasicVSR (image cleaning + BasicVSR with SPyNet alignment), written for the
equivalence test from the published architecture. Its state-dict names and shapes are mmagic's `RealBasicVSRNet`
ones, so a state dict moves between it, mmagic and degrade (through tools/convert-weights) unchanged."""

import torch
import torch.nn as nn
import torch.nn.functional as F


def warp(image, flow, padding):
    """Samples `image` (n, c, h, w) at pixel + flow (n, 2, h, w) bilinearly; grid normalised with (w - 1), (h - 1)
    and align_corners=True, as BasicVSR's flow warping does."""
    n, _, h, w = image.shape
    ys, xs = torch.meshgrid(torch.arange(h, dtype=image.dtype), torch.arange(w, dtype=image.dtype), indexing="ij")
    px = xs.unsqueeze(0) + flow[:, 0]
    py = ys.unsqueeze(0) + flow[:, 1]
    grid = torch.stack((2.0 * px / max(w - 1, 1) - 1.0, 2.0 * py / max(h - 1, 1) - 1.0), dim=3)
    return F.grid_sample(image, grid, mode="bilinear", padding_mode=padding, align_corners=True)


class Block(nn.Module):
    """conv - ReLU - conv plus the input (no batch norm)."""

    def __init__(self, c):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        return x + self.conv2(F.relu(self.conv1(x)))


class BlockStack(nn.Module):
    """Input conv + LeakyReLU(0.1) + residual blocks, held in `main` as indices 0, 1, 2."""

    def __init__(self, cin, c, blocks):
        super().__init__()
        self.main = nn.Sequential(nn.Conv2d(cin, c, 3, padding=1), nn.LeakyReLU(0.1),
                                  nn.Sequential(*[Block(c) for _ in range(blocks)]))

    def forward(self, x):
        return self.main(x)


class ConvUnit(nn.Module):
    """A conv kept under `.conv`, like mmcv's ConvModule."""

    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 7, padding=3)

    def forward(self, x):
        return self.conv(x)


class FlowLevel(nn.Module):
    def __init__(self):
        super().__init__()
        widths = [8, 32, 64, 32, 16, 2]
        self.basic_module = nn.Sequential(*[ConvUnit(widths[i], widths[i + 1]) for i in range(5)])

    def forward(self, x):
        for i, unit in enumerate(self.basic_module):
            x = unit(x)
            if i < 4:
                x = F.relu(x)
        return x


class FlowNet(nn.Module):
    """SPyNet: 6-level pyramid, ImageNet-normalised input, coarse-to-fine residual flow."""

    def __init__(self):
        super().__init__()
        self.basic_module = nn.ModuleList([FlowLevel() for _ in range(6)])
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def forward(self, ref, supp):
        h, w = ref.shape[2:]
        hu, wu = -(-h // 32) * 32, -(-w // 32) * 32
        if (hu, wu) != (h, w):
            ref = F.interpolate(ref, size=(hu, wu), mode="bilinear", align_corners=False)
            supp = F.interpolate(supp, size=(hu, wu), mode="bilinear", align_corners=False)
        refs = [(ref - self.mean) / self.std]
        supps = [(supp - self.mean) / self.std]
        for _ in range(5):
            refs.insert(0, F.avg_pool2d(refs[0], 2, 2))
            supps.insert(0, F.avg_pool2d(supps[0], 2, 2))
        flow = refs[0].new_zeros(ref.shape[0], 2, hu // 32, wu // 32)
        for level in range(6):
            up = flow if level == 0 else 2.0 * F.interpolate(flow, scale_factor=2, mode="bilinear", align_corners=True)
            flow = up + self.basic_module[level](torch.cat([refs[level], warp(supps[level], up, "border"), up], 1))
        if (hu, wu) != (h, w):
            flow = F.interpolate(flow, size=(h, w), mode="bilinear", align_corners=False)
            flow = torch.stack((flow[:, 0] * (w / wu), flow[:, 1] * (h / hu)), 1)
        return flow


class Shuffle(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.upsample_conv = nn.Conv2d(cin, cout * 4, 3, padding=1)

    def forward(self, x):
        return F.pixel_shuffle(self.upsample_conv(x), 2)


class Propagation(nn.Module):
    """BasicVSR: two recurrent branches over warped features, fusion, ×4 pixel-shuffle upsampling."""

    def __init__(self, c, blocks, aligned=True, hr=64):
        super().__init__()
        self.c = c
        self.spynet = FlowNet() if aligned else None
        self.backward_resblocks = BlockStack(c + 3, c, blocks)
        self.forward_resblocks = BlockStack(c + 3, c, blocks)
        self.fusion = nn.Conv2d(2 * c, c, 1)
        self.upsample1 = Shuffle(c, c)
        self.upsample2 = Shuffle(c, hr)
        self.conv_hr = nn.Conv2d(hr, hr, 3, padding=1)
        self.conv_last = nn.Conv2d(hr, 3, 3, padding=1)

    def forward(self, x):
        n, t, _, h, w = x.shape
        if self.spynet is not None:
            a = x[:, :-1].reshape(-1, 3, h, w)
            b = x[:, 1:].reshape(-1, 3, h, w)
            to_next = self.spynet(a, b).view(n, t - 1, 2, h, w)
            to_previous = self.spynet(b, a).view(n, t - 1, 2, h, w)
        lrelu = lambda v: F.leaky_relu(v, 0.1)  # noqa: E731
        back = [None] * t
        feat = x.new_zeros(n, self.c, h, w)
        for i in reversed(range(t)):
            if i < t - 1 and self.spynet is not None:
                feat = warp(feat, to_next[:, i], "zeros")
            feat = self.backward_resblocks(torch.cat([x[:, i], feat], 1))
            back[i] = feat
        outs = []
        feat = x.new_zeros(n, self.c, h, w)
        for i in range(t):
            if i > 0 and self.spynet is not None:
                feat = warp(feat, to_previous[:, i - 1], "zeros")
            feat = self.forward_resblocks(torch.cat([x[:, i], feat], 1))
            y = lrelu(self.fusion(torch.cat([back[i], feat], 1)))
            y = lrelu(self.upsample2(lrelu(self.upsample1(y))))
            y = self.conv_last(lrelu(self.conv_hr(y)))
            outs.append(y + F.interpolate(x[:, i], scale_factor=4, mode="bilinear", align_corners=False))
        return torch.stack(outs, 1)


class RealBasicVSR(nn.Module):
    """One cleaning pass (the training behaviour), then BasicVSR. Returns (output, cleaned)."""

    def __init__(self, c, cleaning_blocks, propagation_blocks, aligned=True, hr=64):
        super().__init__()
        self.image_cleaning = nn.Sequential(BlockStack(3, c, cleaning_blocks), nn.Conv2d(c, 3, 3, padding=1))
        self.basicvsr = Propagation(c, propagation_blocks, aligned, hr)

    def forward(self, lq):
        n, t, c, h, w = lq.shape
        flat = lq.reshape(-1, c, h, w)
        cleaned = (flat + self.image_cleaning(flat)).view(n, t, c, h, w)
        return self.basicvsr(cleaned), cleaned
