/*
** sema.h — internal: the semantic checker's entry point (dsl.h's
** dsl_check_* call it after parsing).
*/
#ifndef DSL_SEMA_H
#define DSL_SEMA_H

#include "dsl/ast.h"

/* Resolves and checks the declarations parsed into P, filling P->mod.
** Diagnostics go to P->diag; returns true when no error was reported. */
bool sema_check(struct dsl_parse *P, const struct dsl_options *opt);

#endif /* DSL_SEMA_H */
