"""The numpy layer: `Stream` gives sample (epoch, index) of a recipe's degradations as uint8 arrays."""

import ctypes
import json
import os

import numpy as np

from . import _native

GT, LQ, GT_UNSHARP = 0, 1, 2


class Sample:
    """One sample: `gt`, `lq` (and `gt_unsharp` when the recipe sharpens) as T×H×W×C uint8 RGB arrays."""

    __slots__ = ("epoch", "index", "key", "gt", "lq", "gt_unsharp", "_plan_text", "_plan", "skipped")

    def __init__(self, epoch, index, key, gt, lq, gt_unsharp, plan_text, skipped=()):
        self.epoch, self.index, self.key = epoch, index, key
        self.gt, self.lq, self.gt_unsharp = gt, lq, gt_unsharp
        self._plan_text, self._plan = plan_text, None
        # With skip_bad_samples: the samples (dicts: epoch, index, key, file, reason) this one replaced.
        self.skipped = list(skipped)

    @property
    def plan(self):
        """Every random decision of this sample, as `degrade plan` prints it (parsed on first use)."""
        if self._plan is None:
            self._plan = json.loads(self._plan_text)
        return self._plan

    @property
    def plan_json(self):
        return self._plan_text

    def __repr__(self):
        return f"Sample(key={self.key!r}, gt={self.gt.shape}, lq={self.lq.shape}, gt_unsharp={None if self.gt_unsharp is None else self.gt_unsharp.shape})"


def shard(seed, epoch, count, part, parts):
    """Indices of `epoch` (0..count-1) that consumer `part` of `parts` takes — the engine's pure split rule
    (StreamShard): disjoint parts covering every index, sizes differing by at most one."""
    written = ctypes.c_size_t(0)
    capacity = count // parts + 1 if parts > 0 else 0
    out = np.empty(max(1, capacity), dtype=np.int64)
    _native.call("degrade_shard", seed, epoch, count, part, parts,
                 out.ctypes.data_as(ctypes.POINTER(ctypes.c_int64)), capacity, ctypes.byref(written))
    return out[: written.value].tolist()


def _source_options(source, kind, pan_frames, pan_size, meta_info):
    if isinstance(source, dict):
        out = dict(source)
    else:
        out = {"input": os.fspath(source)}
    for k, v in (("kind", kind), ("pan_frames", pan_frames), ("meta_info", meta_info)):
        if v is not None:
            out[k] = v
    if pan_size is not None:
        out["pan_size"] = list(pan_size)
    return out


