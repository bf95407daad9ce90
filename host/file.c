/*
** file.c — reading a whole file for the host tools (host.h).  Files are
** read in chunks that double from 64 KB, so a pipe or a file whose size
** changes while it is read is handled like any other.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "host/host.h"

char *host_file_read(const char *path, size_t max, size_t *len, host_file_status *st,
                     int *errno_out)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;

    *len = 0;
    if (errno_out != NULL)
        *errno_out = 0;
    if (f == NULL) {
        if (errno_out != NULL)
            *errno_out = errno;
        *st = HOST_FILE_OPEN;
        return NULL;
    }
    for (;;) {
        size_t got;
        if (n + 1 >= cap) {   /* room for one more byte and the NUL */
            char *nb;
            size_t ncap = cap ? cap * 2 : 65536;
            if (ncap < cap || (nb = realloc(buf, ncap)) == NULL) {
                *st = HOST_FILE_NOMEM;
                goto fail;
            }
            buf = nb;
            cap = ncap;
        }
        got = fread(buf + n, 1, cap - 1 - n, f);
        n += got;
        if (max != 0 && n > max) {
            *st = HOST_FILE_TOO_LARGE;
            goto fail;
        }
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        if (errno_out != NULL)
            *errno_out = errno;
        *st = HOST_FILE_READ;
        goto fail;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    *st = HOST_FILE_OK;
    return buf;
fail:
    free(buf);
    fclose(f);
    return NULL;
}
