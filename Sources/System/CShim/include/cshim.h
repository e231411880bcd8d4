#pragma once
#include <libavutil/error.h>

/// AVERROR(EAGAIN): a function-like macro Swift cannot import.
int cshim_averror_eagain(void);
/// AVERROR_EOF: built with FFERRTAG, which Swift reports as unsupported.
int cshim_averror_eof(void);
/// av_err2str uses a compound literal; this writes the message into the caller's buffer.
void cshim_av_strerror(int code, char *buf, int size);
