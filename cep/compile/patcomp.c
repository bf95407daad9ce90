/*
** patcomp.c — the pattern compiler: turns a pattern tree (sequence,
** conjunction, disjunction, bounded repetition, within, gap, negation)
** into the automaton of one rule (cep_pstate / cep_ptrans, docs/program.md
** §8).  Host code, used by the lowering and the tests.
**
** 1. Expand the tree into alternatives: linear sequences of steps.  A step
**    is one event (with guard) or a negation window; it carries up to two
**    `within` checks, each "t - t(step ref) <= ms".
** 2. Anchors: every step that a check or a negation refers to gets a time
**    register (at most 4 per alternative), set by its transition.
** 3. Merge the alternatives into a prefix tree: each distinct prefix is one
**    state, each step one transition; a negation step turns its state into
**    a NEG state whose window closes into the next state.
** 4. A WAIT state whose every transition checks the same anchor gets that
**    anchor as deadline, so that hopeless runs leave the pool early.
*/
#include <stdlib.h>
#include <string.h>

#include "cep/compile/builder.h"

#define MAXSTEP 32
#define MAXALT  64

typedef enum { PK_EV, PK_NOT, PK_SEQ, PK_AFTER, PK_OR, PK_AND, PK_REP, PK_WITHIN } pat_kind;

struct cep_pat {
    pat_kind k;
    uint16_t event, guard;
    uint32_t ms;
    unsigned n, m;
    cep_pat *a, *c;
};

typedef struct chk { int ref; uint32_t ms; } chk;

typedef struct step {
    uint8_t  neg;
    uint16_t event, guard;
    uint32_t neg_ms;
    int      neg_ref;      /* step the negation window starts at, -1: the one before */
    unsigned nchk;
    chk      c[2];
} step;

typedef struct alt { step s[MAXSTEP]; unsigned n; } alt;
typedef struct alts { alt *v; unsigned n; } alts;

static cep_pat *node(cep_builder *b, pat_kind k, cep_pat *a, cep_pat *c)
{
    cep_pat *p;
    if (k != PK_EV && k != PK_NOT && !a)
        return NULL;     /* an earlier error: nothing to free */
    p = calloc(1, sizeof *p);
    if (!p) {
        cep_b_fail(b, "out of memory");
        return NULL;
    }
    p->k = k;
    p->a = a;
    p->c = c;
    return p;
}

static void pat_free(cep_pat *p)
{
    if (!p)
        return;
    pat_free(p->a);
    pat_free(p->c);
    free(p);
}

cep_pat *cep_bp_event(cep_builder *b, uint16_t e, uint16_t guard)
{
    cep_pat *p = node(b, PK_EV, NULL, NULL);
    if (p) {
        p->event = e;
        p->guard = guard;
    }
    return p;
}

cep_pat *cep_bp_not(cep_builder *b, uint16_t e, uint16_t guard, uint32_t ms)
{
    cep_pat *p = node(b, PK_NOT, NULL, NULL);
    if (p) {
        p->event = e;
        p->guard = guard;
        p->ms = ms;
    }
    return p;
}

/* Binary nodes: on a NULL child, free the other one and return NULL. */
static cep_pat *binary(cep_builder *b, pat_kind k, cep_pat *a, cep_pat *c, uint32_t ms)
{
    cep_pat *p;
    if (!a || !c) {
        pat_free(a);
        pat_free(c);
        return NULL;
    }
    p = calloc(1, sizeof *p);
    if (!p) {
        pat_free(a);
        pat_free(c);
        cep_b_fail(b, "out of memory");
        return NULL;
    }
    p->k = k;
    p->a = a;
    p->c = c;
    p->ms = ms;
    return p;
}

