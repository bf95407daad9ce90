/*
** parser.y — the grammar of the rule language (docs/language.md explains it).
**
** A pure bison parser over the reentrant lexer in lexer.l.  Every action is
** one call into an AST constructor (ast.c); no meaning is decided here — that
** is sema.c's job — so names, units, types and feature functions are plain
** identifiers in the grammar.
**
** Rule patterns and signal expressions share one expression grammar; sema
** tells them apart (an `and` of two conditions is a condition, an `and` of
** two events a pattern).  Precedence, loosest first:
**     within (postfix)  then  or  and  not  comparisons  + -  * /  unary - and labels
**     postfix: member `.x`, index `[i]`, repetition `{n}` `{n,m}`
** so `a then b within 10 s` bounds the whole sequence and
** `not flow > 1` is `not (flow > 1)`.
**
** Error recovery is per declaration (`error ';'`); the custom error report
** names what was found, what was expected, a "did you mean" for misspelt
** keywords, and the construct being closed, Lua style.
*/
%define api.pure full
%define api.prefix {dsl_yy}
%define api.location.type {struct dsl_span}
%define parse.error custom
%locations
%expect 0
%param {yyscan_t scanner}
%parse-param {struct dsl_parse *P}

%code requires {
#include "dsl/ast.h"
#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif
}

%code provides {
int dsl_yylex(DSL_YYSTYPE *lval, DSL_YYLTYPE *lloc, yyscan_t scanner);
}

