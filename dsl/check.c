/*
** check.c — the front end's entry points (dsl.h): read a file, parse it,
** check it, hand back a checked module or the diagnostics; and the
** spellings of the enumerations.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsl/sema.h"
#include "host/host.h"

enum dsl_status dsl_check_buffer(const char *path, const char *buf, size_t len, const struct dsl_options *opt,
                                 struct dsl_diag *d, struct dsl_module **out)
{
    static const struct dsl_options defaults;
    struct dsl_parse P;
    struct dsl_module *m;
    const char *slash;
    bool ok;

    *out = NULL;
    if (opt == NULL)
        opt = &defaults;
    diag_set_source(d, path, buf, len);
    if (len > 0x7FFFFFF0u) { /* flex reads at most INT_MAX bytes */
        diag_error_file(d, "file too large (limit is 2 GB)");
        return DSL_EINPUT;
    }
    memset(&P, 0, sizeof P);
    P.arena = ast_arena_new();
    P.diag = d;
    P.buf = buf;
    P.len = len;
    m = ast_alloc(P.arena, sizeof *m);
    m->arena = P.arena;
    m->file = ast_strdup(P.arena, path);
    slash = strrchr(path, '/');
    m->dir = slash ? ast_strndup(P.arena, path, slash == path ? 1 : (size_t)(slash - path)) : ".";
    P.mod = m;

    ok = ast_parse(&P);
    free(P.sbuf);
    if (ok && !diag_full(d))
        ok = sema_check(&P, opt);
    else
        ok = false;
    ast_list_free(P.decls);
    ast_list_free(P.broken);
    if (!ok || dsl_diag_errors(d) > 0) {
        ast_arena_free(P.arena);
        return DSL_EINPUT;
    }
    *out = m;
    return DSL_OK;
}

enum dsl_status dsl_check_file(const char *path, const struct dsl_options *opt, struct dsl_diag *d,
                               struct dsl_module **out)
{
    size_t len;
    host_file_status fs;
    int err;
    char *buf = host_file_read(path, 0, &len, &fs, &err);
    enum dsl_status st;

    *out = NULL;
    if (buf == NULL) {
        diag_set_source(d, path, "", 0);
        if (fs == HOST_FILE_OPEN)
            diag_error_file(d, "cannot open: %s", strerror(err));
        else if (fs == HOST_FILE_READ)
            diag_error_file(d, "cannot read: %s", strerror(err));
        else
            diag_error_file(d, "out of memory reading the file");
        return DSL_EIO;
    }
    st = dsl_check_buffer(path, buf, len, opt, d, out);
    free(buf);
    return st;
}

void dsl_module_free(struct dsl_module *m)
{
    if (m != NULL)
        ast_arena_free(m->arena);
}

const char *dsl_func_name(enum dsl_func f)
{
    static const char *const names[] = {
#define X(id, name, src, arg, unit, state) name,
        DSL_FEATURE_LIST(X)
#undef X
    };
    return (unsigned)f < DSL_FUNC_COUNT_ ? names[f] : "?";
}

const char *dsl_elem_name(enum dsl_elem e)
{
    static const char *const names[] = {
#define X(id, s, b) s,
        DSL_ELEM_LIST(X)
#undef X
    };
    return (unsigned)e < DSL_ELEM_COUNT_ ? names[e] : "?";
}

const char *dsl_op_name(enum dsl_op op)
{
    static const char *const names[] = {
#define X(id, s) s,
        DSL_OP_LIST(X)
#undef X
    };
    return (unsigned)op < DSL_OP_COUNT_ ? names[op] : "?";
}

const char *dsl_severity_name(enum dsl_severity s)
{
    static const char *const names[] = {
#define X(id, s) s,
        DSL_SEVERITY_LIST(X)
#undef X
    };
    return (unsigned)s < DSL_SEV_COUNT_ ? names[s] : "?";
}

const char *dsl_policy_name(enum dsl_policy p)
{
    static const char *const names[] = {
#define X(id, s) s,
        DSL_POLICY_LIST(X)
#undef X
    };
    return (unsigned)p < DSL_POLICY_COUNT_ ? names[p] : "?";
}

const char *dsl_expr_kind_name(enum dsl_expr_kind k)
{
    static const char *const names[] = {
#define X(id) #id,
        DSL_EXPR_LIST(X)
#undef X
    };
    return (unsigned)k < DSL_EXPR_COUNT_ ? names[k] : "?";
}

const char *dsl_type_str(const struct dsl_type *t, char *buf, size_t len)
{
    switch (t->kind) {
    case DSL_TYPE_BOOL: snprintf(buf, len, "bool"); break;
    case DSL_TYPE_NUMBER: snprintf(buf, len, "number"); break;
    case DSL_TYPE_VECTOR: snprintf(buf, len, "vector(%u)", (unsigned)t->len); break;
    case DSL_TYPE_CLASS: snprintf(buf, len, "class of '%s'", t->model ? t->model->name : "?"); break;
    case DSL_TYPE_PATTERN: snprintf(buf, len, "event"); break;
    default: snprintf(buf, len, "error"); break;
    }
    return buf;
}
