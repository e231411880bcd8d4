#include "cshim.h"
#include <errno.h>
#include <stdio.h>

int cshim_averror_eagain(void) { return AVERROR(EAGAIN); }
int cshim_averror_eof(void) { return AVERROR_EOF; }
void cshim_av_strerror(int code, char *buf, int size) {
    if (av_strerror(code, buf, (size_t)size) < 0) {
        snprintf(buf, (size_t)size, "unknown FFmpeg error %d", code);
    }
}
