/* degrade's C ABI: random access to the training stream of Sources/DegradeRender/Stream.
 *
 * Link with libdegrade_c.so (swift build -c release --product degrade_c). Every function returns a status:
 * DEGRADE_OK, or a code below with a NUL-terminated message written to (error, error_capacity) — truncated to
 * fit; error may be NULL. Nothing aborts across the boundary. Handles are integers: a closed or unknown
 * handle is DEGRADE_BAD_HANDLE, never a crash. All functions are thread-safe.
 *
 * Sample (epoch, index) is a pure function of (recipe, seed, epoch, index) and has the same bytes as
 * `degrade apply RECIPE --seed SEED --key KEY` of its key (KEY = <clip>@e<epoch>[.<pass>]).
 */
#ifndef DEGRADE_H
#define DEGRADE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    DEGRADE_OK = 0,
    DEGRADE_RUNTIME_FAILURE = 1, /* the engine failed (a codec, the file system) */
    DEGRADE_BAD_INPUT = 2,       /* bad options, recipe (message has file:line) or source */
    DEGRADE_OUT_OF_RANGE = 3,    /* epoch < 0 or index outside 0..samples_per_epoch-1 */
    DEGRADE_BAD_HANDLE = 4,      /* stream or sample handle closed, freed or never opened */
    DEGRADE_BAD_BUFFER = 5       /* NULL or wrongly sized buffer; sizes needed are reported */
};

enum { DEGRADE_GT = 0, DEGRADE_LQ = 1, DEGRADE_GT_UNSHARP = 2 };
enum { DEGRADE_TEXT_KEY = 0, DEGRADE_TEXT_PLAN = 1, DEGRADE_TEXT_SKIPPED = 2 };

int32_t degrade_abi_version(void); /* 1 */

/* options: JSON {"recipe": PATH | "recipe_yaml": TEXT,
 *                "source": {"input": DIR, "kind": "auto|reds|stills|pan", "meta_info": FILE,
 *                           "pan_frames": N, "pan_size": [W, H]},
 *                "seed": N, "threads": N (engine threads per sample, default 1),
 *                "samples_per_epoch": N (default: one per clip),
 *                "skip_bad_samples": BOOL (default false: a sample whose source frames cannot be read, e.g. a
 *                damaged video window, is replaced by the next sample of the stream that can be made (index + 1, …, on
 *                into the next epoch), at most 8 tries; the sample's DEGRADE_TEXT_SKIPPED text lists what it replaced)} */
int32_t degrade_stream_open(const char *options, int64_t *stream, char *error, size_t error_capacity);
int32_t degrade_stream_close(int64_t stream, char *error, size_t error_capacity);
/* Any output pointer may be NULL. */
int32_t degrade_stream_info(int64_t stream, int64_t *samples_per_epoch, int64_t *clips, uint64_t *seed,
                            char *error, size_t error_capacity);
/* The key (kind DEGRADE_TEXT_KEY) or plan JSON (DEGRADE_TEXT_PLAN) of a sample without degrading it. The text is
 * written NUL-terminated to buffer; *length gets its byte length (also when the buffer is too small, which
 * returns DEGRADE_BAD_BUFFER: retry with length + 1). */
int32_t degrade_stream_plan(int64_t stream, int64_t epoch, int64_t index, int32_t kind, char *buffer,
                            size_t capacity, size_t *length, char *error, size_t error_capacity);

/* Degrades sample (epoch, index) and holds it until degrade_sample_free. */
int32_t degrade_sample_make(int64_t stream, int64_t epoch, int64_t index, int64_t *sample, char *error,
                            size_t error_capacity);
/* shape[7] = {frames, gt_height, gt_width, lq_height, lq_width, channels, has_gt_unsharp}. */
int32_t degrade_sample_shape(int64_t sample, int64_t shape[7], char *error, size_t error_capacity);
/* Frames `which` as frames×height×width×channels uint8 RGB into a caller buffer of exactly that size. */
int32_t degrade_sample_copy(int64_t sample, int32_t which, uint8_t *buffer, size_t size, char *error,
                            size_t error_capacity);
/* The same bytes in a library-owned buffer, valid until degrade_sample_free. */
int32_t degrade_sample_data(int64_t sample, int32_t which, const uint8_t **data, size_t *size, char *error,
                            size_t error_capacity);
/* The sample's key, plan JSON (as plan.json of `degrade apply`) or, for DEGRADE_TEXT_SKIPPED, a JSON array of
 * the samples it replaced ({epoch, index, key, file, reason}; [] normally); buffer rules as degrade_stream_plan. */
int32_t degrade_sample_text(int64_t sample, int32_t kind, char *buffer, size_t capacity, size_t *length,
                            char *error, size_t error_capacity);
int32_t degrade_sample_free(int64_t sample, char *error, size_t error_capacity);

/* The indices of epoch `epoch` (0..count-1) that consumer `part` of `parts` takes: a pure function of
 * (seed, epoch, count, part, parts). The parts are disjoint, cover every index and differ in size by at most
 * one. *written gets the share's size (also when capacity is too small: DEGRADE_BAD_BUFFER). */
int32_t degrade_shard(uint64_t seed, int64_t epoch, int64_t count, int64_t part, int64_t parts, int64_t *indices,
                      size_t capacity, size_t *written, char *error, size_t error_capacity);

#ifdef __cplusplus
}
#endif
#endif