cep_pat *cep_bp_seq(cep_builder *b, cep_pat *a, cep_pat *c) { return binary(b, PK_SEQ, a, c, 0); }
cep_pat *cep_bp_after(cep_builder *b, cep_pat *a, cep_pat *c, uint32_t ms) { return binary(b, PK_AFTER, a, c, ms); }
cep_pat *cep_bp_or(cep_builder *b, cep_pat *a, cep_pat *c) { return binary(b, PK_OR, a, c, 0); }
cep_pat *cep_bp_and(cep_builder *b, cep_pat *a, cep_pat *c) { return binary(b, PK_AND, a, c, 0); }

cep_pat *cep_bp_repeat(cep_builder *b, cep_pat *a, unsigned n, unsigned m)
{
    cep_pat *p = node(b, PK_REP, a, NULL);
    if (p) {
        p->n = n;
        p->m = m;
    }
    return p;
}

cep_pat *cep_bp_within(cep_builder *b, cep_pat *a, uint32_t ms)
{
    cep_pat *p = node(b, PK_WITHIN, a, NULL);
    if (p)
        p->ms = ms;
    return p;
}

/* ------------------------------------------------------------- expansion */

static bool alts_add(cep_builder *b, alts *out, const alt *x)
{
    alt *v;
    if (out->n >= MAXALT) {
        cep_b_fail(b, "pattern has more than %d alternatives", MAXALT);
        return false;
    }
    v = realloc(out->v, sizeof(alt) * (out->n + 1));
    if (!v) {
        cep_b_fail(b, "out of memory");
        return false;
    }
    out->v = v;
    out->v[out->n++] = *x;
    return true;
}

/* Copies step s of an alternative to position `to`, remapping references
** through map (old position → new position). */
static step remap(const step *s, const int *map, int before)
{
    step r = *s;
    unsigned i;
    for (i = 0; i < r.nchk; i++)
        r.c[i].ref = map[r.c[i].ref];
    if (r.neg)
        r.neg_ref = r.neg_ref >= 0 ? map[r.neg_ref] : before;
    return r;
}

/* z = x ++ y; y's leading references to "the step before" bind to x's last. */
static bool concat(cep_builder *b, const alt *x, const alt *y, alt *z)
{
    int map[MAXSTEP];
    unsigned i;
    if (x->n + y->n > MAXSTEP) {
        cep_b_fail(b, "pattern longer than %d steps", MAXSTEP);
        return false;
    }
    *z = *x;
    for (i = 0; i < y->n; i++)
        map[i] = (int)(x->n + i);
    for (i = 0; i < y->n; i++)
        z->s[x->n + i] = remap(&y->s[i], map, (int)x->n - 1);
    z->n = x->n + y->n;
    return true;
}

static bool add_check(cep_builder *b, step *s, int ref, uint32_t ms)
{
    unsigned i;
    for (i = 0; i < s->nchk; i++)
        if (s->c[i].ref == ref) {
            if (ms < s->c[i].ms)
                s->c[i].ms = ms;
            return true;
        }
    if (s->nchk == 2) {
        cep_b_fail(b, "more than 2 nested 'within' on one event");
        return false;
    }
    s->c[s->nchk].ref = ref;
    s->c[s->nchk].ms = ms;
    s->nchk++;
    return true;
}

static bool expand(cep_builder *b, const cep_pat *p, alts *out);

/* All interleavings of x and y, keeping each one's order: mx/my map the
** steps of x and y to their positions in the result. */
static bool shuffle(cep_builder *b, const alt *x, const alt *y, unsigned i, unsigned j, int *mx, int *my,
                    alts *out)
{
    if (i == x->n && j == y->n) {
        alt r;
        unsigned k;
        r.n = x->n + y->n;
        for (k = 0; k < x->n; k++)
            r.s[mx[k]] = remap(&x->s[k], mx, -1);
        for (k = 0; k < y->n; k++)
            r.s[my[k]] = remap(&y->s[k], my, -1);
        return alts_add(b, out, &r);
    }
    if (i < x->n) {
        mx[i] = (int)(i + j);
        if (!shuffle(b, x, y, i + 1, j, mx, my, out))
            return false;
    }
    if (j < y->n) {
        my[j] = (int)(i + j);
        if (!shuffle(b, x, y, i, j + 1, mx, my, out))
            return false;
    }
    return true;
}

