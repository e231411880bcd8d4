"""PyTorch datasets over the degradation stream (imported only when torch is installed).

Formats — what each framework's own training pipeline hands its model:
  "basicsr" (BasicSR 1.4.x, and mmedit 0.x after `FramesToTensor` + `Collect`): `lq`, `gt` (and `gt_unsharp`)
      as float32 tensors T×C×H×W in [0, 1], RGB, plus `key`.
  "mmagic" (mmagic 1.x RealBasicVSR configs, the results dict *before* `PackEditInputs`): `img`, `gt`,
      `gt_unsharp` as lists of T float32 H×W×C arrays in 0–255, RGB (the `EditDataPreprocessor` with
      std 255 scales them), plus `key` and `scale`.
  "numpy": the `degrade.Sample` itself (uint8 T×H×W×C).
"""

import numpy as np
import torch
from torch.utils.data import Dataset, IterableDataset, get_worker_info

from .stream import Stream, shard

FORMATS = ("basicsr", "mmedit", "mmagic", "numpy")


def to_format(sample, fmt, scale=4):
    if fmt == "numpy":
        return sample
    if fmt in ("basicsr", "mmedit"):
        def tensor(frames):  # T×H×W×C uint8 → T×C×H×W float in [0, 1]
            return torch.from_numpy(frames).permute(0, 3, 1, 2).float().div_(255.0).contiguous()
        out = {"lq": tensor(sample.lq), "gt": tensor(sample.gt), "key": sample.key}
        if sample.gt_unsharp is not None:
            out["gt_unsharp"] = tensor(sample.gt_unsharp)
        return out
    if fmt == "mmagic":
        def frames(a):
            return [f.astype(np.float32) for f in a]
        out = {"img": frames(sample.lq), "gt": frames(sample.gt), "key": sample.key, "scale": scale}
        if sample.gt_unsharp is not None:
            out["gt_unsharp"] = frames(sample.gt_unsharp)
        return out
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")


class _StreamOwner:
    """Keeps the stream's arguments and opens the engine lazily in each process (fork safety)."""

    def _setup(self, recipe, source, seed, samples_per_epoch, threads, fmt, scale, source_options):
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
        self.format = fmt
        self.seed = int(seed)
        self.epoch = 0
        # Constructed once here so a bad recipe or source fails now, in the main process, with the engine's message.
        self.stream = Stream(recipe, source, seed, samples_per_epoch=samples_per_epoch, threads=threads, **source_options)
        self.scale = int(scale)  # the recipe's `scale`, reported as mmagic's SetValues(scale=…) does

    def set_epoch(self, epoch):
        """Which epoch's samples to give. Reaches DataLoader workers that start after the call (the default,
        persistent_workers=False); persistent workers keep the epoch they started with — give them
        (epoch, index) pairs through the sampler instead (see `EpochSampler`)."""
        self.epoch = int(epoch)

    def _get(self, epoch, index):
        return to_format(self.stream.sample(index, epoch), self.format, self.scale)


class DegradeDataset(_StreamOwner, Dataset):
    """Map-style: index → sample of the current epoch; len = samples_per_epoch. Works with `DistributedSampler`
    and multi-worker DataLoaders. An index may also be an (epoch, index) pair."""

    def __init__(self, recipe, source, samples_per_epoch, seed=0, *, format="basicsr", threads=1, scale=4, **source_options):
        self._setup(recipe, source, seed, samples_per_epoch, threads, format, scale, source_options)
        self.samples_per_epoch = int(samples_per_epoch)

    def __len__(self):
        return self.samples_per_epoch

    def __getitem__(self, index):
        if isinstance(index, (tuple, list)):
            return self._get(int(index[0]), int(index[1]))
        return self._get(self.epoch, int(index))


class EpochSampler(torch.utils.data.Sampler):
    """Wraps a sampler so it yields (epoch, index) pairs: the epoch then reaches persistent workers too."""

    def __init__(self, sampler):
        self.sampler = sampler
        self.epoch = 0

    def set_epoch(self, epoch):
        self.epoch = int(epoch)
        if hasattr(self.sampler, "set_epoch"):
            self.sampler.set_epoch(epoch)

    def __iter__(self):
        return ((self.epoch, i) for i in self.sampler)

    def __len__(self):
        return len(self.sampler)


class DegradeIterableDataset(_StreamOwner, IterableDataset):
    """Iterable: each (rank, DataLoader worker) takes its own share of the epoch's indices by the engine's split
    rule (`degrade.shard`, a pure function of seed, epoch, index, part and parts), so no sample is duplicated or
    skipped across workers and ranks. `rank`/`world_size` default to torch.distributed's when it is initialised.
    With `epochs=None` it runs epoch after epoch forever (call `set_epoch` to choose the first)."""

    def __init__(self, recipe, source, samples_per_epoch, seed=0, *, format="basicsr", threads=1,
                 rank=None, world_size=None, epochs=1, scale=4, **source_options):
        self._setup(recipe, source, seed, samples_per_epoch, threads, format, scale, source_options)
        self.samples_per_epoch = int(samples_per_epoch)
        dist = torch.distributed
        ready = dist.is_available() and dist.is_initialized()
        self.rank = int(rank if rank is not None else (dist.get_rank() if ready else 0))
        self.world_size = int(world_size if world_size is not None else (dist.get_world_size() if ready else 1))
        if not 0 <= self.rank < self.world_size:
            raise ValueError(f"rank must be in 0..{self.world_size - 1}, got {self.rank}")
        self.epochs = epochs

    def share(self, epoch, worker=0, workers=1):
        """The indices this rank's `worker` of `workers` yields in `epoch`."""
        return shard(self.seed, epoch, self.samples_per_epoch, self.rank * workers + worker, self.world_size * workers)

    def __iter__(self):
        info = get_worker_info()
        worker, workers = (info.id, info.num_workers) if info is not None else (0, 1)
        epoch = self.epoch
        while self.epochs is None or epoch < self.epoch + self.epochs:
            for i in self.share(epoch, worker, workers):
                yield self._get(epoch, i)
            epoch += 1
