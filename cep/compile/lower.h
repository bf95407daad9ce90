/*
** lower.h — lowering: a checked rule module (dsl/dsl.h) becomes a CEP
** runtime program (cep/program.h), plus the int8 models it uses and its
** static memory report.
**
** This is the one entry point every later stage uses: the simulator
** (program + infer callback), the C module generator (program + the
** compiled tflite models + names), the image writer (program) and
** `tinycep check --report` (the report).
**
**     struct dsl_diag *d = dsl_diag_new();
**     struct cep_compiled *c = cep_compile_file("pump.cep", NULL, d);
**     dsl_diag_print(d, stderr, DSL_DIAG_TEXT);
**     if (c) {
**         const cep_program *p = cep_compiled_program(c);
**         cep_callbacks cb = { my_alert, my_infer, my_user };
**         // my_infer calls ml_model_table_infer(cep_compiled_models(c), ...)
**         // or pass cep_compiled_infer with user = c when no alert
**         // context is needed.
**         ...
**         cep_compiled_free(c);
**     }
**
** What lowers to what is documented in docs/program.md §10 and
** docs/lowering.md; the memory report's definitions are in docs/report.md.
**
** Host code (libc).  Everything returned by the accessors is owned by the
** cep_compiled object and lives until cep_compiled_free().
*/
#ifndef CEP_COMPILE_LOWER_H
#define CEP_COMPILE_LOWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cep/cep.h"
#include "cep/program.h"

struct dsl_module;
struct dsl_decl;
struct dsl_diag;
struct ml_compiled;
struct ml_model;
struct ml_model_table;
struct cep_compiled;

struct cep_lower_options {
    /* Do not read .tflite files: each tflite model gets quantization
    ** scale 1, zero point 0 and no ml_model (its inferences fail with
    ** RT_ERR_UNSUPPORTED); the report shows its flash and RAM as unknown.
    ** For checking snippets without their model files. */
    bool no_model_files;
    /* Directory that relative model paths are resolved against; NULL = the
    ** rule file's directory (what the front end already resolved). */
    const char *base_dir;
    /* Skip the `budget` check (the report still prints the budgets). */
    bool no_budget;
};

/* Lowers a checked module.  opt may be NULL (defaults).  Returns NULL on
** failure, with diagnostics (file:line:col, naming the construct and the
** limit it exceeds) added to diag.  The compiled object keeps no pointer
** into m except through cep_compiled_module() (valid while m lives). */
struct cep_compiled *cep_lower(const struct dsl_module *m, const struct cep_lower_options *opt,
                               struct dsl_diag *diag);

/* dsl_check_file + cep_lower; also wires the front end's model resolver so
** a .tflite file whose input/output sizes disagree with the declaration is
** reported at the model.  The module is owned by the result. */
struct cep_compiled *cep_compile_file(const char *path, const struct cep_lower_options *opt,
                                      struct dsl_diag *diag);
/* The same for a buffer (path names it in diagnostics and locates models). */
struct cep_compiled *cep_compile_buffer(const char *path, const char *buf, size_t len,
                                        const struct cep_lower_options *opt,
                                        struct dsl_diag *diag);

void cep_compiled_free(struct cep_compiled *c);

/* The runtime program; its tables are owned by c. */
const cep_program *cep_compiled_program(const struct cep_compiled *c);

/* The module name (`module NAME;` or the file's stem), a C identifier. */
const char *cep_compiled_name(const struct cep_compiled *c);

/* The checked module (NULL if it no longer exists: see cep_lower). */
const struct dsl_module *cep_compiled_module(const struct cep_compiled *c);