static bool expand(cep_builder *b, const cep_pat *p, alts *out)
{
    alts A = { NULL, 0 }, B = { NULL, 0 };
    bool ok = true;
    unsigned i, j;
    alt z;

    switch (p->k) {
    case PK_EV:
    case PK_NOT:
        memset(&z, 0, sizeof z);
        z.n = 1;
        z.s[0].neg = p->k == PK_NOT;
        z.s[0].event = p->event;
        z.s[0].guard = p->guard;
        z.s[0].neg_ms = p->ms;
        z.s[0].neg_ref = -1;
        return alts_add(b, out, &z);
    case PK_OR:
        return expand(b, p->a, out) && expand(b, p->c, out);
    case PK_SEQ:
    case PK_AFTER:
    case PK_AND:
        ok = expand(b, p->a, &A) && expand(b, p->c, &B);
        for (i = 0; ok && i < A.n; i++)
            for (j = 0; ok && j < B.n; j++) {
                if (p->k == PK_AND) {
                    int mx[MAXSTEP], my[MAXSTEP];
                    if (A.v[i].n + B.v[j].n > MAXSTEP) {
                        cep_b_fail(b, "pattern longer than %d steps", MAXSTEP);
                        ok = false;
                        break;
                    }
                    ok = shuffle(b, &A.v[i], &B.v[j], 0, 0, mx, my, out);
                    continue;
                }
                ok = concat(b, &A.v[i], &B.v[j], &z);
                if (ok && p->k == PK_AFTER) {
                    if (z.s[A.v[i].n].neg) {
                        cep_b_fail(b, "a gap constraint cannot lead to a negation");
                        ok = false;
                    } else {
                        ok = add_check(b, &z.s[A.v[i].n], (int)A.v[i].n - 1, p->ms);
                    }
                }
                if (ok)
                    ok = alts_add(b, out, &z);
            }
        break;
    case PK_REP:
        if (p->n == 0 || p->m < p->n || p->m > MAXSTEP) {
            cep_b_fail(b, "repetition {%u,%u}: need 1 <= n <= m <= %d", p->n, p->m, MAXSTEP);
            return false;
        }
        ok = expand(b, p->a, &A);
        if (ok) {
            /* B = A^k for k = 1..m; emit k in n..m */
            alts cur = { NULL, 0 };
            unsigned k;
            for (i = 0; ok && i < A.n; i++)
                ok = alts_add(b, &cur, &A.v[i]);
            for (k = 1; ok && k <= p->m; k++) {
                alts next = { NULL, 0 };
                if (k >= p->n)
                    for (i = 0; ok && i < cur.n; i++)
                        ok = alts_add(b, out, &cur.v[i]);
                if (k == p->m)
                    break;
                for (i = 0; ok && i < cur.n; i++)
                    for (j = 0; ok && j < A.n; j++)
                        ok = concat(b, &cur.v[i], &A.v[j], &z) && alts_add(b, &next, &z);
                free(cur.v);
                cur = next;
            }
            free(cur.v);
        }
        break;
    case PK_WITHIN:
        ok = expand(b, p->a, &A);
        for (i = 0; ok && i < A.n; i++) {
            for (j = 1; ok && j < A.v[i].n; j++)
                if (!A.v[i].s[j].neg)
                    ok = add_check(b, &A.v[i].s[j], 0, p->ms);
            if (ok)
                ok = alts_add(b, out, &A.v[i]);
        }
        break;
    }
    free(A.v);
    free(B.v);
    return ok;
}

/* ------------------------------------------------------------ prefix tree */

typedef struct tedge {
    unsigned from, to;
    uint16_t event, guard;
    uint8_t  kill, set_reg, chk_reg, chk2_reg;
    uint32_t chk_ms, chk2_ms;
} tedge;

typedef struct tnode {
    unsigned kind;          /* CEP_PS_* */
    uint8_t  dl_reg;
    uint32_t dl_ms;
    int      timeout;       /* NEG: node index, -1 none yet */
} tnode;