%code {
#include <stdio.h>
#include <string.h>

#include "dsl/tokens.h"
#define YYSTYPE DSL_YYSTYPE
#define YYLTYPE DSL_YYLTYPE
#include "lexer.yy.h"

#define YYMAXDEPTH 100000
#define YYLLOC_DEFAULT(Cur, Rhs, N)                          \
    do {                                                     \
        if (N) {                                             \
            (Cur).start = YYRHSLOC(Rhs, 1).start;            \
            (Cur).end = YYRHSLOC(Rhs, N).end;                \
        } else {                                             \
            (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;  \
        }                                                    \
    } while (0)

static void dsl_yyerror(DSL_YYLTYPE *loc, yyscan_t scanner, struct dsl_parse *P, const char *msg);
}

%union {
    double num;
    const char *str;
    struct ast_string *string;
    struct dsl_expr *expr;
    struct dsl_quantity *qty;
    struct dsl_winspec *win;
    struct ast_list *list;
    struct ast_ident *ident;
    struct ast_type *type;
    struct ast_input_opts *iopts;
    struct ast_event_opts *eopts;
    struct ast_rule_opts *ropts;
    struct ast_model_out *mout;
}

/* Lists are heap arrays until a constructor takes them; everything else is
** arena memory, freed with the module, so discarding it needs no work. */
%destructor { ast_list_free($$); } <list>
%destructor { ast_list_free($$->classes); } <mout>
%destructor { (void)$$; /* arena */ } <str> <string> <expr> <qty> <win> <ident> <type> <iopts> <eopts> <ropts>

%token END 0 "end of file"
%token <str> IDENT "identifier"
%token <num> NUMBER "number"
%token <string> STRING "string"
%token LEXERROR "invalid token"
%token START_EXPR "start of an expression" /* injected: parse one expression */
%token EQ "'=='" NE "'!='" LE "'<='" GE "'>='"

/* keep in step with DSL_KEYWORD_LIST in tokens.h (test_dsl_lexer checks) */
%token KW_MODULE "'module'" KW_BUDGET "'budget'" KW_INPUT "'input'" KW_WINDOW "'window'"
%token KW_FEATURE "'feature'" KW_MODEL "'model'" KW_EVENT "'event'" KW_RULE "'rule'"
%token KW_SCALE "'scale'" KW_UNIT "'unit'" KW_SLIDING "'sliding'" KW_TUMBLING "'tumbling'"
%token KW_HOP "'hop'" KW_OVER "'over'" KW_MAX "'max'" KW_TFLITE "'tflite'"
%token KW_ANOMALY "'anomaly'" KW_CLASSES "'classes'" KW_OUTPUTS "'outputs'"
%token KW_RECONSTRUCTION "'reconstruction'" KW_LEARN "'learn'" KW_WHEN "'when'"
%token KW_FOR "'for'" KW_IN "'in'" KW_OF "'of'" KW_CLEAR "'clear'" KW_BECOMES "'becomes'"
%token KW_THEN "'then'" KW_AND "'and'" KW_OR "'or'" KW_NOT "'not'" KW_WITHIN "'within'"
%token KW_ABSENT "'absent'" KW_WHERE "'where'" KW_ALERT "'alert'" KW_LIMIT "'limit'"
%token KW_PER "'per'" KW_COOLDOWN "'cooldown'" KW_SELECT "'select'" KW_MATCHES "'matches'"
%token KW_TRUE "'true'" KW_FALSE "'false'"

%type <expr> expr postfix primary arg where_opt
%type <qty> quantity
%type <win> winspec
%type <list> args idents idents_opt params_opt
%type <ident> ident
%type <type> type
%type <iopts> input_opts
%type <eopts> event_opts
%type <ropts> rule_opts
%type <mout> model_out
%type <str> unitname
%type <num> snumber

%precedence KW_WITHIN
%left KW_THEN
%left KW_OR
%left KW_AND
%precedence KW_NOT
%nonassoc EQ NE '<' LE '>' GE
%left '+' '-'
%left '*' '/'
%precedence UMINUS LABEL

%start start

%%

start
    : file
    | START_EXPR expr                              { ast_expr_result(P, $2); }
    ;

file
    : %empty
    | file decl
    ;

decl
    : KW_MODULE IDENT ';'                          { ast_module(P, @$, $2, @2); }
    | KW_BUDGET budget_items ';'
    | KW_INPUT ident ':' type input_opts ';'       { ast_input(P, @$, $2, $4, $5); }
    | KW_WINDOW ident '=' postfix winspec ';'      { ast_window(P, @$, $2, $4, $5); }
    | KW_FEATURE ident '=' expr ';'                { ast_feature(P, @$, $2, $4); }
    | KW_MODEL ident '=' KW_TFLITE STRING KW_INPUT '[' idents_opt ']' model_out ';'
                                                   { ast_model_tflite(P, @$, $2, $5, $8, $10); }
    | KW_MODEL ident '=' KW_ANOMALY '[' idents_opt ']' KW_LEARN quantity ';'
                                                   { ast_model_anomaly(P, @$, $2, $6, $9); }
    | KW_EVENT ident params_opt KW_WHEN expr event_opts ';'
                                                   { ast_event(P, @$, $2, $3, $5, $6); }
    | KW_RULE ident KW_WHEN expr where_opt KW_ALERT ident STRING rule_opts ';'
                                                   { ast_rule(P, @$, $2, $4, $5, $7, $8, $9); }
    | error ';'                                    { yyerrok; ast_decl_broken(P); }
    ;

ident
    : IDENT                                        { $$ = ast_ident(P, @$, $1); }
    ;

budget_items
    : IDENT quantity                               { ast_budget(P, @$, $1, $2); }
    | budget_items ',' IDENT quantity              { ast_budget(P, @3, $3, $4); }
    ;

quantity
    : NUMBER                                       { $$ = ast_quantity(P, @$, $1, NULL); }
    | NUMBER IDENT                                 { $$ = ast_quantity(P, @$, $1, $2); }
    ;

snumber
    : NUMBER                                       { $$ = $1; }
    | '-' NUMBER                                   { $$ = -$2; }
    ;

type
    : IDENT                                        { $$ = ast_type_new(P, @$, $1, NULL); }
    | IDENT '<' IDENT '>'                          { $$ = ast_type_new(P, @$, $1, $3); }
    ;

input_opts
    : %empty                                       { $$ = ast_input_opts_new(P); }
    | input_opts '@' quantity                      { $$ = ast_input_rate(P, $1, $3); }
    | input_opts KW_SCALE snumber                  { $$ = ast_input_scale(P, $1, ast_quantity(P, @3, $3, NULL)); }
    | input_opts KW_UNIT unitname                  { $$ = ast_input_unit(P, $1, $3, @3); }
    ;

unitname
    : IDENT                                        { $$ = $1; }
    | unitname '/' IDENT                           { $$ = ast_unit_join(P, $1, $3); }
    ;

winspec
    : KW_SLIDING quantity                          { $$ = ast_winspec(P, @$, DSL_WIN_SLIDING, false, $2, NULL); }
    | KW_SLIDING quantity KW_HOP quantity          { $$ = ast_winspec(P, @$, DSL_WIN_SLIDING, false, $2, $4); }
    | KW_TUMBLING quantity                         { $$ = ast_winspec(P, @$, DSL_WIN_TUMBLING, false, $2, NULL); }
    | KW_OVER quantity                             { $$ = ast_winspec(P, @$, DSL_WIN_SLIDING, true, $2, NULL); }
    | winspec KW_MAX quantity                      { $$ = ast_winspec_max(P, @$, $1, $3); }
    ;

model_out
    : KW_CLASSES '[' idents_opt ']'                { $$ = ast_model_out(P, @$, DSL_MOUTS_CLASSES, $3, NULL); }
    | KW_OUTPUTS quantity                          { $$ = ast_model_out(P, @$, DSL_MOUTS_VALUES, NULL, $2); }
    | KW_RECONSTRUCTION                            { $$ = ast_model_out(P, @$, DSL_MOUTS_RECONSTRUCTION, NULL, NULL); }
    ;

idents_opt
    : %empty                                       { $$ = NULL; }
    | idents                                       { $$ = $1; }
    ;

idents
    : ident                                        { $$ = ast_list_new($1, @$); }
    | idents ',' ident                             { $$ = ast_list_add($1, $3, @$); }
    ;

params_opt
    : %empty                                       { $$ = NULL; }
    | '(' idents ')'                               { $$ = $2; }
    ;

event_opts
    : %empty                                       { $$ = ast_event_opts_new(P); }
    | event_opts KW_BECOMES KW_TRUE                { $$ = ast_event_edge(P, $1, @2, 1); }
    | event_opts KW_BECOMES KW_FALSE               { $$ = ast_event_edge(P, $1, @2, 0); }
    | event_opts KW_FOR quantity                   { $$ = ast_event_for(P, $1, $3); }
    | event_opts KW_IN NUMBER KW_OF NUMBER         { $$ = ast_event_kn(P, $1, @2, @5, $3, $5); }
    | event_opts KW_CLEAR KW_WHEN expr             { $$ = ast_event_clear(P, $1, $4); }
    ;

where_opt
    : %empty                                       { $$ = NULL; }
    | KW_WHERE expr                                { $$ = $2; }
    ;

rule_opts
    : %empty                                       { $$ = ast_rule_opts_new(P); }
    | rule_opts KW_LIMIT NUMBER KW_PER quantity    { $$ = ast_rule_limit(P, $1, @3, $3, $5); }
    | rule_opts KW_COOLDOWN quantity               { $$ = ast_rule_cooldown(P, $1, $3); }
    | rule_opts KW_SELECT IDENT                    { $$ = ast_rule_select(P, $1, @3, $3, NULL); }
    | rule_opts KW_SELECT IDENT IDENT              { $$ = ast_rule_select(P, $1, @3, $3, $4); }
    | rule_opts KW_MATCHES NUMBER                  { $$ = ast_rule_matches(P, $1, @3, $3); }
    ;

expr
    : expr KW_WITHIN quantity                      { $$ = ast_within(P, @$, $1, $3); }
    | expr KW_THEN expr                            { $$ = ast_binary(P, @$, DSL_OP_THEN, $1, $3); }
    | expr KW_OR expr                              { $$ = ast_binary(P, @$, DSL_OP_OR, $1, $3); }
    | expr KW_AND expr                             { $$ = ast_binary(P, @$, DSL_OP_AND, $1, $3); }
    | KW_NOT expr                                  { $$ = ast_unary(P, @$, DSL_OP_NOT, $2); }
    | expr EQ expr                                 { $$ = ast_binary(P, @$, DSL_OP_EQ, $1, $3); }
    | expr NE expr                                 { $$ = ast_binary(P, @$, DSL_OP_NE, $1, $3); }
    | expr '<' expr                                { $$ = ast_binary(P, @$, DSL_OP_LT, $1, $3); }
    | expr LE expr                                 { $$ = ast_binary(P, @$, DSL_OP_LE, $1, $3); }
    | expr '>' expr                                { $$ = ast_binary(P, @$, DSL_OP_GT, $1, $3); }
    | expr GE expr                                 { $$ = ast_binary(P, @$, DSL_OP_GE, $1, $3); }
    | expr '+' expr                                { $$ = ast_binary(P, @$, DSL_OP_ADD, $1, $3); }
    | expr '-' expr                                { $$ = ast_binary(P, @$, DSL_OP_SUB, $1, $3); }
    | expr '*' expr                                { $$ = ast_binary(P, @$, DSL_OP_MUL, $1, $3); }
    | expr '/' expr                                { $$ = ast_binary(P, @$, DSL_OP_DIV, $1, $3); }
    | '-' expr %prec UMINUS                        { $$ = ast_unary(P, @$, DSL_OP_NEG, $2); }
    | IDENT ':' expr %prec LABEL                   { $$ = ast_label(P, @$, $1, @1, $3); }
    | KW_ABSENT IDENT KW_FOR quantity              { $$ = ast_absent(P, @$, $2, @2, $4); }
    | postfix                                      { $$ = $1; }
    ;

postfix
    : primary                                      { $$ = $1; }
    | postfix '.' IDENT                            { $$ = ast_member(P, @$, $1, $3, @3); }
    | postfix '[' expr ']'                         { $$ = ast_index(P, @$, $1, $3); }
    | postfix '{' NUMBER '}'                       { $$ = ast_repeat(P, @$, $1, $3, $3, true); }
    | postfix '{' NUMBER ',' NUMBER '}'            { $$ = ast_repeat(P, @$, $1, $3, $5, true); }
    | postfix '{' NUMBER ',' '}'                   { $$ = ast_repeat(P, @$, $1, $3, 0, false); }
    ;

primary
    : NUMBER                                       { $$ = ast_number(P, @$, $1, NULL); }
    | NUMBER IDENT                                 { $$ = ast_number(P, @$, $1, $2); }
    | KW_TRUE                                      { $$ = ast_bool(P, @$, 1); }
    | KW_FALSE                                     { $$ = ast_bool(P, @$, 0); }
    | IDENT                                        { $$ = ast_name(P, @$, $1); }
    | IDENT '(' ')'                                { $$ = ast_call(P, @$, $1, @1, NULL); }
    | IDENT '(' args ')'                           { $$ = ast_call(P, @$, $1, @1, $3); }
    | KW_MAX '(' args ')'                          { $$ = ast_call(P, @$, "max", @1, $3); }
    | '(' expr ')'                                 { $$ = $2; }
    ;

args
    : arg                                          { $$ = ast_list_new($1, @$); }
    | args ',' arg                                 { $$ = ast_list_add($1, $3, @$); }
    ;

arg
    : expr                                         { $$ = $1; }
    | expr winspec                                 { $$ = ast_window_expr(P, @$, $1, $2); }
    ;

%%

/* Only reached for parser stack exhaustion (syntax errors go through
** yyreport_syntax_error): very deep prefix-operator chains. */
static void dsl_yyerror(DSL_YYLTYPE *loc, yyscan_t scanner, struct dsl_parse *P, const char *msg)
{
    (void)scanner;
    if (strstr(msg, "exhausted") != NULL)
        diag_error(P->diag, *loc, "nested too deeply (limit is %d)", DSL_MAX_NESTING);
    else
        diag_error(P->diag, *loc, "%s", msg);
}

static const char *const keyword_spellings[] = {
#define X(tok, s, opens) s,
    DSL_KEYWORD_LIST(X)
#undef X
};

/* "'then'" → "then" for keyword symbols; NULL for others. */
static const char *sym_keyword(yysymbol_kind_t k)
{
    const char *name = yysymbol_name(k);
    size_t i, n;
    if (name[0] != '\'')
        return NULL;
    n = strlen(name);
    for (i = 0; i < sizeof keyword_spellings / sizeof keyword_spellings[0]; i++)
        if (strlen(keyword_spellings[i]) == n - 2 && memcmp(keyword_spellings[i], name + 1, n - 2) == 0)
            return keyword_spellings[i];
    return NULL;
}

/* Appends to a fixed buffer, truncating. */
static void cat(char *buf, size_t cap, const char *fmt, const char *s)
{
    size_t n = strlen(buf);
    if (n + 1 < cap)
        snprintf(buf + n, cap - n, fmt, s);
}

static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner, struct dsl_parse *P)
{
    enum { MAXEXP = 6 };
    yysymbol_kind_t expected[MAXEXP];
    yysymbol_kind_t look = yypcontext_token(ctx);
    DSL_YYLTYPE at = *yypcontext_location(ctx);
    int nexp = yypcontext_expected_tokens(ctx, expected, MAXEXP);
    char found[96], msg[512] = "", close[128] = "";
    const char *suggest = NULL, *kind = NULL;
    int i;
    unsigned best = 3;
    (void)scanner;

    /* The lexer already reported what was wrong with this token. */
    if (look == YYSYMBOL_LEXERROR)
        return 0;
    /* A declaration keyword where something else was expected most likely
    ** means a missing ';': let the lexer replay the keyword after a ';'. */
    if (P->decl_open.what != NULL && P->decl_open.offset == at.start && at.start > 0) {
        P->replay_token = 0;
        switch (look) {
        case YYSYMBOL_KW_MODULE: P->replay_token = KW_MODULE; break;
        case YYSYMBOL_KW_BUDGET: P->replay_token = KW_BUDGET; break;
        case YYSYMBOL_KW_INPUT: P->replay_token = KW_INPUT; break;
        case YYSYMBOL_KW_WINDOW: P->replay_token = KW_WINDOW; break;
        case YYSYMBOL_KW_FEATURE: P->replay_token = KW_FEATURE; break;
        case YYSYMBOL_KW_MODEL: P->replay_token = KW_MODEL; break;
        case YYSYMBOL_KW_EVENT: P->replay_token = KW_EVENT; break;
        case YYSYMBOL_KW_RULE: P->replay_token = KW_RULE; break;
        default: break;
        }
        if (P->replay_token != 0) {
            P->replay_span = at;
            P->replay_stage = 1;
        }
    }

    if (look == YYSYMBOL_YYEOF && P->in_capture) {
        snprintf(found, sizeof found, "'}' at the end of the capture");
    } else if (look == YYSYMBOL_IDENT || look == YYSYMBOL_NUMBER) {
        size_t n = at.end - at.start;
        snprintf(found, sizeof found, "%s '%.*s%s'", look == YYSYMBOL_IDENT ? "identifier" : "number",
                 (int)(n > 40 ? 40 : n), P->buf + at.start, n > 40 ? "..." : "");
    } else {
        snprintf(found, sizeof found, "%s", yysymbol_name(look));
    }
    snprintf(msg, sizeof msg, "unexpected %s", found);
    if (nexp == 0) {
        /* too many to list: name the closing bracket if one would do */
        yysymbol_kind_t all[YYNTOKENS];
        int nall = yypcontext_expected_tokens(ctx, all, YYNTOKENS);
        for (i = 0; i < nall; i++) {
            const char *nm = yysymbol_name(all[i]);
            if (strcmp(nm, "')'") == 0 || strcmp(nm, "']'") == 0 || strcmp(nm, "'}'") == 0) {
                expected[0] = all[i];
                nexp = 1;
                break;
            }
        }
        /* otherwise say what kind of thing may come */
        if (nexp == 0) {
            bool decl = false, operand = false;
            for (i = 0; i < nall; i++) {
                decl |= all[i] == YYSYMBOL_KW_RULE;
                operand |= all[i] == YYSYMBOL_NUMBER;
            }
            if (decl)
                kind = "a declaration (module, budget, input, window, feature, model, event or rule)";
            else if (operand)
                kind = "an expression";
        }
    }
    if (kind != NULL)
        cat(msg, sizeof msg, ", expected %s", kind);
    if (nexp > 0) {
        cat(msg, sizeof msg, "%s", ", expected ");
        for (i = 0; i < nexp; i++) {
            if (i > 0)
                cat(msg, sizeof msg, "%s", i == nexp - 1 ? " or " : ", ");
            cat(msg, sizeof msg, "%s",
                P->in_capture && expected[i] == YYSYMBOL_YYEOF ? "'}'" : yysymbol_name(expected[i]));
        }
    }
    /* did you mean: a misspelt keyword where a keyword was expected (the
    ** full expected set, not only the first few listed) */
    if (look == YYSYMBOL_IDENT) {
        yysymbol_kind_t all[YYNTOKENS];
        int nall = yypcontext_expected_tokens(ctx, all, YYNTOKENS);
        char word[64];
        size_t n = at.end - at.start;
        if (n < sizeof word) {
            memcpy(word, P->buf + at.start, n);
            word[n] = '\0';
            for (i = 0; i < nall; i++) {
                const char *kw = sym_keyword(all[i]);
                unsigned d;
                if (kw == NULL)
                    continue;
                d = ast_edit_distance(word, kw, 2);
                if (d < best && d < strlen(kw)) {
                    best = d;
                    suggest = kw;
                }
            }
        }
    }
    if (suggest != NULL) {
        char quoted[40];
        snprintf(quoted, sizeof quoted, "'%s'", suggest);
        if (!(nexp == 1 && strcmp(yysymbol_name(expected[0]), quoted) == 0))
            cat(msg, sizeof msg, "; did you mean '%s'?", suggest);
    }
    /* Lua style: name the construct this token should have closed when it
    ** began on an earlier line */
    {
        uint32_t line = diag_line(P->diag, at.start);
        bool wants_close = false;
        for (i = 0; i < nexp; i++) {
            const char *nm = yysymbol_name(expected[i]);
            if (strcmp(nm, "')'") == 0 || strcmp(nm, "']'") == 0 || strcmp(nm, "'}'") == 0)
                wants_close = true;
        }
        if (wants_close && P->nbrackets > 0 && P->nbrackets <= DSL_MAX_NESTING) {
            struct ast_opener *o = &P->brackets[P->nbrackets - 1];
            uint32_t ol = diag_line(P->diag, o->offset);
            if (ol != line)
                snprintf(close, sizeof close, " (to close '%s' at line %u)", o->what, (unsigned)ol);
        } else if (P->decl_open.what != NULL && P->decl_open.offset < at.start) {
            uint32_t ol = diag_line(P->diag, P->decl_open.offset);
            if (ol != line)
                snprintf(close, sizeof close, " (to close '%s' at line %u)", P->decl_open.what, (unsigned)ol);
        }
    }
    cat(msg, sizeof msg, "%s", close);
    diag_error(P->diag, at, "%s", msg);
    return 0;
}

