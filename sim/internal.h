/*
** internal.h — helpers shared by the simulator's own files; not part of
** the public API (sim/sim.h).
*/
#ifndef SIM_INTERNAL_H
#define SIM_INTERNAL_H

#include <stddef.h>

/* Length (1..4) of the well-formed UTF-8 sequence at p (before end), or 0
** for an invalid byte, overlong form, surrogate or value past U+10FFFF. */
size_t sim_utf8_len(const unsigned char *p, const unsigned char *end);

#endif /* SIM_INTERNAL_H */
