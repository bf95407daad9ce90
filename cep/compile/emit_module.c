/*
** emit_module.c — `tinycep build`'s generator: the program, its models and
** a typed API as one .h and one .c (emit_module.h).  The program tables
** come from cep_emit_c, the model tables from ml_compiled_emit_c; this file
** adds what makes them a module an application can call: the static state
** buffer and arenas sized by the compiler's memory plan, one push function
** per input with the input's natural C type, the infer glue
** (ml/model_table.h, the code the simulator runs too), and name tables.
**
** The sections of both files are written in a fixed order and nothing in
** them depends on the time, the host or a path other than the source's
** base name, so the same input gives the same bytes.  Host code.
*/
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cep/cep.h"
#include "cep/compile/builder.h"
#include "cep/compile/emit_module.h"
#include "ml/import/import.h"
#include "ml/model.h"

typedef struct emitter {
    const cep_module_spec *s;
    FILE *h, *c;
    char upper[64];      /* module name in capitals: the macro prefix */
    char *err;
    size_t errcap;
    bool failed;
} emitter;

static bool em_fail(emitter *e, const char *fmt, ...)
{
    va_list ap;
    if (!e->failed && e->errcap > 0) {
        va_start(ap, fmt);
        vsnprintf(e->err, e->errcap, fmt, ap);
        va_end(ap);
    }
    e->failed = true;
    return false;
}

/* printf to f; a write error fails the emitter once. */
static void em_out(emitter *e, FILE *f, const char *fmt, ...)
{
    va_list ap;
    if (e->failed)
        return;
    va_start(ap, fmt);
    if (vfprintf(f, fmt, ap) < 0)
        em_fail(e, "write error: %s", strerror(errno));
    va_end(ap);
}

static bool is_c_ident(const char *s, size_t len)
{
    size_t i;
    if (len == 0 || isdigit((unsigned char)s[0]))
        return false;
    for (i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_')
            return false;
    return true;
}

/* names[] entry `idx` of the program as a NUL-terminated copy in buf. */
static const char *prog_name(const cep_program *p, uint16_t idx, char *buf, size_t cap)
{
    size_t len = 0;
    const char *s = cep_program_name(p, idx, &len);
    if (len >= cap)
        len = cap - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return buf;
}

static void upper_copy(char *dst, size_t cap, const char *src)
{
    size_t i;
    for (i = 0; src[i] != '\0' && i + 1 < cap; i++)
        dst[i] = (char)toupper((unsigned char)src[i]);
    dst[i] = '\0';
}

/* A C string literal of s: printable ASCII as is, the rest as octal escapes. */
static void em_cstring(emitter *e, FILE *f, const char *s)
{
    em_out(e, f, "\"");
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            em_out(e, f, "\\%c", ch);
        else if (ch >= 0x20 && ch < 0x7f && ch != '?')
            em_out(e, f, "%c", ch);
        else
            em_out(e, f, "\\%03o", ch);
    }
    em_out(e, f, "\"");
}

/* ------------------------------------------------------------ input types */

typedef struct in_type {
    const char *ctype;       /* the push function's parameter type */
    const char *raw;         /* the raw component type cep_push reads */
    const char *dsl;         /* the type as the language writes it */
} in_type;

static in_type input_type(unsigned t)
{
    static const in_type types[CEP_IN_COUNT_] = {
        [CEP_IN_I8] = { "int8_t", "int8_t", "i8" },
        [CEP_IN_I16] = { "int16_t", "int16_t", "i16" },
        [CEP_IN_I32] = { "int32_t", "int32_t", "i32" },
        [CEP_IN_F32] = { "float", "float", "f32" },
        [CEP_IN_BOOL] = { "bool", "uint8_t", "bool" },
    };
    return types[t < CEP_IN_COUNT_ ? t : CEP_IN_F32];
}

static const char *const comp_names[4] = { "x", "y", "z", "w" };

/* The push function's parameter list after t_ms. */
static void em_push_params(emitter *e, FILE *f, const cep_input_desc *in)
{
    in_type ty = input_type(in->type);
    unsigned k;
    if (in->dims == 1)
        em_out(e, f, ", %s v", ty.ctype);
    else if (in->dims <= 4)
        for (k = 0; k < in->dims; k++)
            em_out(e, f, ", %s %s", ty.ctype, comp_names[k]);
    else
        em_out(e, f, ", const %s v[%u]", ty.ctype, in->dims);
}

