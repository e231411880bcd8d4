"""The numpy layer: shapes, dtypes, determinism, and equality with `degrade apply` of the sample's key."""

import json
import pathlib

import numpy as np

import degrade
import conftest
from conftest import SOURCE, apply, read_frames


def test_sample_shapes_and_dtypes(stream):
    s = stream[0]
    assert s.gt.dtype == np.uint8 and s.lq.dtype == np.uint8 and s.gt_unsharp.dtype == np.uint8
    assert s.gt.shape == (6, 32, 32, 3)  # 3 frames mirrored to 6, 32² crop
    assert s.gt_unsharp.shape == s.gt.shape
    assert s.lq.shape == (6, 8, 8, 3)
    assert s.key.endswith("@e0") and s.plan["key"] == s.key
    assert len(stream) == stream.clips == 5  # one sample per still by default
    assert s.lq.std() > 0 and not np.array_equal(s.gt, s.gt_unsharp)


def test_samples_are_a_pure_function_of_seed_epoch_index(tiny_recipe, stream):
    again = degrade.Stream(tiny_recipe, conftest.STILLS, seed=3, threads=2, **SOURCE)
    for epoch, index in [(0, 1), (4, 3)]:
        a, b = stream.sample(index, epoch), again.sample(index, epoch)
        assert a.key == b.key and np.array_equal(a.lq, b.lq) and np.array_equal(a.gt, b.gt)
    other = degrade.Stream(tiny_recipe, conftest.STILLS, seed=4, **SOURCE)
    assert not np.array_equal(other[1].lq, stream[1].lq)
    assert stream.sample(0, 0).key != stream.sample(0, 1).key


def test_a_sample_equals_degrade_apply_of_its_key(tiny_recipe, stream, tmp_path):
    for epoch, index in [(0, 2), (3, 4)]:
        s = stream.sample(index, epoch)
        run = apply(tiny_recipe, s.key, tmp_path / f"apply-{epoch}")
        assert run.returncode == 0, run.stderr
        out = tmp_path / f"apply-{epoch}"
        assert np.array_equal(read_frames(out / "lq"), s.lq)
        assert np.array_equal(read_frames(out / "gt"), s.gt)
        assert np.array_equal(read_frames(out / "gt_unsharp"), s.gt_unsharp)
        assert json.loads((out / "plan.json").read_text()) == s.plan


def test_long_epochs_get_distinct_keys_that_apply_accepts(tiny_recipe, tmp_path):
    s = degrade.Stream(tiny_recipe, conftest.STILLS, seed=3, samples_per_epoch=12, **SOURCE)
    keys = [s.key(i) for i in range(12)]
    assert len(set(keys)) == 12 and len(s) == 12
    late = s[11]
    assert "@e0." in late.key
    run = apply(tiny_recipe, late.key, tmp_path / "late")
    assert run.returncode == 0, run.stderr
    assert np.array_equal(read_frames(tmp_path / "late" / "lq"), late.lq)


def test_plan_without_rendering_matches_the_sample(stream):
    assert stream.plan(3, epoch=2) == stream.sample(3, 2).plan
    assert stream.key(-1) == stream.key(len(stream) - 1)


def test_recipe_as_yaml_text(stream):
    from conftest import TINY
    text = degrade.Stream(TINY, conftest.STILLS, seed=3, **SOURCE)
    assert np.array_equal(text[2].lq, stream[2].lq)


def test_shards_are_disjoint_and_cover_every_index():
    for count, parts in [(100, 6), (5, 8), (7, 1)]:
        shares = [degrade.shard(11, 2, count, p, parts) for p in range(parts)]
        flat = [i for s in shares for i in s]
        assert sorted(flat) == list(range(count))
        assert max(map(len, shares)) - min(map(len, shares)) <= 1
    assert degrade.shard(11, 2, 50, 0, 1) != degrade.shard(11, 3, 50, 0, 1)
