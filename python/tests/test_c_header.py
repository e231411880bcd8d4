"""include/degrade.h is what the library exports: a C program compiled against it opens a stream, takes a
sample into its own buffer, and gets a message for a bad call."""

import os
import pathlib
import shutil
import subprocess

import pytest

import conftest

PROGRAM = r"""
#include <stdio.h>
#include <stdlib.h>
#include "degrade.h"

int main(int argc, char **argv) {
    char error[512];
    int64_t stream = 0, sample = 0, shape[7];
    if (degrade_stream_open(argv[1], &stream, error, sizeof error) != DEGRADE_OK) { printf("open: %s\n", error); return 1; }
    if (degrade_sample_make(stream, 2, 1, &sample, error, sizeof error) != DEGRADE_OK) { printf("make: %s\n", error); return 1; }
    degrade_sample_shape(sample, shape, error, sizeof error);
    size_t size = (size_t)(shape[0] * shape[3] * shape[4] * shape[5]);
    uint8_t *lq = malloc(size);
    int32_t status = degrade_sample_copy(sample, DEGRADE_LQ, lq, size, error, sizeof error);
    char key[128];
    size_t length = 0;
    degrade_sample_text(sample, DEGRADE_TEXT_KEY, key, sizeof key, &length, error, sizeof error);
    unsigned long sum = 0;
    for (size_t i = 0; i < size; i++) sum += lq[i];
    printf("%s %d %ld %ld %ld %lu\n", key, status, (long)shape[0], (long)shape[3], (long)shape[4], sum);
    degrade_sample_free(sample, error, sizeof error);
    degrade_stream_close(stream, error, sizeof error);
    status = degrade_sample_make(stream, 0, 0, &sample, error, sizeof error);
    printf("%d %s\n", status, error);
    free(lq);
    return 0;
}
"""


def test_a_c_program_uses_the_header(tmp_path, tiny_recipe):
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if cc is None:
        pytest.skip("no C compiler on this machine")
    lib = pathlib.Path(os.environ["DEGRADE_LIBRARY"])
    (tmp_path / "main.c").write_text(PROGRAM)
    exe = tmp_path / "main"
    subprocess.run([cc, "-std=c11", "-Wall", "-Werror", "-I", str(conftest.ROOT / "include"), str(tmp_path / "main.c"),
                    "-L", str(lib.parent), "-l:" + lib.name, f"-Wl,-rpath,{lib.parent}", "-o", str(exe)], check=True)
    import json
    options = json.dumps({"recipe": str(tiny_recipe), "source": {"input": str(conftest.STILLS), "kind": "pan",
                          "pan_frames": 4, "pan_size": [64, 48]}, "seed": 3})
    out = subprocess.run([str(exe), options], capture_output=True, text=True, check=True).stdout.splitlines()
    import degrade
    s = degrade.Stream(tiny_recipe, conftest.STILLS, seed=3, **conftest.SOURCE).sample(1, 2)
    assert out[0] == f"{s.key} 0 6 8 8 {int(s.lq.sum())}"
    assert out[1].startswith("4 ") and "not open" in out[1]
