"""Bad input reaches Python as exceptions carrying the engine's message — never a crash."""

import ctypes

import numpy as np
import pytest

import degrade
from degrade import _native
import conftest
from conftest import SOURCE, TINY


def test_bad_recipe_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(TINY.replace("  - noise: {gaussian_sigma: [1, 10]}", "  - noise: {gaussian_sigma: [1, 10], sigma_typo: 3}"))
    with pytest.raises(degrade.DegradeInputError) as e:
        degrade.Stream(bad, conftest.STILLS, **SOURCE)
    assert f"{bad}:9" in str(e.value) and "sigma_typo" in str(e.value)
    assert isinstance(e.value, ValueError) and e.value.status == 2


def test_missing_recipe_and_source(tmp_path):
    with pytest.raises(degrade.DegradeInputError, match="nope.yaml"):
        degrade.Stream(tmp_path / "nope.yaml", conftest.STILLS)
    with pytest.raises(degrade.DegradeInputError, match="no-such-folder"):
        degrade.Stream(TINY, tmp_path / "no-such-folder")
    with pytest.raises(degrade.DegradeInputError, match="options.source.kind"):
        degrade.Stream(TINY, conftest.STILLS, kind="panorama")


def test_out_of_range_index_and_epoch(stream):
    with pytest.raises(degrade.DegradeIndexError, match="0…4"):
        stream[5]
    with pytest.raises(IndexError):
        stream[-6]
    with pytest.raises(degrade.DegradeIndexError, match="epoch"):
        stream.sample(0, epoch=-1)
    assert len(list(stream)) == 5  # iteration stops at the epoch's end


def test_closed_stream(tiny_recipe):
    s = degrade.Stream(tiny_recipe, conftest.STILLS, **SOURCE)
    s.close()
    with pytest.raises(degrade.DegradeHandleError, match="not open"):
        s[0]
    with pytest.raises(degrade.DegradeHandleError):
        s.plan(0)


def test_wrong_buffer_sizes_are_refused(stream):
    h = ctypes.c_int64(0)
    _native.call("degrade_sample_make", stream._handle_value(), 0, 0, ctypes.byref(h))
    try:
        small = np.empty(100, dtype=np.uint8)
        with pytest.raises(degrade.DegradeBufferError, match="expected 1152"):  # 6×8×8×3
            _native.call("degrade_sample_copy", h, 1, small.ctypes.data_as(ctypes.c_void_p), small.nbytes)
        with pytest.raises(degrade.DegradeBufferError, match="NULL"):
            _native.call("degrade_sample_copy", h, 1, None, 1152)
        with pytest.raises(degrade.DegradeBufferError, match="which"):
            _native.call("degrade_sample_copy", h, 7, small.ctypes.data_as(ctypes.c_void_p), small.nbytes)
    finally:
        _native.call("degrade_sample_free", h)
    with pytest.raises(degrade.DegradeHandleError, match="not live"):
        _native.call("degrade_sample_free", h)


def test_bad_shard_arguments():
    with pytest.raises(degrade.DegradeInputError, match="part must be"):
        degrade.shard(0, 0, 10, 3, 3)
    with pytest.raises(degrade.DegradeInputError, match="parts must be"):
        degrade.shard(0, 0, 10, 0, 0)
