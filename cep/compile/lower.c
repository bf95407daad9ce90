/*
** lower.c — lowering of a checked module to a CEP program (skeleton: every
** entry point reports "not implemented yet"; the implementation follows).
*/
#include <stdlib.h>

#include "cep/compile/lower.h"
#include "dsl/ast.h"
#include "dsl/dsl.h"

struct cep_compiled {
    int unused_;
};

struct cep_compiled *cep_lower(const struct dsl_module *m, const struct cep_lower_options *opt,
                               struct dsl_diag *diag)
{
    (void)m;
    (void)opt;
    diag_error_file(diag, "lowering is not implemented yet");
    return NULL;
}

struct cep_compiled *cep_compile_file(const char *path, const struct cep_lower_options *opt,
                                      struct dsl_diag *diag)
{
    (void)path;
    (void)opt;
    diag_error_file(diag, "lowering is not implemented yet");
    return NULL;
}

struct cep_compiled *cep_compile_buffer(const char *path, const char *buf, size_t len,
                                        const struct cep_lower_options *opt,
                                        struct dsl_diag *diag)
{
    (void)path;
    (void)buf;
    (void)len;
    (void)opt;
    diag_error_file(diag, "lowering is not implemented yet");
    return NULL;
}

void cep_compiled_free(struct cep_compiled *c) { free(c); }
const cep_program *cep_compiled_program(const struct cep_compiled *c) { (void)c; return NULL; }
const char *cep_compiled_name(const struct cep_compiled *c) { (void)c; return NULL; }
const struct dsl_module *cep_compiled_module(const struct cep_compiled *c) { (void)c; return NULL; }
const char *cep_compiled_obj_name(const struct cep_compiled *c, enum cep_obj kind, uint16_t index)
{ (void)c; (void)kind; (void)index; return NULL; }
const struct dsl_decl *cep_compiled_obj_decl(const struct cep_compiled *c, enum cep_obj kind,
                                             uint16_t index)
{ (void)c; (void)kind; (void)index; return NULL; }
size_t cep_compiled_tflite_count(const struct cep_compiled *c) { (void)c; return 0; }
const struct ml_compiled *cep_compiled_tflite(const struct cep_compiled *c, uint16_t ext)
{ (void)c; (void)ext; return NULL; }
const char *cep_compiled_tflite_name(const struct cep_compiled *c, uint16_t ext)
{ (void)c; (void)ext; return NULL; }
const struct ml_model_table *cep_compiled_models(const struct cep_compiled *c) { (void)c; return NULL; }
rt_status cep_compiled_infer(void *user, uint16_t model, const int8_t *in, size_t n_in,
                             int8_t *out, size_t n_out)
{ (void)user; (void)model; (void)in; (void)n_in; (void)out; (void)n_out; return RT_ERR_UNSUPPORTED; }
const struct cep_report *cep_compiled_report(const struct cep_compiled *c) { (void)c; return NULL; }
bool cep_report_print(const struct cep_compiled *c, FILE *out) { (void)c; (void)out; return false; }