struct dsl_expr *ast_parse_expr(struct dsl_parse *P, uint32_t start, uint32_t end)
{
    yyscan_t scanner;
    struct ast_opener save_open = P->decl_open;
    uint32_t save_offset = P->offset;
    if (dsl_yylex_init_extra(P, &scanner) != 0)
        return NULL;
    P->offset = start;
    P->nbrackets = 0;
    P->decl_open.what = NULL;
    P->after_semicolon = false;
    P->start_token = START_EXPR;
    P->in_capture = true;
    P->expr_result = NULL;
    P->len = end; /* end of file for the lexer's EOF locations */
    dsl_yy_scan_bytes(P->buf + start, (int)(end - start), scanner);
    if (dsl_yyparse(scanner, P) != 0)
        P->expr_result = NULL;
    dsl_yylex_destroy(scanner);
    P->in_capture = false;
    P->len = P->full_len;
    P->decl_open = save_open;
    P->offset = save_offset;
    return P->expr_result;
}

bool ast_parse(struct dsl_parse *P)
{
    yyscan_t scanner;
    int rc;
    if (dsl_yylex_init_extra(P, &scanner) != 0)
        return false;
    /* yy_scan_bytes copies the buffer and adds flex's two NUL terminators,
    ** so NUL bytes inside the input are ordinary (reported) bytes. */
    dsl_yy_scan_bytes(P->buf, (int)P->len, scanner);
    P->full_len = P->len;
    rc = dsl_yyparse(scanner, P);
    dsl_yylex_destroy(scanner);
    return rc == 0;
}