typedef struct tree {
    tnode   *n;
    unsigned nn;
    tedge   *e;
    unsigned ne;
} tree;

static int tnode_add(cep_builder *b, tree *t)
{
    tnode *v = realloc(t->n, sizeof(tnode) * (t->nn + 1));
    if (!v) {
        cep_b_fail(b, "out of memory");
        return -1;
    }
    t->n = v;
    memset(&t->n[t->nn], 0, sizeof(tnode));
    t->n[t->nn].kind = CEP_PS_WAIT;
    t->n[t->nn].dl_reg = CEP_NOREG;
    t->n[t->nn].timeout = -1;
    return (int)t->nn++;
}

static bool tedge_add(cep_builder *b, tree *t, const tedge *e)
{
    tedge *v = realloc(t->e, sizeof(tedge) * (t->ne + 1));
    if (!v) {
        cep_b_fail(b, "out of memory");
        return false;
    }
    t->e = v;
    t->e[t->ne++] = *e;
    return true;
}

static bool insert(cep_builder *b, tree *t, const alt *x)
{
    int reg[MAXSTEP];
    unsigned i, k, nreg = 0, cur = 0;

    for (i = 0; i < x->n; i++)
        reg[i] = -1;
    for (i = 0; i < x->n; i++) {
        const step *s = &x->s[i];
        int refs[3];
        unsigned nr = 0;
        for (k = 0; k < s->nchk; k++)
            refs[nr++] = s->c[k].ref;
        if (s->neg) {
            if (s->neg_ref < 0) {
                cep_b_fail(b, "a negation must follow an event");
                return false;
            }
            refs[nr++] = s->neg_ref;
        }
        for (k = 0; k < nr; k++)
            if (reg[refs[k]] < 0) {
                if (nreg == CEP_MAX_REGS) {
                    cep_b_fail(b, "more than %u time anchors in one pattern", CEP_MAX_REGS);
                    return false;
                }
                reg[refs[k]] = (int)nreg++;
            }
    }
    for (i = 0; i < x->n; i++) {
        const step *s = &x->s[i];
        tedge e;
        int nx;
        if (t->n[cur].kind == CEP_PS_ACCEPT)
            return true;             /* a shorter alternative already completes here */
        if (s->neg) {
            tnode *nd = &t->n[cur];
            uint8_t r = (uint8_t)reg[s->neg_ref];
            if (nd->kind == CEP_PS_NEG && (nd->dl_reg != r || nd->dl_ms != s->neg_ms)) {
                cep_b_fail(b, "alternatives disagree on a negation window");
                return false;
            }
            nd->kind = CEP_PS_NEG;
            nd->dl_reg = r;
            nd->dl_ms = s->neg_ms;
            for (k = 0; k < t->ne; k++)
                if (t->e[k].from == cur && t->e[k].kill && t->e[k].event == s->event && t->e[k].guard == s->guard)
                    break;
            if (k == t->ne) {
                memset(&e, 0, sizeof e);
                e.from = e.to = cur;
                e.event = s->event;
                e.guard = s->guard;
                e.kill = 1;
                e.set_reg = e.chk_reg = e.chk2_reg = CEP_NOREG;
                if (!tedge_add(b, t, &e))
                    return false;
            }
            if (t->n[cur].timeout < 0) {
                nx = tnode_add(b, t);
                if (nx < 0)
                    return false;
                t->n[cur].timeout = nx;
            }
            cur = (unsigned)t->n[cur].timeout;
            continue;
        }
        memset(&e, 0, sizeof e);
        e.from = cur;
        e.event = s->event;
        e.guard = s->guard;
        e.set_reg = reg[i] >= 0 ? (uint8_t)reg[i] : CEP_NOREG;
        e.chk_reg = s->nchk > 0 ? (uint8_t)reg[s->c[0].ref] : CEP_NOREG;
        e.chk_ms = s->nchk > 0 ? s->c[0].ms : 0;
        e.chk2_reg = s->nchk > 1 ? (uint8_t)reg[s->c[1].ref] : CEP_NOREG;
        e.chk2_ms = s->nchk > 1 ? s->c[1].ms : 0;
        for (k = 0; k < t->ne; k++) {
            const tedge *o = &t->e[k];
            if (o->from == cur && !o->kill && o->event == e.event && o->guard == e.guard &&
                o->set_reg == e.set_reg && o->chk_reg == e.chk_reg && o->chk_ms == e.chk_ms &&
                o->chk2_reg == e.chk2_reg && o->chk2_ms == e.chk2_ms)
                break;
        }
        if (k < t->ne) {
            cur = t->e[k].to;
            continue;
        }
        nx = tnode_add(b, t);
        if (nx < 0)
            return false;
        e.to = (unsigned)nx;
        if (!tedge_add(b, t, &e))
            return false;
        cur = (unsigned)nx;
    }
    if (cur == 0) {
        cep_b_fail(b, "empty pattern");
        return false;
    }
    t->n[cur].kind = CEP_PS_ACCEPT;
    return true;
}

