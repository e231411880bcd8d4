"""skip_bad_samples: a video with corrupt packets in the middle, streamed with and without skipping."""

import random
import subprocess

import pytest

import degrade
import conftest
from conftest import TINY


@pytest.fixture
def damaged_video(tmp_path, monkeypatch):
    monkeypatch.setenv("DEGRADE_CACHE_DIR", str(tmp_path / "cache"))
    video = tmp_path / "videos" / "pans.mp4"
    subprocess.run([str(conftest.cli()), "make-video", "--input", str(conftest.STILLS), "--out", str(video),
                    "--size", "96x64", "--frames-per-photo", "24", "--gop", "12", "--preset", "ultrafast"],
                   check=True, capture_output=True)
    data = bytearray(video.read_bytes())
    rng = random.Random(3)
    for percent in (30, 50, 70):  # noise over packets in three places
        start = len(data) * percent // 100
        data[start:start + 400] = bytes(rng.randrange(256) for _ in range(400))
    video.write_bytes(bytes(data))
    return video


def test_bad_samples_stop_the_stream_unless_skipped(damaged_video):
    plain = degrade.Stream(TINY, damaged_video, seed=1, kind="video", samples_per_epoch=20)
    with pytest.raises(degrade.DegradeInputError, match="damaged"):
        for i in range(20):
            plain[i]
    skipping = degrade.Stream(TINY, damaged_video, seed=1, kind="video", samples_per_epoch=20, skip_bad_samples=True)
    samples = [skipping[i] for i in range(20)]
    replaced = [s for s in samples if s.skipped]
    assert replaced, "some windows should cross the damaged frames"
    for s in replaced:
        assert all(k["file"].endswith("pans.mp4") and "frame" in k["reason"] for k in s.skipped)
        assert [k["index"] for k in s.skipped] == list(range(s.index, s.index + len(s.skipped)))
    assert all(s.skipped == [] for s in samples if s not in replaced)
