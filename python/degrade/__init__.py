"""degrade from Python: a recipe's random degradations as numpy arrays, and (with torch) datasets.

    import degrade
    stream = degrade.Stream("recipes/realbasicvsr.yaml", "datasets/sample", seed=0, kind="pan")
    s = stream[0]          # s.gt, s.lq, s.gt_unsharp: T×H×W×3 uint8; s.key, s.plan
    from degrade.torch import DegradeDataset, DegradeIterableDataset
"""

from ._native import (DegradeBufferError, DegradeError, DegradeHandleError, DegradeIndexError,
                      DegradeInputError)
from .stream import Sample, Stream, shard

__all__ = ["Stream", "Sample", "shard", "DegradeError", "DegradeInputError", "DegradeIndexError",
           "DegradeHandleError", "DegradeBufferError"]
__version__ = "0.1.0"