bool cep_b_pattern(cep_builder *b, uint16_t rule, cep_pat *p)
{
    alts A = { NULL, 0 };
    tree t = { NULL, 0, NULL, 0 };
    bool ok;
    unsigned i, k, base = 0;

    if (!p) {
        cep_b_fail(b, "pattern construction failed");
        return false;
    }
    ok = expand(b, p, &A);
    pat_free(p);
    ok = ok && tnode_add(b, &t) == 0;
    for (i = 0; ok && i < A.n; i++)
        ok = insert(b, &t, &A.v[i]);
    /* deadlines of WAIT states: all transitions check the same anchor */
    for (i = 0; ok && i < t.nn; i++) {
        int r = -1;
        uint32_t ms = 0;
        bool all = i != 0;
        if (t.n[i].kind != CEP_PS_WAIT)
            continue;
        for (k = 0; k < t.ne && all; k++) {
            const tedge *e = &t.e[k];
            if (e->from != i || e->kill)
                continue;
            if (e->chk_reg == CEP_NOREG || (r >= 0 && e->chk_reg != r))
                all = false;
            else {
                r = e->chk_reg;
                if (e->chk_ms > ms)
                    ms = e->chk_ms;
            }
        }
        if (all && r >= 0) {
            t.n[i].dl_reg = (uint8_t)r;
            t.n[i].dl_ms = ms;
        }
    }
    /* emit: node i becomes state base + i */
    for (i = 0; ok && i < t.nn; i++) {
        uint16_t s = cep_b_state(b, t.n[i].kind == CEP_PS_NEG ? CEP_PS_WAIT : t.n[i].kind);
        if (s == CEP_NONE) {
            ok = false;
            break;
        }
        if (i == 0)
            base = s;
    }
    for (i = 0; ok && i < t.nn; i++) {
        if (t.n[i].kind == CEP_PS_NEG)
            cep_b_state_neg(b, (uint16_t)(base + i), t.n[i].dl_reg, t.n[i].dl_ms,
                            (uint16_t)(base + (unsigned)t.n[i].timeout));
        else if (t.n[i].dl_reg != CEP_NOREG)
            cep_b_state_deadline(b, (uint16_t)(base + i), t.n[i].dl_reg, t.n[i].dl_ms);
    }
    for (k = 0; ok && k < t.ne; k++) {
        const tedge *e = &t.e[k];
        cep_b_trans(b, (uint16_t)(base + e->from), e->event, (uint16_t)(base + e->to), e->guard, e->set_reg,
                    e->chk_reg, e->chk_ms, e->kill ? CEP_PT_KILL : 0);
        if (e->chk2_reg != CEP_NOREG)
            cep_b_trans_check2(b, e->chk2_reg, e->chk2_ms);
    }
    if (ok)
        cep_b_rule_start(b, rule, (uint16_t)base);
    free(A.v);
    free(t.n);
    free(t.e);
    return ok && cep_b_error(b)[0] == '\0';
}
