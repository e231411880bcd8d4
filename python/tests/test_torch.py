"""The PyTorch layer: DataLoader workers (fork and spawn), ranks, framework formats, a killed worker."""

import os
import signal

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="torch is not installed (pip install -r python/requirements-torch.txt); the numpy layer is tested without it")
from torch.utils.data import DataLoader, DistributedSampler  # noqa: E402

import degrade  # noqa: E402
from degrade.torch import DegradeDataset, DegradeIterableDataset, EpochSampler  # noqa: E402
import conftest  # noqa: E402
from conftest import SOURCE  # noqa: E402


@pytest.fixture
def dataset(tiny_recipe):
    return DegradeDataset(tiny_recipe, conftest.STILLS, samples_per_epoch=8, seed=3, **SOURCE)


def keys_of(batches):
    return [k for b in batches for k in b["key"]]


def test_basicsr_format(dataset, tiny_recipe):
    item = dataset[0]
    assert item["lq"].shape == (6, 3, 8, 8) and item["gt"].shape == (6, 3, 32, 32) and item["gt_unsharp"].shape == (6, 3, 32, 32)
    assert item["lq"].dtype == torch.float32 and 0 <= item["lq"].min() and item["lq"].max() <= 1
    raw = degrade.Stream(tiny_recipe, conftest.STILLS, seed=3, samples_per_epoch=8, **SOURCE)[0]
    assert torch.equal(item["lq"], torch.from_numpy(raw.lq).permute(0, 3, 1, 2).float() / 255)


def pack_edit_inputs(results):
    """The contract of mmagic 1.x's PackEditInputs for video keys: frame lists stacked to T×C×H×W tensors, `img`
    becoming the inputs and `gt`/`gt_unsharp` the data sample's fields (a model of it: mmagic is not installed)."""
    def stack(frames):
        return torch.from_numpy(np.stack(frames)).permute(0, 3, 1, 2).contiguous()
    return {"inputs": stack(results["img"]),
            "data_samples": {"gt_img": stack(results["gt"]), "gt_unsharp": stack(results["gt_unsharp"])}}


def test_mmagic_format_is_0_to_255_before_packing(tiny_recipe):
    ds = DegradeDataset(tiny_recipe, conftest.STILLS, samples_per_epoch=8, seed=3, format="mmagic", **SOURCE)
    item = ds[1]
    assert len(item["img"]) == 6 and item["img"][0].shape == (8, 8, 3) and item["img"][0].dtype == np.float32
    assert item["gt"][0].max() > 1 and item["scale"] == 4
    packed = pack_edit_inputs(item)
    basic = DegradeDataset(tiny_recipe, conftest.STILLS, samples_per_epoch=8, seed=3, **SOURCE)[1]
    # EditDataPreprocessor(mean 0, std 255) turns the packed tensors into what BasicSR's format gives.
    assert torch.allclose(packed["inputs"] / 255, basic["lq"]) and torch.allclose(packed["data_samples"]["gt_img"] / 255, basic["gt"])


@pytest.mark.parametrize("context", ["fork", "spawn"])
def test_map_dataset_with_two_workers(dataset, context):
    dataset[0]  # the engine is already open in the parent before the workers start
    loader = DataLoader(dataset, batch_size=2, num_workers=2, multiprocessing_context=context, timeout=120)
    dataset.set_epoch(1)
    batches = list(loader)
    assert keys_of(batches) == [dataset.stream.key(i, 1) for i in range(8)]
    serial = [dataset[i] for i in range(8)]
    assert all(torch.equal(b["lq"][j], serial[2 * k + j]["lq"]) for k, b in enumerate(batches) for j in range(2))


def test_epochs_span_several_stream_epochs(tiny_recipe):
    ds = DegradeDataset(tiny_recipe, conftest.STILLS, samples_per_epoch=4, seed=3, epochs=3, **SOURCE)
    assert len(ds) == 12
    keys = [ds[i]["key"] for i in range(12)]
    assert len(set(keys)) == 12 and keys[4] == ds.stream.key(0, 1)
    with pytest.raises(IndexError):
        ds[12]


def test_distributed_sampler_splits_the_epoch(dataset):
    seen = []
    for rank in range(3):
        sampler = DistributedSampler(dataset, num_replicas=3, rank=rank, shuffle=True, seed=0, drop_last=True)
        sampler.set_epoch(2)
        seen += [i for i in sampler]
    assert len(seen) == len(set(seen)) == 6


def test_persistent_workers_get_the_epoch_through_the_sampler(dataset):
    sampler = EpochSampler(torch.utils.data.SequentialSampler(dataset))
    loader = DataLoader(dataset, batch_size=4, sampler=sampler, num_workers=2, persistent_workers=True, timeout=120)
    firsts = []
    for epoch in range(2):
        sampler.set_epoch(epoch)
        firsts.append(keys_of(list(loader)))
    assert firsts[0][0].endswith("@e0") and firsts[1][0].endswith("@e1")


@pytest.mark.parametrize("world", [1, 2])
def test_iterable_dataset_across_workers_and_ranks_has_no_duplicates_and_no_gaps(tiny_recipe, world):
    keys = []
    for rank in range(world):
        ds = DegradeIterableDataset(tiny_recipe, conftest.STILLS, samples_per_epoch=10, seed=3, rank=rank, world_size=world, **SOURCE)
        ds.set_epoch(2)
        loader = DataLoader(ds, batch_size=None, num_workers=2, multiprocessing_context="fork", timeout=120)
        keys += [item["key"] for item in loader]
    stream = degrade.Stream(tiny_recipe, conftest.STILLS, seed=3, samples_per_epoch=10, **SOURCE)
    assert sorted(keys) == sorted(stream.key(i, 2) for i in range(10))


def test_bad_recipe_fails_in_the_main_process(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\npipeline:\n  - blurr: {}\n")
    with pytest.raises(degrade.DegradeInputError, match=f"{bad}:3"):
        DegradeDataset(bad, conftest.STILLS, samples_per_epoch=4)


class Suicidal(torch.utils.data.Dataset):
    """Kills its own worker process at index 3, as an OOM killer would."""

    def __init__(self, inner):
        self.inner = inner

    def __len__(self):
        return len(self.inner)

    def __getitem__(self, i):
        if i == 3:
            os.kill(os.getpid(), signal.SIGKILL)
        return self.inner[i]


def test_a_killed_worker_fails_the_loader_instead_of_hanging(dataset):
    loader = DataLoader(Suicidal(dataset), batch_size=1, num_workers=2, timeout=60)
    with pytest.raises(RuntimeError, match="killed by signal|exited unexpectedly"):
        list(loader)