class Stream:
    """Random access to a recipe's degradations: `stream[i]` is sample i of the current epoch.

    `recipe` is a YAML file path, or YAML text (anything with a newline); `source` a folder (REDS clips,
    stills, or stills as camera pans with kind="pan") or a dict of the C ABI's source options. Sample
    (epoch, index) is a pure function of (recipe, seed, epoch, index): the same bytes in any process, thread or
    order, and the same as `degrade apply RECIPE --seed SEED --key <sample.key>`.

    The engine is opened lazily in each process that uses it (never inherited across fork), so a Stream can be
    handed to DataLoader workers under fork or spawn; `threads` is engine threads per sample (default 1)."""

    def __init__(self, recipe, source, seed=0, *, epoch=0, samples_per_epoch=None, threads=1,
                 kind=None, pan_frames=None, pan_size=None, meta_info=None, skip_bad_samples=False):
        recipe = os.fspath(recipe)
        self._options = {
            ("recipe_yaml" if "\n" in recipe else "recipe"): recipe,
            "source": _source_options(source, kind, pan_frames, pan_size, meta_info),
            "seed": int(seed),
            "threads": int(threads),
        }
        if samples_per_epoch is not None:
            self._options["samples_per_epoch"] = int(samples_per_epoch)
        if skip_bad_samples:
            self._options["skip_bad_samples"] = True
        self.seed = int(seed)
        self.epoch = int(epoch)
        self._handle = None
        self._pid = None
        self._closed = False
        self._info = None
        self._handle_value()  # open now, so bad recipes and sources fail at construction

    # Pickling (DataLoader with spawn) carries the options, not the handle: each process opens its own.
    def __getstate__(self):
        state = self.__dict__.copy()
        state.update(_handle=None, _pid=None)
        return state

    def _handle_value(self):
        if self._closed:
            return self._handle  # a closed handle: the engine reports it
        if self._handle is None or self._pid != os.getpid():
            handle = ctypes.c_int64(0)
            _native.call("degrade_stream_open", json.dumps(self._options).encode(), ctypes.byref(handle))
            self._handle, self._pid = handle.value, os.getpid()
            spe, clips, seed = ctypes.c_int64(), ctypes.c_int64(), ctypes.c_uint64()
            _native.call("degrade_stream_info", self._handle, ctypes.byref(spe), ctypes.byref(clips), ctypes.byref(seed))
            self._info = (spe.value, clips.value)
        return self._handle

    @property
    def samples_per_epoch(self):
        self._handle_value()
        return self._info[0]

    @property
    def clips(self):
        self._handle_value()
        return self._info[1]

    def __len__(self):
        return self.samples_per_epoch

    def set_epoch(self, epoch):
        self.epoch = int(epoch)

    def _position(self, index, epoch):
        epoch = self.epoch if epoch is None else int(epoch)
        index = int(index)
        if index < 0 and not self._closed:
            index += self.samples_per_epoch  # Python's negative indices; out of range stays out of range
        return epoch, index

    def key(self, index, epoch=None):
        epoch, index = self._position(index, epoch)
        return _native.text("degrade_stream_plan", self._handle_value(), epoch, index, 0)

    def plan(self, index, epoch=None):
        """The plan of sample (epoch, index) as a dict, without degrading anything."""
        epoch, index = self._position(index, epoch)
        return json.loads(_native.text("degrade_stream_plan", self._handle_value(), epoch, index, 1))

    def sample(self, index, epoch=None):
        epoch, index = self._position(index, epoch)
        handle = ctypes.c_int64(0)
        _native.call("degrade_sample_make", self._handle_value(), epoch, index, ctypes.byref(handle))
        try:
            shape = (ctypes.c_int64 * 7)()
            _native.call("degrade_sample_shape", handle, shape)
            t, gh, gw, lh, lw, c, unsharp = list(shape)

            # The engine quantises straight into numpy's memory: one pass, no intermediate copy.
            def take(which, h, w):
                arr = np.empty((t, h, w, c), dtype=np.uint8)
                _native.call("degrade_sample_copy", handle, which, arr.ctypes.data_as(ctypes.c_void_p), arr.nbytes)
                return arr

            gt, lq = take(GT, gh, gw), take(LQ, lh, lw)
            gtu = take(GT_UNSHARP, gh, gw) if unsharp else None
            key = _native.text("degrade_sample_text", handle, 0)
            plan = _native.text("degrade_sample_text", handle, 1)
            skipped = json.loads(_native.text("degrade_sample_text", handle, 2)) if "skip_bad_samples" in self._options else []
        finally:
            _native.call("degrade_sample_free", handle)
        return Sample(epoch, index, key, gt, lq, gtu, plan, skipped)

    def __getitem__(self, index):
        if isinstance(index, tuple):
            epoch, index = index
            return self.sample(index, epoch)
        return self.sample(index)

    def __iter__(self):
        for i in range(len(self)):
            yield self.sample(i)

    def close(self):
        """Frees the engine's stream; later calls raise DegradeHandleError."""
        if self._handle is not None and not self._closed and self._pid == os.getpid():
            _native.call("degrade_stream_close", self._handle)
        self._closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            if self._handle is not None and not self._closed and self._pid == os.getpid():
                _native.call("degrade_stream_close", self._handle)
        except Exception:
            pass