/* ------------------------------------------------------------ sizes */

size_t cep_module_table_bytes(const cep_program *p)
{
    size_t n = cep_program_table_bytes(p);
#define EMPTY(count, type) (n += (count) == 0 ? sizeof(type) : 0)
    EMPTY(p->n_inputs, cep_input_desc);
    EMPTY(p->n_windows, cep_window_desc);
    EMPTY(p->n_features, cep_feature_desc);
    EMPTY(p->n_models, cep_model_desc);
    EMPTY(p->n_events, cep_event_desc);
    EMPTY(p->n_rules, cep_rule_desc);
    EMPTY(p->n_states, cep_pstate);
    EMPTY(p->n_trans, cep_ptrans);
    EMPTY(p->n_exprs, cep_expr);
    EMPTY(p->n_code, cep_insn);
    EMPTY(p->n_msgparts, cep_msgpart);
    EMPTY(p->n_names, cep_name);
    EMPTY(p->n_consts, float);
    EMPTY(p->n_refs, uint16_t);
    EMPTY(p->n_strings, char);
#undef EMPTY
    return n;
}

/* ------------------------------------------------------------ the header */

static void em_header(emitter *e, const cep_module_sizes *sz)
{
    const cep_module_spec *s = e->s;
    const cep_program *p = s->prog;
    const char *n = s->name, *N = e->upper;
    FILE *h = e->h;
    char buf[256], up[256];
    unsigned i;

    em_out(e, h,
           "/*\n"
           "** %s.h -- generated by tinycep from %s -- do not edit.\n"
           "**\n"
           "** The rule module '%s' for firmware: the API of %s.c.  Compile %s.c with\n"
           "** the tinycep runtime (the .c files of cep/, ml/ and runtime/; include\n"
           "** path = the tinycep root; -ffp-contract=off -fno-fast-math), see\n"
           "** docs/firmware.md.\n"
           "**\n"
           "**     static %s_ctx ctx;\n"
           "**     %s_init(&ctx, on_alert, NULL);        // on_alert(user, const cep_alert *)\n"
           "**     %s_push_<input>(&ctx, t_ms, ...);     // from wherever samples arrive\n"
           "**     %s_tick(&ctx, t_ms);                  // optional: time passes, no sample\n"
           "**\n"
           "** t_ms: event time in milliseconds, non-decreasing over all inputs (it may\n"
           "** wrap around; cep/cep.h).  The state lives in a static buffer of\n"
           "** %s_STATE_BYTES bytes in %s.c: one instance per module, not re-entrant.\n"
           "** Alerts are delivered from inside the push or tick call that completes\n"
           "** them; the cep_alert and its strings are valid during the callback only.\n"
           "*/\n",
           n, s->source, n, n, n, n, n, n, n, N, n);
    em_out(e, h, "#ifndef TINYCEP_MODULE_%s_H\n#define TINYCEP_MODULE_%s_H\n\n", N, N);
    em_out(e, h, "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\n");
    em_out(e, h, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
    em_out(e, h, "#include \"cep/cep.h\"\n#include \"runtime/rt_status.h\"\n\n");
    em_out(e, h,
           "/* The runtime's program format this module was generated for. */\n"
           "#define %s_PROGRAM_VERSION %uu\n"
           "#if CEP_PROGRAM_VERSION != %s_PROGRAM_VERSION\n"
           "#error \"%s.h: the tinycep runtime's program format changed: regenerate with tinycep\"\n"
           "#endif\n\n",
           N, (unsigned)CEP_PROGRAM_VERSION, N, n);

    em_out(e, h,
           "/* The static memory plan, bytes (tinycep check --report): the engine\n"
           "** state (windows, features, events, partial matches, scratch) and the\n"
           "** int8 inference arenas, one per tflite model.  %s.c holds them. */\n"
           "#define %s_STATE_BYTES %zuu\n"
           "#define %s_ARENA_BYTES %zuu\n"
           "#define %s_RAM_BYTES (%s_STATE_BYTES + %s_ARENA_BYTES)\n\n",
           n, N, sz->state, N, sz->arenas, N, N, N);
    em_out(e, h,
           "/* Flash of the generated data, bytes: the program tables and the\n"
           "** model weights and op tables (code not included). */\n"
           "#define %s_TABLE_BYTES %zuu\n"
           "#define %s_MODEL_BYTES %zuu\n\n",
           N, sz->tables, N, sz->models);

    em_out(e, h, "/* Inputs: index for cep_push and %s_input_name. */\n", n);
    for (i = 0; i < p->n_inputs; i++) {
        upper_copy(up, sizeof up, prog_name(p, p->inputs[i].name, buf, sizeof buf));
        em_out(e, h, "#define %s_INPUT_%s %uu\n", N, up, i);
    }
    em_out(e, h, "#define %s_N_INPUTS %uu\n\n", N, (unsigned)p->n_inputs);
    em_out(e, h, "/* Rules: cep_alert.rule, for %s_rule_name and %s_rule_stats. */\n", n, n);
    for (i = 0; i < p->n_rules; i++) {
        upper_copy(up, sizeof up, prog_name(p, p->rules[i].name, buf, sizeof buf));
        em_out(e, h, "#define %s_RULE_%s %uu\n", N, up, i);
    }
    em_out(e, h, "#define %s_N_RULES %uu\n\n", N, (unsigned)p->n_rules);

    em_out(e, h,
           "/* Called for every alert (after rate limits and cooldowns); user is\n"
           "** the pointer given to %s_init. */\n"
           "typedef void (*%s_alert_fn)(void *user, const cep_alert *alert);\n\n"
           "typedef struct %s_ctx {\n"
           "    cep_ctx *engine;         /* in the module's state buffer; NULL before init */\n"
           "    %s_alert_fn alert;\n"
           "    void *user;\n"
           "} %s_ctx;\n\n",
           n, n, n, n, n);
    em_out(e, h, "/* The program, for the cep_* functions of cep/cep.h. */\n"
                 "extern const cep_program %s_program;\n\n", n);
    em_out(e, h,
           "/* Lays out the state and starts the engine (windows empty, clock\n"
           "** unset).  alert may be NULL.  RT_ERR_ARG if ctx is NULL; otherwise\n"
           "** cep_init's status (RT_OK for a module generated for this runtime). */\n"
           "rt_status %s_init(%s_ctx *ctx, %s_alert_fn alert, void *user);\n\n"
           "/* Back to the state right after %s_init (counters zero). */\n"
           "void %s_reset(%s_ctx *ctx);\n\n",
           n, n, n, n, n, n);

    em_out(e, h,
           "/* One push function per input: a sample at t_ms.  RT_OK, or RT_ERR_TIME\n"
           "** (t_ms before the engine clock), RT_ERR_VALUE (NaN/Inf), RT_ERR_ARG (not\n"
           "** initialised); a rejected sample changes nothing but a counter. */\n");
    for (i = 0; i < p->n_inputs; i++) {
        const cep_input_desc *in = &p->inputs[i];
        in_type ty = input_type(in->type);
        const char *iname = prog_name(p, in->name, buf, sizeof buf);
        if (in->dims > 1)
            em_out(e, h, "/* %s: vec%u<%s>", iname, (unsigned)in->dims, ty.dsl);
        else
            em_out(e, h, "/* %s: %s", iname, ty.dsl);
        if (in->period_us != 0)
            em_out(e, h, ", every %lu us", (unsigned long)in->period_us);
        else
            em_out(e, h, ", event-driven");
        if (in->type == CEP_IN_I8 || in->type == CEP_IN_I16 || in->type == CEP_IN_I32)
            em_out(e, h, "; raw counts, real value = raw * %.7g", (double)in->scale);
        em_out(e, h, " */\nrt_status %s_push_%s(%s_ctx *ctx, uint32_t t_ms", n, iname, n);
        em_push_params(e, h, in);
        em_out(e, h, ");\n");
    }
    em_out(e, h,
           "\n/* Advances the engine clock to t_ms without a sample (durations,\n"
           "** watchdogs and `not ... within` windows end).  RT_ERR_TIME if t_ms is\n"
           "** before the clock. */\n"
           "rt_status %s_tick(%s_ctx *ctx, uint32_t t_ms);\n\n",
           n, n);
    if (s->n_models > 0)
        em_out(e, h,
               "/* Profiling: compile %s.c with -D%s_PROFILE and define these two to\n"
               "** have them called around every int8 inference (model: its index in\n"
               "** declaration order), e.g. to read a cycle counter.  Not called\n"
               "** otherwise. */\n"
               "#ifdef %s_PROFILE\n"
               "void %s_profile_begin(uint16_t model);\n"
               "void %s_profile_end(uint16_t model);\n"
               "#endif\n\n",
               n, N, N, n, n);
    em_out(e, h,
           "/* Counters (samples, rejections, inferences, alerts), and rule r's\n"
           "** (matches, alerts, suppressed, overflow, expired); NULL before init\n"
           "** or for r out of range. */\n"
           "const cep_stats *%s_stats(const %s_ctx *ctx);\n"
           "const cep_rule_stats *%s_rule_stats(const %s_ctx *ctx, uint16_t r);\n\n"
           "/* Names as declared in %s (\"\" out of range). */\n"
           "const char *%s_rule_name(uint16_t r);\n"
           "const char *%s_input_name(uint16_t i);\n\n",
           n, n, n, n, s->source, n, n);
    em_out(e, h, "#ifdef __cplusplus\n}\n#endif\n\n#endif /* TINYCEP_MODULE_%s_H */\n", N);
}

/* ------------------------------------------------------------ the source */

static void em_source(emitter *e, const cep_module_sizes *sz)
{
    const cep_module_spec *s = e->s;
    const cep_program *p = s->prog;
    const char *n = s->name, *N = e->upper;
    FILE *c = e->c;
    char buf[256];
    size_t i;
    bool tflite = s->n_models > 0;
    char infer[96];

    if (tflite)
        snprintf(infer, sizeof infer, "%s_infer", n);
    else
        snprintf(infer, sizeof infer, "NULL");

    em_out(e, c,
           "/*\n"
           "** %s.c -- generated by tinycep from %s -- do not edit.\n"
           "**\n"
           "** Sections, in this order: the program tables (cep/program.h), the\n"
           "** int8 models (ml/model.h), the state buffer and arenas, the API of\n"
           "** %s.h.\n"
           "*/\n",
           n, s->source, n);
    em_out(e, c, "#include \"%s.h\"\n", n);
    if (tflite)
        em_out(e, c, "\n#ifdef __cplusplus\n"
                     "extern \"C\" {\n#endif\n"
                     "#include \"ml/model.h\"\n#include \"ml/model_table.h\"\n"
                     "#ifdef __cplusplus\n}\n#endif\n\n"
                     "#if ML_MODEL_ABI_VERSION != %uu\n"
                     "#error \"%s.c: the tinycep runtime's model format changed: regenerate with tinycep\"\n"
                     "#endif\n",
               (unsigned)ML_MODEL_ABI_VERSION, n);
    em_out(e, c, "\n/* ================================================ program tables */\n\n");
    if (!e->failed && !cep_emit_c(p, n, c))
        em_fail(e, "cannot write the program tables (write error or a non-finite constant)");

    if (tflite) {
        em_out(e, c, "\n/* ================================================ int8 models */\n");
        for (i = 0; i < s->n_models && !e->failed; i++) {
            char mname[192];
            char *text;
            snprintf(mname, sizeof mname, "%s_model_%s", n, s->models[i].name);
            if (s->models[i].compiled == NULL) {
                em_fail(e, "model '%s' was not compiled (its .tflite file is needed)", s->models[i].name);
                break;
            }
            text = ml_compiled_emit_c(s->models[i].compiled, mname);
            if (text == NULL) {
                em_fail(e, "cannot emit model '%s'", s->models[i].name);
                break;
            }
            em_out(e, c, "\n/* model %zu: %s */\nextern const ml_model %s;\n", i, s->models[i].name, mname);
            em_out(e, c, "%s", text);
            free(text);
        }
    }

    em_out(e, c, "\n/* ================================================ state */\n\n");
    em_out(e, c,
           "/* The engine state, %s_STATE_BYTES bytes, 8-byte aligned (cep_init). */\n"
           "static uint64_t %s_state[%zuu];\n",
           N, n, sz->state / 8);
    if (tflite) {
        for (i = 0; i < s->n_models; i++) {
            const ml_compiled *mc = s->models[i].compiled;
            em_out(e, c, "/* Arena of model %zu (%s): %lu bytes, 4-byte aligned. */\n"
                         "static uint32_t %s_arena_%s[%luu];\n",
                   i, s->models[i].name, (unsigned long)mc->model.arena_size, n, s->models[i].name,
                   (unsigned long)((mc->model.arena_size + 3u) / 4u));
        }
        em_out(e, c, "\n/* The models by cep_model_desc.ext, with their arenas (ml/model_table.h). */\n");
        em_out(e, c, "static const struct ml_model *const %s_ml_models[%zuu] = {\n", n, s->n_models);
        for (i = 0; i < s->n_models; i++)
            em_out(e, c, "    &%s_model_%s,\n", n, s->models[i].name);
        em_out(e, c, "};\nstatic uint8_t *const %s_ml_arenas[%zuu] = {\n", n, s->n_models);
        for (i = 0; i < s->n_models; i++)
            em_out(e, c, "    (uint8_t *)%s_arena_%s,\n", n, s->models[i].name);
        em_out(e, c, "};\nstatic const uint32_t %s_ml_arena_sizes[%zuu] = {\n", n, s->n_models);
        for (i = 0; i < s->n_models; i++)
            em_out(e, c, "    %luu,\n", (unsigned long)s->models[i].compiled->model.arena_size);
        em_out(e, c, "};\nstatic const ml_model_table %s_ml = { %zuu, %s_ml_models, %s_ml_arenas, %s_ml_arena_sizes };\n",
               n, s->n_models, n, n, n);
        em_out(e, c,
               "\n/* cep_callbacks.infer: the same glue the simulator runs, with the\n"
               "** optional profiling hooks of %s.h around it. */\n"
               "static rt_status %s_infer(void *user, uint16_t model, const int8_t *in, size_t n_in,\n"
               "                          int8_t *out, size_t n_out)\n"
               "{\n"
               "    rt_status st;\n"
               "    (void)user;\n"
               "#ifdef %s_PROFILE\n"
               "    %s_profile_begin(model);\n"
               "#endif\n"
               "    st = ml_model_table_infer(&%s_ml, model, in, n_in, out, n_out);\n"
               "#ifdef %s_PROFILE\n"
               "    %s_profile_end(model);\n"
               "#endif\n"
               "    return st;\n"
               "}\n",
               n, n, N, n, n, N, n);
    }

    em_out(e, c, "\n/* ================================================ names */\n\n");
    em_out(e, c, "/* by rule index */\nstatic const char *const %s_rule_names[%uu] = {\n", n,
           p->n_rules ? p->n_rules : 1u);
    for (i = 0; i < p->n_rules; i++) {
        em_out(e, c, "    ");
        em_cstring(e, c, prog_name(p, p->rules[i].name, buf, sizeof buf));
        em_out(e, c, ",\n");
    }
    if (p->n_rules == 0)
        em_out(e, c, "    \"\",\n");
    em_out(e, c, "};\n/* by input index */\nstatic const char *const %s_input_names[%uu] = {\n", n,
           p->n_inputs ? p->n_inputs : 1u);
    for (i = 0; i < p->n_inputs; i++) {
        em_out(e, c, "    ");
        em_cstring(e, c, prog_name(p, p->inputs[i].name, buf, sizeof buf));
        em_out(e, c, ",\n");
    }
    if (p->n_inputs == 0)
        em_out(e, c, "    \"\",\n");
    em_out(e, c, "};\n");

    em_out(e, c, "\n/* ================================================ API */\n\n");
    em_out(e, c,
           "rt_status %s_init(%s_ctx *ctx, %s_alert_fn alert, void *user)\n"
           "{\n"
           "    cep_callbacks cb;\n"
           "    rt_status st;\n"
           "    if (ctx == NULL)\n"
           "        return RT_ERR_ARG;\n"
           "    ctx->engine = NULL;\n"
           "    ctx->alert = alert;\n"
           "    ctx->user = user;\n"
           "    cb.alert = alert;\n"
           "    cb.infer = %s;\n"
           "    cb.user = user;\n"
           "    st = cep_init(&ctx->engine, &%s_program, %s_state, sizeof %s_state, &cb);\n"
           "    if (st != RT_OK)\n"
           "        ctx->engine = NULL;\n"
           "    return st;\n"
           "}\n\n"
           "void %s_reset(%s_ctx *ctx)\n"
           "{\n"
           "    if (ctx != NULL && ctx->engine != NULL)\n"
           "        cep_reset(ctx->engine);\n"
           "}\n",
           n, n, n, infer, n, n, n, n, n);
    for (i = 0; i < p->n_inputs; i++) {
        const cep_input_desc *in = &p->inputs[i];
        in_type ty = input_type(in->type);
        const char *iname = prog_name(p, in->name, buf, sizeof buf);
        unsigned k;
        em_out(e, c, "\nrt_status %s_push_%s(%s_ctx *ctx, uint32_t t_ms", n, iname, n);
        em_push_params(e, c, in);
        em_out(e, c, ")\n{\n");
        if (in->dims == 1) {
            if (in->type == CEP_IN_BOOL)
                em_out(e, c, "    uint8_t raw = v ? 1u : 0u;\n");
            else
                em_out(e, c, "    %s raw = v;\n", ty.raw);
        } else if (in->dims <= 4) {
            em_out(e, c, "    %s raw[%u];\n", ty.raw, (unsigned)in->dims);
            for (k = 0; k < in->dims; k++) {
                if (in->type == CEP_IN_BOOL)
                    em_out(e, c, "    raw[%u] = %s ? 1u : 0u;\n", k, comp_names[k]);
                else
                    em_out(e, c, "    raw[%u] = %s;\n", k, comp_names[k]);
            }
        } else {
            em_out(e, c, "    %s raw[%u];\n    unsigned k;\n", ty.raw, (unsigned)in->dims);
            if (in->type == CEP_IN_BOOL)
                em_out(e, c, "    for (k = 0; k < %uu; k++)\n        raw[k] = v[k] ? 1u : 0u;\n",
                       (unsigned)in->dims);
            else
                em_out(e, c, "    for (k = 0; k < %uu; k++)\n        raw[k] = v[k];\n", (unsigned)in->dims);
        }
        em_out(e, c,
               "    if (ctx == NULL || ctx->engine == NULL)\n"
               "        return RT_ERR_ARG;\n"
               "    return cep_push(ctx->engine, %s_INPUT_", N);
        {
            char up[256];
            upper_copy(up, sizeof up, iname);
            em_out(e, c, "%s, t_ms, %sraw);\n}\n", up, in->dims == 1 ? "&" : "");
        }
    }
    em_out(e, c,
           "\nrt_status %s_tick(%s_ctx *ctx, uint32_t t_ms)\n"
           "{\n"
           "    if (ctx == NULL || ctx->engine == NULL)\n"
           "        return RT_ERR_ARG;\n"
           "    return cep_tick(ctx->engine, t_ms);\n"
           "}\n\n"
           "const cep_stats *%s_stats(const %s_ctx *ctx)\n"
           "{\n"
           "    return ctx != NULL && ctx->engine != NULL ? cep_stats_get(ctx->engine) : NULL;\n"
           "}\n\n"
           "const cep_rule_stats *%s_rule_stats(const %s_ctx *ctx, uint16_t r)\n"
           "{\n"
           "    return ctx != NULL && ctx->engine != NULL ? cep_rule_stats_get(ctx->engine, r) : NULL;\n"
           "}\n\n"
           "const char *%s_rule_name(uint16_t r)\n"
           "{\n"
           "    return r < %s_N_RULES ? %s_rule_names[r] : \"\";\n"
           "}\n\n"
           "const char *%s_input_name(uint16_t i)\n"
           "{\n"
           "    return i < %s_N_INPUTS ? %s_input_names[i] : \"\";\n"
           "}\n",
           n, n, n, n, n, n, n, N, n, n, N, n);
}

/* ------------------------------------------------------------ checks */

static bool check_spec(emitter *e)
{
    const cep_module_spec *s = e->s;
    const cep_program *p = s->prog;
    char a[256], b[256], ua[256], ub[256];
    size_t i, j, tflite = 0;

    if (s->name == NULL || !is_c_ident(s->name, strlen(s->name)) || strlen(s->name) >= sizeof e->upper)
        return em_fail(e, "module name '%s' is not a C identifier (at most %zu characters)",
                       s->name ? s->name : "", sizeof e->upper - 1);
    upper_copy(e->upper, sizeof e->upper, s->name);
    for (i = 0; i < p->n_models; i++)
        if (p->models[i].kind == CEP_M_TFLITE) {
            tflite++;
            if (p->models[i].ext >= s->n_models)
                return em_fail(e, "tflite model %zu (ext %u) has no compiled model", i, p->models[i].ext);
        }
    if (tflite != s->n_models)
        return em_fail(e, "the program has %zu tflite models, %zu were given", tflite, s->n_models);
    for (i = 0; i < s->n_models; i++)
        if (s->models[i].name == NULL || !is_c_ident(s->models[i].name, strlen(s->models[i].name)))
            return em_fail(e, "model name '%s' is not a C identifier", s->models[i].name ? s->models[i].name : "");
    /* Input names become function and macro names; rule names macro names.
    ** Two names that differ only in case would give the same macro. */
    for (i = 0; i < p->n_inputs; i++) {
        prog_name(p, p->inputs[i].name, a, sizeof a);
        if (!is_c_ident(a, strlen(a)))
            return em_fail(e, "input name '%s' is not a C identifier", a);
        upper_copy(ua, sizeof ua, a);
        for (j = 0; j < i; j++) {
            upper_copy(ub, sizeof ub, prog_name(p, p->inputs[j].name, b, sizeof b));
            if (strcmp(ua, ub) == 0)
                return em_fail(e, "inputs '%s' and '%s' give the same macro %s_INPUT_%s", b, a, e->upper, ua);
        }
    }
    for (i = 0; i < p->n_rules; i++) {
        prog_name(p, p->rules[i].name, a, sizeof a);
        if (!is_c_ident(a, strlen(a)))
            return em_fail(e, "rule name '%s' is not a C identifier", a);
        upper_copy(ua, sizeof ua, a);
        for (j = 0; j < i; j++) {
            upper_copy(ub, sizeof ub, prog_name(p, p->rules[j].name, b, sizeof b));
            if (strcmp(ua, ub) == 0)
                return em_fail(e, "rules '%s' and '%s' give the same macro %s_RULE_%s", b, a, e->upper, ua);
        }
    }
    return true;
}

bool cep_module_emit(const cep_module_spec *s, FILE *h, FILE *c, cep_module_sizes *sizes, char *err,
                     size_t errcap)
{
    emitter e;
    cep_module_sizes sz;
    size_t i;

    memset(&e, 0, sizeof e);
    e.s = s;
    e.h = h;
    e.c = c;
    e.err = err;
    e.errcap = errcap;
    if (errcap > 0)
        err[0] = '\0';
    if (s == NULL || s->prog == NULL || (s->n_models > 0 && s->models == NULL))
        return em_fail(&e, "no program");
    if (!check_spec(&e))
        return false;
    upper_copy(e.upper, sizeof e.upper, s->name);

    memset(&sz, 0, sizeof sz);
    sz.state = cep_state_size(s->prog);
    if (sz.state == 0)
        return em_fail(&e, "the program is malformed (cep_state_size is 0)");
    if (sz.state % 8 != 0)
        return em_fail(&e, "engine state of %zu bytes is not a multiple of 8", sz.state);
    sz.tables = cep_module_table_bytes(s->prog);
    for (i = 0; i < s->n_models; i++) {
        const ml_compiled *mc = s->models[i].compiled;
        if (mc == NULL)
            return em_fail(&e, "model '%s' was not compiled (its .tflite file is needed)", s->models[i].name);
        sz.arenas += mc->model.arena_size;
        sz.models += mc->weight_bytes + mc->table_bytes;
    }
    em_header(&e, &sz);
    em_source(&e, &sz);
    if (sizes != NULL)
        *sizes = sz;
    return !e.failed;
}
