#pragma once
#include <libavformat/avformat.h>
#include <libavutil/display.h>
