"""Builds libdegrade_c.so with SwiftPM (or takes $DEGRADE_LIBRARY, a prebuilt one) and ships it inside the package.

`pip install ./python` from the checkout runs this; the package then finds the library in degrade/_lib/."""

import os
import pathlib
import shutil
import subprocess

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

here = pathlib.Path(__file__).resolve().parent
checkout = here.parent


def built_library():
    prebuilt = os.environ.get("DEGRADE_LIBRARY")
    if prebuilt:
        return pathlib.Path(prebuilt)
    if not (checkout / "Package.swift").is_file():
        raise SystemExit("degrade: building from outside the checkout; set DEGRADE_LIBRARY to a built libdegrade_c.so")
    config = os.environ.get("DEGRADE_CONFIGURATION", "release")
    cmd = ["swift", "build", "-c", config, "--product", "degrade_c"]
    print("degrade: " + " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=checkout, check=True)
    out = subprocess.run(cmd[:4] + ["--show-bin-path"], cwd=checkout, check=True, capture_output=True, text=True)
    return pathlib.Path(out.stdout.strip()) / "libdegrade_c.so"


class BuildWithLibrary(build_py):
    def run(self):
        super().run()
        lib = built_library()
        if not lib.is_file():
            raise SystemExit(f"degrade: {lib} was not built")
        target = pathlib.Path(self.build_lib) / "degrade" / "_lib"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(lib, target / "libdegrade_c.so")


class BinaryDistribution(Distribution):
    """The wheel holds a native library: tag it for this platform, not as pure Python."""

    def has_ext_modules(self):
        return True


try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70
    from wheel.bdist_wheel import bdist_wheel


class PlatformWheel(bdist_wheel):
    """The library is loaded with ctypes, not as a CPython extension: one wheel serves every Python 3 (py3-none),
    only the platform tag matters."""

    def get_tag(self):
        return "py3", "none", super().get_tag()[2]


setup(cmdclass={"build_py": BuildWithLibrary, "bdist_wheel": PlatformWheel}, distclass=BinaryDistribution)