/* ---- names of runtime objects ----
** Inputs, events and rules carry names in the program itself
** (cep_program_name with their .name field).  Windows, features and models
** do not; these give the source names.  Anonymous windows are
** "<feature>.window"; a parameterised event instance is "fault(outer)"; an
** inline pattern condition is "<rule>.cond<N>"; a watchdog is
** "<rule>.absent.<input>"; the clone of an event named twice under labels
** in one rule is "<event>#<N>" (docs/lowering.md).  NULL if index is out of
** range. */
enum cep_obj {
    CEP_OBJ_INPUT,
    CEP_OBJ_WINDOW,
    CEP_OBJ_FEATURE,
    CEP_OBJ_MODEL,
    CEP_OBJ_EVENT,
    CEP_OBJ_RULE
};
const char *cep_compiled_obj_name(const struct cep_compiled *c, enum cep_obj kind, uint16_t index);
/* The declaration a runtime object comes from (NULL for anonymous events,
** or when the module no longer exists). */
const struct dsl_decl *cep_compiled_obj_decl(const struct cep_compiled *c, enum cep_obj kind,
                                             uint16_t index);

/* ---- tflite models ----
** Model `ext` (cep_model_desc.ext, 0-based, in declaration order of the
** tflite models) was imported from a .tflite file and compiled for the int8
** kernels.  NULL when out of range or lowered with no_model_files. */
size_t cep_compiled_tflite_count(const struct cep_compiled *c);
const struct ml_compiled *cep_compiled_tflite(const struct cep_compiled *c, uint16_t ext);
/* Its declaration name ("bearing"). */
const char *cep_compiled_tflite_name(const struct cep_compiled *c, uint16_t ext);

/* The table of models and arenas (ml/model_table.h) that
** ml_model_table_infer() runs; arenas are allocated by c. */
const struct ml_model_table *cep_compiled_models(const struct cep_compiled *c);

/* An infer callback for cep_callbacks with user = the cep_compiled (the
** arenas are mutable storage owned by c).  RT_ERR_UNSUPPORTED for a model
** lowered with no_model_files. */
rt_status cep_compiled_infer(void *user, uint16_t model, const int8_t *in, size_t n_in,
                             int8_t *out, size_t n_out);

/* ---- the static memory report (docs/report.md) ---- */
enum cep_report_kind {
    CEP_REP_SHARED,   /* engine blocks not owned by one declaration */
    CEP_REP_INPUT,
    CEP_REP_WINDOW,
    CEP_REP_FEATURE,
    CEP_REP_MODEL,
    CEP_REP_EVENT,
    CEP_REP_RULE
};

/* One line of the report: one declaration (all runtime objects it lowered
** to) or one shared block. */
struct cep_report_item {
    enum cep_report_kind kind;
    const char *name;         /* declaration name, or the shared block's name */
    uint32_t line;            /* source line of the declaration (0: shared) */
    size_t ram_state;         /* engine state bytes (cep_state_size_of) */
    size_t ram_arena;         /* tflite arena bytes (models only) */
    size_t flash_tables;      /* program table bytes attributed to it */
    size_t flash_model;       /* tflite weights + op tables (models only) */
    long macs;                /* MACs per inference (tflite), else 0; -1 unknown */
    uint64_t work;            /* worst-case operations per input sample */
    bool unknown;             /* model lowered without its file: sizes unknown */
};

struct cep_report {
    const struct cep_report_item *items;
    size_t n_items;
    /* Totals.  ram = ram_state + ram_arena; flash = flash_tables +
    ** flash_header + flash_model. */
    size_t ram_state;         /* == cep_state_size(program) */
    size_t ram_arena;         /* sum of tflite arenas (each its own buffer) */
    size_t flash_tables;      /* == cep_program_table_bytes(program) */
    size_t flash_header;      /* sizeof(cep_program) on the host */
    size_t flash_model;       /* sum of weight_bytes + table_bytes */
    uint64_t work;            /* worst-case operations per sample, whole program */
    uint64_t budget_ram, budget_flash; /* from the module, 0 = none */
};

const struct cep_report *cep_compiled_report(const struct cep_compiled *c);
/* Prints the report as a table (docs/report.md).  false on a write error. */
bool cep_report_print(const struct cep_compiled *c, FILE *out);

#endif /* CEP_COMPILE_LOWER_H */
