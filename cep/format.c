/*
** format.c — deterministic number formatting and alert message rendering.
**
** No printf: a float is m * 2^e exactly (m < 2^24), so round(|v| * 10^p)
** is computed exactly in a 160-bit integer (m * 10^p < 2^54, shifted by
** at most 104 bits) with round-half-away-from-zero, then printed in
** decimal.  The result is the correctly rounded decimal value, the same
** bytes on every platform.  "-" is printed only when the rounded value is
** not zero ("-0.0" never appears).
*/
#include "cep/internal.h"

#define LIMBS 5u

static const char *const severity_names[CEP_SEV_COUNT_] = {
#define CEP_X(name, str) str,
    CEP_SEVERITY_LIST(CEP_X)
#undef CEP_X
};

const char *cep_program_name(const cep_program *prog, uint16_t name, size_t *len)
{
    if (!prog || name >= prog->n_names) {
        if (len)
            *len = 0;
        return "";
    }
    if (len)
        *len = prog->names[name].len;
    return &prog->strings[prog->names[name].off];
}

const char *cep_severity_name(unsigned sev)
{
    return sev < CEP_SEV_COUNT_ ? severity_names[sev] : "?";
}

static size_t put(char *buf, size_t cap, size_t at, const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n && at + 1 < cap; i++)
        buf[at++] = s[i];
    if (cap > 0)
        buf[at < cap ? at : cap - 1] = '\0';
    return at;
}

static bool big_zero(const uint32_t *x)
{
    uint32_t i;
    for (i = 0; i < LIMBS; i++)
        if (x[i])
            return false;
    return true;
}

/* x /= 10, returns the remainder */
static uint32_t big_div10(uint32_t *x)
{
    uint64_t rem = 0;
    int i;
    for (i = (int)LIMBS - 1; i >= 0; i--) {
        uint64_t cur = (rem << 32) | x[i];
        x[i] = (uint32_t)(cur / 10u);
        rem = cur % 10u;
    }
    return (uint32_t)rem;
}

size_t cep_format_float(char *buf, size_t cap, float v, unsigned prec)
{
    union { float f; uint32_t u; } bits;
    uint32_t ex, m, big[LIMBS] = { 0 }, i;
    int32_t e;
    uint64_t x;
    char dig[64];
    size_t nd = 0, at = 0;
    bool neg;

    if (cap == 0)
        return 0;
    buf[0] = '\0';
    if (cep_isnan(v))
        return put(buf, cap, 0, "nan", 3);
    if (!cep_isfinite(v))
        return v < 0.0f ? put(buf, cap, 0, "-inf", 4) : put(buf, cap, 0, "inf", 3);
    if (prec == CEP_PREC_AUTO) {
        float a = v < 0.0f ? -v : v;
        prec = (a < 1.0e9f && (float)(int32_t)v == v) ? 0u : 3u;
    }
    if (prec > 9)
        prec = 9;
    bits.f = v;
    neg = (bits.u >> 31) != 0;
    ex = (bits.u >> 23) & 0xffu;
    m = bits.u & 0x7fffffu;
    if (ex == 0) {
        e = -149;
    } else {
        m |= 0x800000u;
        e = (int32_t)ex - 150;
    }
    x = m;
    for (i = 0; i < prec; i++)
        x *= 10u;
    if (e < 0) {
        uint32_t s = (uint32_t)-e;
        if (s >= 63) {
            x = 0;          /* x < 2^54 <= 2^(s-1): rounds to 0 */
        } else {
            uint64_t q = x >> s, rem = x & ((1ull << s) - 1u);
            if (rem >= (1ull << (s - 1)))
                q++;
            x = q;
        }
        big[0] = (uint32_t)x;
        big[1] = (uint32_t)(x >> 32);
    } else {
        uint32_t w = (uint32_t)e / 32u, b = (uint32_t)e % 32u;
        uint32_t lo = (uint32_t)x, hi = (uint32_t)(x >> 32);
        uint64_t acc;
        acc = (uint64_t)lo << b;
        big[w] |= (uint32_t)acc;
        acc = ((uint64_t)hi << b) | (acc >> 32);
        if (w + 1 < LIMBS) big[w + 1] |= (uint32_t)acc;
        if (w + 2 < LIMBS) big[w + 2] |= (uint32_t)(acc >> 32);
    }
    if (big_zero(big))
        neg = false;
    while (!big_zero(big) || nd <= prec) {
        dig[nd++] = (char)('0' + big_div10(big));
        if (nd >= sizeof dig)
            break;
    }
    if (neg)
        at = put(buf, cap, at, "-", 1);
    while (nd > 0) {
        char c = dig[--nd];
        at = put(buf, cap, at, &c, 1);
        if (nd == prec && prec > 0)
            at = put(buf, cap, at, ".", 1);
    }
    return at;
}

size_t cep_message_render(cep_ctx *ctx, uint16_t r, const cep_run *run)
{
    const cep_program *p = ctx->prog;
    const cep_rule_desc *rd = &p->rules[r];
    cep_env env = { ctx->slots, 0.0f, run, rd->max_caps, NULL };
    size_t at = 0, cap = rd->msg_cap;
    uint32_t i;
    char *buf = ctx->msg;

    buf[0] = '\0';
    for (i = rd->msg_first; i < (uint32_t)rd->msg_first + rd->msg_count; i++) {
        const cep_msgpart *mp = &p->msgparts[i];
        if (mp->kind == CEP_MP_TEXT) {
            at = put(buf, cap, at, &p->strings[mp->a], mp->len);
        } else if (mp->kind == CEP_MP_NUM) {
            char num[64];
            size_t n = cep_format_float(num, sizeof num, cep_expr_eval(p, mp->a, &env), mp->prec);
            at = put(buf, cap, at, num, n);
        } else {
            float v = cep_expr_eval(p, mp->a, &env);
            if (v > -0.5f && v < (float)mp->n) {     /* false for NaN */
                uint32_t k = (uint32_t)(v + 0.5f);
                if (k < mp->n) {
                    const cep_name *nm = &p->names[mp->len + k];
                    at = put(buf, cap, at, &p->strings[nm->off], nm->len);
                    continue;
                }
            }
            at = put(buf, cap, at, "?", 1);
        }
    }
    return at;
}
