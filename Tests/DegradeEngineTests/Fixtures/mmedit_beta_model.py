"""An independent model of how mmedit 0.16.1 draws beta for generalized and plateau kernels.

Written from the reference's control flow (RandomBlur.get_kernel in mmedit/datasets/pipelines/
random_degradations.py, random_bivariate_generalized_Gaussian / random_bivariate_plateau in blur_kernels.py):

  get_kernel:   beta = uniform(lo, hi)                      # once per clip
  per frame:    kernel sampler called with [beta, beta]:
                    if uniform() <= 0.5: b = uniform(beta, 1) else: b = uniform(1, beta)
                beta += uniform(-step, step); beta = clip(beta, lo, hi)

where uniform(a, b) = a + (b - a) * u for the next u in [0, 1), as numpy's. Only the beta draws are modelled.

Modes (JSON on stdin, JSON on stdout):
  {"mode": "replay", "lo", "hi", "step", "frames", "uniforms": [...]}  -> the per-frame betas from those uniforms
  {"mode": "sample", "lo", "hi", "step", "frames", "clips", "seed"}     -> per clip, the per-frame betas drawn
                                                                          with Python's own generator
"""
import json
import random
import sys


def betas(lo, hi, step, frames, next_uniform):
    def uniform(a, b):
        return a + (b - a) * next_uniform()

    beta = uniform(lo, hi)
    out = []
    for _ in range(frames):
        if next_uniform() <= 0.5:
            out.append(uniform(beta, 1.0))
        else:
            out.append(uniform(1.0, beta))
        beta += uniform(-step, step)
        beta = min(max(beta, lo), hi)
    return out


def main():
    req = json.load(sys.stdin)
    lo, hi, step, frames = req["lo"], req["hi"], req["step"], req["frames"]
    if req["mode"] == "replay":
        it = iter(req["uniforms"])
        json.dump(betas(lo, hi, step, frames, lambda: next(it)), sys.stdout)
    else:
        gen = random.Random(req["seed"])
        json.dump([betas(lo, hi, step, frames, gen.random) for _ in range(req["clips"])], sys.stdout)


if __name__ == "__main__":
    main()
