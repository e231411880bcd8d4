"""`degrade train` writes its scalars as TensorBoard event files beside metrics.jsonl; TensorBoard's own readers
(the `tensorboard` pip package) must read back exactly the numbers metrics.jsonl holds, across a resume."""
import json
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from conftest import cli

tb_loader = pytest.importorskip("tensorboard.backend.event_processing.event_file_loader",
                                reason="the tensorboard package is not installed (python/requirements-test.txt)")
from tensorboard.backend.event_processing import event_accumulator  # noqa: E402

RECIPE = """\
name: x4
scale: 4
frames: 4
crop: {size: 64}
pipeline:
  - resize: {target_scale: 0.25, resize_opt: [bicubic]}
  - quantize
"""

CONFIG = """\
name: tb
recipe: x4.yaml
seed: 5
threads: 1
batch: 1
iterations: 3
data:
  source: {kind: pan, input: stills, pan_frames: 4, pan_size: [80, 72]}
  frames: 3
  patch: 8
network: {channels: 4, cleaning_blocks: 1, propagation_blocks: 1}
optimizer: {lr: 0.001}
checkpoint: {every: 1, keep: 10}
"""


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "stills").mkdir()
    y, x = np.mgrid[0:96, 0:112]
    for k in range(2):
        img = np.stack([0.5 + 0.35 * np.sin(x * 0.31 + k + c) * np.cos(y * 0.23 - k) for c in range(3)], axis=-1)
        Image.fromarray((img * 255).round().astype(np.uint8)).save(tmp_path / "stills" / f"still{k}.png")
    (tmp_path / "x4.yaml").write_text(RECIPE)
    (tmp_path / "train.yaml").write_text(CONFIG)
    return tmp_path


def train(ws, *extra):
    r = subprocess.run([str(cli()), "train", str(ws / "train.yaml"), "--out", str(ws / "run"), "--quiet", *extra],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr


def jsonl_scalars(run):
    """tag -> {step: value} of the numeric fields of metrics.jsonl."""
    out = {}
    for line in (run / "metrics.jsonl").read_text().splitlines():
        rec = json.loads(line)
        for k, v in rec.items():
            if k != "iteration" and isinstance(v, (int, float)) and not isinstance(v, bool):
                out.setdefault(k, {})[rec["iteration"]] = float(v)
    return out


def test_tensorboard_reads_the_training_scalars_across_a_resume(workspace):
    train(workspace)
    run = workspace / "run"
    # As if the process died after logging step 3 but before its checkpoint was complete: resuming from
    # step 2 must drop step 3's scalars from the old event file, as it does from metrics.jsonl.
    shutil.rmtree(run / "ckpt-000003")
    train(workspace, "--resume", "--iterations", "4")
    files = sorted(run.glob("events.out.tfevents.*"))
    assert len(files) == 2, files  # the resumed run starts a new file

    # The raw loader: every file opens with the version record, and every record parses (CRCs checked).
    steps = []
    for f in files:
        events = list(tb_loader.EventFileLoader(str(f)).Load())
        assert events[0].file_version == "brain.Event:2"
        assert all(e.HasField("summary") for e in events[1:])
        steps.append(sorted({e.step for e in events[1:]}))
    assert steps == [[1, 2], [3, 4]], steps

    expected = jsonl_scalars(run)
    assert {"loss_pix", "loss_total", "lr"} <= set(expected), expected.keys()
    acc = event_accumulator.EventAccumulator(str(run))
    acc.Reload()
    assert set(acc.Tags()["scalars"]) == set(expected)
    for tag, by_step in expected.items():
        got = {e.step: e.value for e in acc.Scalars(tag)}
        assert sorted(got) == sorted(by_step), tag
        assert max(by_step) == 4
        for step, value in by_step.items():
            # TensorBoard's simple_value is a 32-bit float.
            assert got[step] == pytest.approx(value, rel=1e-6, abs=1e-30), (tag, step)
