"""Finds and loads libdegrade_c.so and turns its status codes into Python exceptions."""

import ctypes
import os
import pathlib
import threading

_here = pathlib.Path(__file__).resolve().parent
_lock = threading.Lock()
_lib = None


class DegradeError(Exception):
    """An error reported by the engine; `status` is the C ABI's code (see include/degrade.h)."""

    def __init__(self, message, status=1):
        super().__init__(message)
        self.status = status


class DegradeInputError(DegradeError, ValueError):
    """Bad options, recipe (the message names file:line) or source."""


class DegradeIndexError(DegradeError, IndexError):
    """Epoch or index outside the stream."""


class DegradeHandleError(DegradeError, ValueError):
    """The stream was closed (or the sample freed)."""


class DegradeBufferError(DegradeError, ValueError):
    """A buffer of the wrong size was passed."""


_errors = {2: DegradeInputError, 3: DegradeIndexError, 4: DegradeHandleError, 5: DegradeBufferError}


def candidates():
    """Where the library may be, first found wins: $DEGRADE_LIBRARY, the installed package, the checkout's builds."""
    env = os.environ.get("DEGRADE_LIBRARY")
    if env:
        return [pathlib.Path(env)]
    out = [_here / "_lib" / "libdegrade_c.so"]
    checkout = _here.parent.parent  # python/degrade → repository root, when run from the checkout
    for config in ("release", "debug"):
        out.append(checkout / ".build" / config / "libdegrade_c.so")
    return out


def library():
    """The loaded library (loaded on first use, once per process)."""
    global _lib
    with _lock:
        if _lib is None:
            tried = candidates()
            path = next((p for p in tried if p.is_file()), None)
            if path is None:
                raise DegradeError(
                    "libdegrade_c.so not found (looked at " + ", ".join(map(str, tried)) + "); install the package with "
                    "`pip install ./python` from the checkout, or set DEGRADE_LIBRARY")
            _lib = _declare(ctypes.CDLL(str(path)))
        return _lib


def _declare(lib):
    i64, i32, u64, sz = ctypes.c_int64, ctypes.c_int32, ctypes.c_uint64, ctypes.c_size_t
    p_i64, p_sz, err = ctypes.POINTER(i64), ctypes.POINTER(sz), [ctypes.c_char_p, sz]
    sigs = {
        "degrade_abi_version": [],
        "degrade_stream_open": [ctypes.c_char_p, p_i64] + err,
        "degrade_stream_close": [i64] + err,
        "degrade_stream_info": [i64, p_i64, p_i64, ctypes.POINTER(u64)] + err,
        "degrade_stream_plan": [i64, i64, i64, i32, ctypes.c_char_p, sz, p_sz] + err,
        "degrade_sample_make": [i64, i64, i64, p_i64] + err,
        "degrade_sample_shape": [i64, p_i64] + err,
        "degrade_sample_copy": [i64, i32, ctypes.c_void_p, sz] + err,
        "degrade_sample_data": [i64, i32, ctypes.POINTER(ctypes.c_void_p), p_sz] + err,
        "degrade_sample_text": [i64, i32, ctypes.c_char_p, sz, p_sz] + err,
        "degrade_sample_free": [i64] + err,
        "degrade_shard": [u64, i64, i64, i64, i64, p_i64, sz, p_sz] + err,
    }
    for name, args in sigs.items():
        f = getattr(lib, name)
        f.argtypes = args
        f.restype = i32
    if lib.degrade_abi_version() != 1:
        raise DegradeError(f"libdegrade_c.so speaks ABI {lib.degrade_abi_version()}, this package expects 1")
    return lib


def call(name, *args):
    """Calls `name` with an error buffer appended; raises the matching exception on a non-zero status.

    ctypes releases the GIL for the duration of the call, so other Python threads run while the engine works."""
    buf = ctypes.create_string_buffer(2048)
    status = getattr(library(), name)(*args, buf, len(buf))
    if status != 0:
        message = buf.value.decode("utf-8", "replace") or f"{name} failed (status {status})"
        raise _errors.get(status, DegradeError)(message, status)


def text(name, *args):
    """Calls a text-returning function, growing the buffer once if the first one was too small."""
    length = ctypes.c_size_t(0)
    buf = ctypes.create_string_buffer(4096)
    try:
        call(name, *args, buf, len(buf), ctypes.byref(length))
    except DegradeBufferError:
        buf = ctypes.create_string_buffer(length.value + 1)
        call(name, *args, buf, len(buf), ctypes.byref(length))
    return buf.value.decode("utf-8")
