"""Nothing leaks: resident memory stays flat over 1 000 samples."""

import degrade
import conftest
from conftest import rss_kb

# Small frames (a 16² crop of 8 frames) so 1 000 samples take seconds on a debug build; a leak of one sample's
# frames would still add up to far more than the allowance.
RECIPE = """\
name: leak-probe
frames: 2
crop: {size: 16}
pipeline:
  - blur: {kernel_size: [7], kernel_list: [iso], kernel_prob: [1]}
  - resize: {target_scale: 0.25, resize_opt: [area], resize_prob: [1]}
  - quantize
"""


def test_rss_is_flat_over_1000_samples():
    s = degrade.Stream(RECIPE, conftest.STILLS, seed=1, samples_per_epoch=250, kind="pan", pan_frames=3, pan_size=(32, 24))
    for i in range(100):  # warm up allocator pools and caches
        s[i % len(s)]
    before = rss_kb()
    n = 0
    for epoch in range(4):
        for i in range(len(s)):
            x = s.sample(i, epoch)
            n += x.lq.shape[0]
    grown = rss_kb() - before
    assert n == 2000
    # One sample is ~6 KB of frames (+ plan text); 1 000 leaked samples would be several MB.
    assert grown < 3000, f"RSS grew by {grown} kB over 1000 samples"
