/*
** plan.c — static arena planning: offsets for buffers with known lifetimes.
**
** Each buffer is live over an inclusive range of operator steps
** [first, last]; two buffers whose ranges intersect must not overlap in the
** arena.  Buffers read and written by the same operator are therefore kept
** apart (kernels are not in-place), while a buffer whose last reader is op i
** can share bytes with one first written by op i+1.
**
** The placement is TFLM's greedy scheme (GreedyMemoryPlanner): take buffers
** in some order and put each at the lowest offset where it fits between the
** already placed buffers whose lifetimes intersect its own (first fit).
** TFLM orders by size, largest first.  We run the same placement under
** several orders (size; lifetime length × size; first use; last use) and
** keep the smallest arena, so the result is never worse than TFLM's greedy
** plan for the same buffers.  Everything is O(n² log n) for n buffers, which
** is nothing for the tens to hundreds of tensors of a microcontroller model.
*/
#include <stdlib.h>
#include <string.h>

#include "ml/import/import.h"

typedef struct order_ctx {
    const ml_plan_buf *b;
    int key;
} order_ctx;

/* qsort has no context argument: the key in use is kept here.  The planner
   is host code, single-threaded. */
static order_ctx g_ctx;

static long long sort_key(const ml_plan_buf *b, int key)
{
    switch (key) {
    case 0: return (long long)b->size;
    case 1: return (long long)b->size * (long long)(b->last - b->first + 1);
    case 2: return -(long long)b->first;
    default: return (long long)b->last;
    }
}

static int cmp_idx(const void *pa, const void *pb)
{
    int a = *(const int *)pa, b = *(const int *)pb;
    long long ka = sort_key(&g_ctx.b[a], g_ctx.key);
    long long kb = sort_key(&g_ctx.b[b], g_ctx.key);
    if (ka != kb)
        return ka > kb ? -1 : 1;
    if (g_ctx.b[a].size != g_ctx.b[b].size)
        return g_ctx.b[a].size > g_ctx.b[b].size ? -1 : 1;
    return a - b;       /* stable: lower index first */
}

static int cmp_size_t(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return a < b ? -1 : a > b;
}

static size_t align_up(size_t x, size_t a)
{
    return (x + a - 1) / a * a;
}

/* Places bufs in the order idx; writes offsets into off; returns the arena. */
static size_t place(const ml_plan_buf *bufs, const int *idx, int n, size_t align,
                    size_t *off, bool *placed, size_t *tmp)
{
    size_t total = 0;
    int i, j;
    memset(placed, 0, (size_t)n * sizeof *placed);
    for (i = 0; i < n; i++) {
        const ml_plan_buf *b = &bufs[idx[i]];
        size_t need = align_up(b->size, align), at = 0;
        int nk = 0, k;
        /* the intervals [off, off+size) of placed, lifetime-overlapping buffers,
           sorted by start: scan the gaps between them */
        for (j = 0; j < n; j++) {
            const ml_plan_buf *o = &bufs[j];
            if (!placed[j] || o->last < b->first || o->first > b->last)
                continue;
            tmp[2 * nk] = off[j];
            tmp[2 * nk + 1] = off[j] + align_up(o->size, align);
            nk++;
        }
        /* sort pairs by start: pack as (start, end) records */
        qsort(tmp, (size_t)nk, 2 * sizeof *tmp, cmp_size_t);
        for (k = 0; k < nk; k++) {
            if (tmp[2 * k] >= at + need)
                break;          /* fits in the gap before this one */
            if (tmp[2 * k + 1] > at)
                at = tmp[2 * k + 1];
        }
        off[idx[i]] = at;
        placed[idx[i]] = true;
        if (need > 0 && at + need > total)
            total = at + need;
    }
    return total;
}

size_t ml_plan_arena(ml_plan_buf *bufs, int n, size_t align, size_t *greedy_size)
{
    int *idx = malloc(((size_t)n + 1) * sizeof *idx);
    size_t *off = malloc(((size_t)n + 1) * sizeof *off);
    size_t *tmp = malloc(((size_t)n + 1) * 2 * sizeof *tmp);
    bool *placed = malloc(((size_t)n + 1) * sizeof *placed);
    size_t best = (size_t)-1;
    int key, i;
    if (idx == NULL || off == NULL || tmp == NULL || placed == NULL) {
        free(idx); free(off); free(tmp); free(placed);
        return (size_t)-1;
    }
    for (key = 0; key < 4; key++) {
        size_t total;
        for (i = 0; i < n; i++)
            idx[i] = i;
        g_ctx.b = bufs;
        g_ctx.key = key;
        qsort(idx, (size_t)n, sizeof *idx, cmp_idx);
        total = place(bufs, idx, n, align, off, placed, tmp);
        if (key == 0 && greedy_size != NULL)
            *greedy_size = total;
        if (total < best) {
            best = total;
            for (i = 0; i < n; i++)
                bufs[i].offset = off[i];
        }
    }
    free(idx); free(off); free(tmp); free(placed);
    return best;
}
