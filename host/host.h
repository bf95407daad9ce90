/*
** host.h — what the host-side modules (the compiler, the importer, the
** simulator, the CLI) share that is no module's own job: reading a whole
** file.  Host code only (stdio, malloc); device code never includes it.
*/
#ifndef HOST_HOST_H
#define HOST_HOST_H

#include <stddef.h>

/* Why host_file_read failed. */
typedef enum host_file_status {
    HOST_FILE_OK = 0,
    HOST_FILE_OPEN,       /* fopen failed: errno_out says why */
    HOST_FILE_READ,       /* a read error: errno_out says why */
    HOST_FILE_NOMEM,      /* out of memory */
    HOST_FILE_TOO_LARGE   /* larger than the caller's limit */
} host_file_status;

/* Reads all of `path` into a new buffer (free() it) with one extra NUL
** byte after the content, so text readers may treat it as a string; *len
** gets the content's length.  max: the largest content accepted in bytes
** (0: no limit).  On failure returns NULL, *st says why and, for OPEN and
** READ, *errno_out holds errno (errno_out may be NULL). */
char *host_file_read(const char *path, size_t max, size_t *len, host_file_status *st,
                     int *errno_out);

#endif /* HOST_HOST_H */
