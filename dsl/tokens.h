/*
** tokens.h — the keywords of the rule language, one X-macro line each:
**   X(TOKEN, "spelling", opens)
** TOKEN is the bison token name in parser.y (`%token TOKEN "'spelling'"`);
** opens is 1 for keywords that start a declaration (the lexer remembers the
** last one for "(to close 'rule' at line 3)").  The lexer's keyword lookup,
** the parser's "did you mean" for misspelt keywords and the unit test that
** checks this list against the grammar all come from here.
**
** Words that name things checked by sema rather than the grammar — feature
** functions (rms, min …), severities, policies, units, types — are plain
** identifiers, so a misspelling gets "did you mean" from sema too.
*/
#ifndef DSL_TOKENS_H
#define DSL_TOKENS_H

#define DSL_KEYWORD_LIST(X)         \
    X(KW_MODULE, "module", 1)       \
    X(KW_BUDGET, "budget", 1)       \
    X(KW_INPUT, "input", 1)         \
    X(KW_WINDOW, "window", 1)       \
    X(KW_FEATURE, "feature", 1)     \
    X(KW_MODEL, "model", 1)         \
    X(KW_EVENT, "event", 1)         \
    X(KW_RULE, "rule", 1)           \
    X(KW_SCALE, "scale", 0)         \
    X(KW_UNIT, "unit", 0)           \
    X(KW_SLIDING, "sliding", 0)     \
    X(KW_TUMBLING, "tumbling", 0)   \
    X(KW_HOP, "hop", 0)             \
    X(KW_OVER, "over", 0)           \
    X(KW_MAX, "max", 0)             \
    X(KW_TFLITE, "tflite", 0)       \
    X(KW_ANOMALY, "anomaly", 0)     \
    X(KW_CLASSES, "classes", 0)     \
    X(KW_OUTPUTS, "outputs", 0)     \
    X(KW_RECONSTRUCTION, "reconstruction", 0) \
    X(KW_LEARN, "learn", 0)         \
    X(KW_WHEN, "when", 0)           \
    X(KW_FOR, "for", 0)             \
    X(KW_IN, "in", 0)               \
    X(KW_OF, "of", 0)               \
    X(KW_CLEAR, "clear", 0)         \
    X(KW_BECOMES, "becomes", 0)     \
    X(KW_THEN, "then", 0)           \
    X(KW_AND, "and", 0)             \
    X(KW_OR, "or", 0)               \
    X(KW_NOT, "not", 0)             \
    X(KW_WITHIN, "within", 0)       \
    X(KW_ABSENT, "absent", 0)       \
    X(KW_WHERE, "where", 0)         \
    X(KW_ALERT, "alert", 0)         \
    X(KW_LIMIT, "limit", 0)         \
    X(KW_PER, "per", 0)             \
    X(KW_COOLDOWN, "cooldown", 0)   \
    X(KW_SELECT, "select", 0)       \
    X(KW_MATCHES, "matches", 0)     \
    X(KW_TRUE, "true", 0)           \
    X(KW_FALSE, "false", 0)

#endif /* DSL_TOKENS_H */
