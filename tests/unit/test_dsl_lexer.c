/*
** test_dsl_lexer.c — the keyword list (dsl/tokens.h) agrees with the
** grammar: every keyword lexes to the bison token of the same name, and the
** parser's messages spell it as written (the %token alias in parser.y).
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dsl/ast.h"
#include "dsl/tokens.h"
#include "parser.tab.h"

static void keywords_map_to_their_tokens(void **state)
{
#define X(tok, s, opens) assert_int_equal(ast_keyword_token(s, strlen(s)), tok);
    DSL_KEYWORD_LIST(X)
#undef X
    assert_int_equal(ast_keyword_token("temp", 4), -1);
}

/* `module KW;` puts the keyword where an identifier is expected: the error
** must name the keyword with its spelling. */
static void keywords_are_spelt_in_messages(void **state)
{
    static const char *const kws[] = {
#define X(tok, s, opens) s,
        DSL_KEYWORD_LIST(X)
#undef X
    };
    size_t i;
    for (i = 0; i < sizeof kws / sizeof kws[0]; i++) {
        char src[64], want[96], *out = NULL;
        size_t outlen = 0;
        struct dsl_diag *d = dsl_diag_new();
        struct dsl_module *m;
        FILE *f = open_memstream(&out, &outlen);
        snprintf(src, sizeof src, "module %s;", kws[i]);
        assert_int_equal(dsl_check_buffer("k.cep", src, strlen(src), NULL, d, &m), DSL_EINPUT);
        dsl_diag_print(d, f, DSL_DIAG_TEXT);
        fclose(f);
        snprintf(want, sizeof want, "unexpected '%s', expected identifier", kws[i]);
        if (strstr(out, want) == NULL)
            fail_msg("for '%s' got: %s", kws[i], out);
        free(out);
        dsl_diag_free(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keywords_map_to_their_tokens),
        cmocka_unit_test(keywords_are_spelt_in_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
