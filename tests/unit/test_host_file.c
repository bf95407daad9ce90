/*
** test_host_file.c — host_file_read (host/host.h): the content and its
** length, the NUL after it, an empty file, a file larger than the first
** 64 KB chunk (three doublings), the size limit, and a file that cannot
** be opened.  The files are written here, so every expected byte is known.
*/
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "host/host.h"

static char path[] = "/tmp/tinycep-host-file-XXXXXX";

/* n bytes 'a', 'b', … 'z', 'a', … */
static void write_bytes(size_t n)
{
    FILE *f = fopen(path, "wb");
    size_t i;
    assert_non_null(f);
    for (i = 0; i < n; i++)
        assert_int_not_equal(fputc((int)('a' + i % 26), f), EOF);
    assert_int_equal(fclose(f), 0);
}

static void check_content(size_t n)
{
    size_t len = 1, i;
    host_file_status st = HOST_FILE_READ;
    int err = -1;
    char *buf;
    write_bytes(n);
    buf = host_file_read(path, 0, &len, &st, &err);
    assert_non_null(buf);
    assert_int_equal(st, HOST_FILE_OK);
    assert_int_equal(err, 0);
    assert_int_equal(len, n);
    for (i = 0; i < n; i++)
        if (buf[i] != (char)('a' + i % 26))
            fail_msg("byte %zu of %zu differs", i, n);
    assert_int_equal(buf[n], '\0');
    free(buf);
}

static void contents(void **state)
{
    (void)state;
    check_content(0);
    check_content(1);
    check_content(65535);    /* fills the first chunk but its NUL byte */
    check_content(65536);    /* needs the second */
    check_content(300000);   /* 64 KB -> 128 -> 256 -> 512 KB */
}

static void limit(void **state)
{
    size_t len = 7;
    host_file_status st = HOST_FILE_OK;
    char *buf;
    (void)state;
    write_bytes(1000);
    buf = host_file_read(path, 999, &len, &st, NULL);
    assert_null(buf);
    assert_int_equal(st, HOST_FILE_TOO_LARGE);
    assert_int_equal(len, 0);
    buf = host_file_read(path, 1000, &len, &st, NULL);
    assert_non_null(buf);
    assert_int_equal(len, 1000);
    free(buf);
}

static void missing(void **state)
{
    size_t len = 7;
    host_file_status st = HOST_FILE_OK;
    int err = 0;
    (void)state;
    assert_null(host_file_read("/nonexistent-dir-of-tinycep/x.cep", 0, &len, &st, &err));
    assert_int_equal(st, HOST_FILE_OPEN);
    assert_int_equal(err, ENOENT);
    assert_int_equal(len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(contents),
        cmocka_unit_test(limit),
        cmocka_unit_test(missing),
    };
    int fd = mkstemp(path), rc;
    if (fd < 0)
        return 1;
    close(fd);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    unlink(path);
    return rc;
}
