/*
** lower_int.h — internal to the lowering (lower.c, lower_report.c): the
** compiled object and what the report needs to know about how each
** declaration was lowered.
*/
#ifndef CEP_COMPILE_LOWER_INT_H
#define CEP_COMPILE_LOWER_INT_H

#include "cep/compile/builder.h"
#include "cep/compile/lower.h"
#include "dsl/dsl.h"
#include "ml/import/import.h"
#include "ml/model_table.h"

/* One runtime object's name and origin. */
struct lw_obj {
    char *name;
    const struct dsl_decl *decl;   /* declaration (events: the event or, for
                                      anonymous events, the rule) */
    bool anonymous;                /* events only: inline condition, watchdog */
    uint32_t line;                 /* source line of decl */
};

struct cep_compiled {
    cep_builder *b;
    cep_program prog;
    char *name;
    struct dsl_module *owned;      /* cep_compile_file: the module, freed with c */
    const struct dsl_module *m;

    struct lw_obj *objs[CEP_OBJ_RULE + 1];
    uint32_t nobjs[CEP_OBJ_RULE + 1];

    /* class-name lists in names[] per model (first index, count) */
    uint16_t *class_first;
    uint16_t *class_count;

    /* tflite models, indexed by ext */
    uint16_t n_tfl;
    ml_graph **graphs;
    ml_compiled **mc;
    const char **tfl_names;
    const struct dsl_decl **tfl_decls;
    uint8_t **arenas;
    uint32_t *arena_sizes;
    const struct ml_model **models;
    ml_model_table table;

    struct cep_report rep;
    struct cep_report_item *items;
};

/* Builds c->rep from the finished program (lower_report.c); false on
** out-of-memory. */
bool lw_report_build(struct cep_compiled *c);

#endif /* CEP_COMPILE_LOWER_INT_H */
