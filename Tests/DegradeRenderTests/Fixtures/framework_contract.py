"""A model of what BasicSR 1.4.x, mmedit 0.x and mmagic 1.x dataset classes require of a folder of frames,
written from their dataset code, to check degrade's rendered sets without installing the frameworks.

Usage: framework_contract.py ROOT SCALE  ->  prints a JSON object {check name: "ok" | "error: ..." | "n/a: ..."}
and exits 1 if any check that applies failed. ROOT is one root of a set (OUT, or OUT/variant-K).

Checks (the contract each dataset class enforces):
- basicsr_video: meta_info lines split on ' ' into exactly `folder, frame_num, shape` (REDSDataset /
  REDSRecurrentDataset); frames `lq/{folder}/{i:08d}.png` and `gt/{folder}/{i:08d}.png` exist for i < frame_num;
  paired_random_crop raises "Scale mismatches" unless GT = scale x LQ in both axes.
- basicsr_video_test: VideoTestDataset takes the first field as the clip folder and asserts equal numbers of lq
  and gt images per clip.
- mmedit_folder: SRFolderMultipleGTDataset unpacks `key, sequence_length = line.strip().split(' ')` (exactly
  two fields) and reads `{folder}/{key}/{i:08d}.png`.
- mmagic_frames: BasicFramesDataset keeps the first field, takes its first path component as the clip at depth 1,
  and counts the files in gt/{clip} as the sequence length.
- paired_images: Real-ESRGAN's paired dataset splits each line on ', ' into `gt_path, lq_path`; BasicSR's
  PairedImageDataset (folder mode) pairs gt/NAME.ext with lq/NAME.ext. GT = scale x LQ.
"""
import json
import os
import struct
import sys

PNG = b"\x89PNG\r\n\x1a\n"


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != PNG:
        raise ValueError(f"{path} is not a PNG")
    w, h = struct.unpack(">II", head[16:24])
    return w, h


def lines(root):
    with open(os.path.join(root, "meta_info.txt")) as f:
        return [l for l in (x.rstrip("\n") for x in f) if l.strip()]


def scale_ok(gt, lq, scale, what):
    (wg, hg), (wl, hl) = png_size(gt), png_size(lq)
    if hg != hl * scale or wg != wl * scale:
        raise ValueError(f"Scale mismatches: {what} GT {wg}x{hg} is not {scale} x LQ {wl}x{hl}")


def basicsr_video(root, scale):
    for line in lines(root):
        folder, frame_num, _ = line.split(" ")  # ValueError unless exactly three fields
        for i in range(int(frame_num)):
            lq = os.path.join(root, "lq", folder, f"{i:08d}.png")
            gt = os.path.join(root, "gt", folder, f"{i:08d}.png")
            for p in (lq, gt):
                if not os.path.isfile(p):
                    raise FileNotFoundError(p)
            scale_ok(gt, lq, scale, f"{folder}/{i:08d}")


def basicsr_video_test(root, scale):
    for line in lines(root):
        folder = line.split(" ")[0]
        lq = sorted(os.listdir(os.path.join(root, "lq", folder)))
        gt = sorted(os.listdir(os.path.join(root, "gt", folder)))
        if len(lq) != len(gt):
            raise AssertionError(f"Different number of images in lq ({len(lq)}) and gt folders ({len(gt)})")


def mmedit_folder(root, scale):
    for line in lines(root):
        key, sequence_length = line.strip().split(" ")  # ValueError unless exactly two fields
        for i in range(int(sequence_length)):
            for kind in ("lq", "gt"):
                p = os.path.join(root, kind, key, f"{i:08d}.png")
                if not os.path.isfile(p):
                    raise FileNotFoundError(p)


def mmagic_frames(root, scale):
    clips = []
    for line in lines(root):
        path = line.split(" ")[0]
        clip = path.split("/")[0]
        if clip not in clips:
            clips.append(clip)
        if "/" in path and not os.path.isfile(os.path.join(root, "gt", path)):
            raise FileNotFoundError(os.path.join(root, "gt", path))
    for clip in clips:
        n = len(os.listdir(os.path.join(root, "gt", clip)))
        if n == 0:
            raise ValueError(f"gt/{clip} has no frames")


def paired_images(root, scale):
    for line in lines(root):
        gt_name, lq_name = line.split(", ")
        scale_ok(os.path.join(root, "gt", gt_name), os.path.join(root, "lq", lq_name), scale, gt_name)
    lq = sorted(os.listdir(os.path.join(root, "lq")))
    gt = sorted(os.listdir(os.path.join(root, "gt")))
    if len(lq) != len(gt):
        raise AssertionError("lq and gt folders have different numbers of images")
    for name in gt:
        if name not in lq:
            raise AssertionError(f"{name} is in gt/ but not in lq/")


def main():
    root, scale = sys.argv[1], int(sys.argv[2])
    first = lines(root)[0]
    images = ", " in first and "(" not in first
    fields = first.split(" ")
    applicable = {
        "basicsr_video": not images and len(fields) == 3 and "/" not in fields[0],
        "basicsr_video_test": not images and "/" not in fields[0],
        "mmedit_folder": not images and len(fields) == 2,
        "mmagic_frames": not images and "/" in fields[0],
        "paired_images": images,
    }
    report, failed = {}, False
    for name, check in [("basicsr_video", basicsr_video), ("basicsr_video_test", basicsr_video_test),
                        ("mmedit_folder", mmedit_folder), ("mmagic_frames", mmagic_frames),
                        ("paired_images", paired_images)]:
        if not applicable[name]:
            report[name] = "n/a: another meta_info form"
            continue
        try:
            check(root, scale)
            report[name] = "ok"
        except Exception as e:  # each framework raises its own kind; all are failures here
            report[name] = f"error: {type(e).__name__}: {e}"
            failed = True
    json.dump(report, sys.stdout)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
