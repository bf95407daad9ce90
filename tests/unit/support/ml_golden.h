/*
** ml_golden.h — test support (host): reads the CMSIS-NN per-kernel golden
** vectors in ../shared/models/cmsis_nn_kernel_golden/<case>/ at run time.
**
** Each case directory holds C headers with only data: `#define NAME value`
** lines and `const <int type> name[N] = { ... };` arrays.  A directory may
** also hold stale headers of another version of the case, so only the
** headers that the case's test_data.h #includes are read.  The tests cannot
** #include these headers at compile time because ../shared is optional:
** when it is absent ml_golden_dir() returns NULL and the test skips.
*/
#ifndef TESTS_UNIT_SUPPORT_ML_GOLDEN_H
#define TESTS_UNIT_SUPPORT_ML_GOLDEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ml_golden ml_golden;

/* The shared data folder: $TINYCEP_SHARED if set, else ../shared relative
** to the repository root (the working directory of `make test`).  NULL,
** after printing why, when it does not exist. */
const char *ml_golden_shared_dir(void);

/* Load case `name` (e.g. "fully_connected").  NULL if ../shared or the
** case is absent (message printed); aborts the test program on a malformed
** file, naming file and line. */
ml_golden *ml_golden_load(const char *name);
void ml_golden_free(ml_golden *g);

/* The value of `#define NAME v` as an integer (true/false read as 1/0).
** Fails the program (naming the case) if missing or not an integer. */
int64_t ml_golden_int(const ml_golden *g, const char *define_name);

/* The raw text of a define (e.g. "SAME"), or NULL if missing. */
const char *ml_golden_text(const ml_golden *g, const char *define_name);

/* True when the case defines the name. */
bool ml_golden_has(const ml_golden *g, const char *define_name);

/* Array `name` converted to int8 / int32 (values range-checked); *count
** receives its declared length.  NULL if the array is absent. Owned by g. */
const int8_t *ml_golden_s8(const ml_golden *g, const char *array_name,
                           size_t *count);
const int32_t *ml_golden_s32(const ml_golden *g, const char *array_name,
                             size_t *count);

#endif /* TESTS_UNIT_SUPPORT_ML_GOLDEN_H */
