"""The wheel setup.py makes (what tools/build-wheel repairs): the library inside, tagged for any Python 3 on this
platform — ctypes loads it, it is no CPython extension, so a cp311-only tag would refuse other Pythons for nothing."""

import os
import pathlib
import shutil
import subprocess
import sys
import zipfile

from conftest import ROOT


def test_wheel_holds_the_library_and_is_tagged_py3_none(tmp_path):
    lib = pathlib.Path(os.environ["DEGRADE_LIBRARY"]).resolve()  # pip builds in another folder
    src = tmp_path / "src"  # a copy, so the build's folders never land in the checkout
    shutil.copytree(ROOT / "python", src, ignore=shutil.ignore_patterns("build", "*.egg-info", "_lib", "_licences",
                                                                         "__pycache__", ".pytest_cache", "tests"))
    env = dict(os.environ, DEGRADE_LIBRARY=str(lib))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--disable-pip-version-check", "-w", str(tmp_path / "out"), str(src)], check=True, env=env,
                   capture_output=True)
    wheels = list((tmp_path / "out").glob("*.whl"))
    assert len(wheels) == 1, wheels
    name = wheels[0].name
    assert name.startswith("degrade-") and "-py3-none-linux_" in name, name
    with zipfile.ZipFile(wheels[0]) as z:
        info = z.getinfo("degrade/_lib/libdegrade_c.so")
        assert info.file_size == lib.stat().st_size
        assert {"degrade/__init__.py", "degrade/stream.py", "degrade/torch.py"} <= set(z.namelist())
