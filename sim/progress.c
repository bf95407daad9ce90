/*
** progress.c — the progress bar `tinycep sim` draws on stderr for long
** traces: only when stderr is a terminal (isatty), driven by bytes read
** over total bytes, redrawn at most every 100 ms so it costs nothing next to
** the replay, and erased at the end so the terminal is left clean.  When
** stderr is a file or a pipe the bar is off and nothing at all is written.
*/
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/sim.h"

#define SIM_PROGRESS_PERIOD_MS 100
#define SIM_PROGRESS_WIDTH     30

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void put(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w <= 0)
            return;             /* a broken terminal is not worth an error */
        s += w;
        n -= (size_t)w;
    }
}

void sim_progress_start(sim_progress *p, int fd, bool force, const char *label,
                        uint64_t total_bytes)
{
    memset(p, 0, sizeof *p);
    p->fd = (force || isatty(fd)) ? fd : -1;
    p->total = total_bytes;
    p->label = label != NULL ? label : "";
    p->last_ms = INT64_MIN;
}

static void draw(sim_progress *p, uint64_t done)
{
    char line[256], bar[SIM_PROGRESS_WIDTH + 1];
    unsigned pct = p->total > 0 ? (unsigned)(done >= p->total ? 100
                                   : done * 100 / p->total) : 0;
    size_t fill = (size_t)pct * SIM_PROGRESS_WIDTH / 100, i;
    int n;
    for (i = 0; i < SIM_PROGRESS_WIDTH; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[SIM_PROGRESS_WIDTH] = '\0';
    n = snprintf(line, sizeof line, "\r%.60s [%s] %3u%% %.1f/%.1f MB\033[K",
                 p->label, bar, pct, (double)done / 1e6, (double)p->total / 1e6);
    if (n > 0)
        put(p->fd, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    p->drawn = 1;
    p->redraws++;
}

void sim_progress_update(sim_progress *p, uint64_t done_bytes)
{
    int64_t t;
    if (p->fd < 0)
        return;
    t = now_ms();
    if (p->last_ms != INT64_MIN && t - p->last_ms < SIM_PROGRESS_PERIOD_MS)
        return;
    p->last_ms = t;
    draw(p, done_bytes);
}

void sim_progress_finish(sim_progress *p)
{
    if (p->fd >= 0 && p->drawn)
        put(p->fd, "\r\033[K", 4);
    p->drawn = 0;
    p->fd = -1;
}
