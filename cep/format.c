/*
** format.c — deterministic number formatting and alert message rendering.
**
** No printf.  A finite float is m * 2^e exactly (m < 2^24, -149 <= e <= 104),
** so its decimal expansion is finite: m * 2^e itself when e >= 0 (at most
** 39 digits), m * 5^-e * 10^e when e < 0 (m * 5^149 < 2^371: at most 112
** digits).  That integer is computed exactly in 384 bits and written out in
** decimal, and every conversion (f, d, e, g) rounds this exact digit string
** half away from zero: the correctly rounded result, the same bytes on
** every platform.  x rounds the binary value itself.  "-" is printed only
** when the rounded value is not zero ("-0.0" never appears).  Work is
** bounded: at most 149 multiplications by 5 and 13 divisions by 10^9 of a
** 12-limb integer per number.
*/
#include "cep/internal.h"

#define LIMBS 12u        /* 384 bits */
#define MAX_DIGITS 120u  /* a float's exact expansion has at most 112 */

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

/* x = x * k + 0 (k < 2^32); the product fits (see the header). */
static void big_mul(uint32_t *x, uint32_t k)
{
    uint64_t carry = 0;
    uint32_t i;
    for (i = 0; i < LIMBS; i++) {
        uint64_t cur = (uint64_t)x[i] * k + carry;
        x[i] = (uint32_t)cur;
        carry = cur >> 32;
    }
}

/* x /= d (d < 2^32), returns the remainder */
static uint32_t big_div(uint32_t *x, uint32_t d)
{
    uint64_t rem = 0;
    int i;
    for (i = (int)LIMBS - 1; i >= 0; i--) {
        uint64_t cur = (rem << 32) | x[i];
        x[i] = (uint32_t)(cur / d);
        rem = cur % d;
    }
    return (uint32_t)rem;
}

/* x = m << sh */
static void big_shl(uint32_t *x, uint32_t m, uint32_t sh)
{
    uint32_t w = sh / 32u, b = sh % 32u, i;
    for (i = 0; i < LIMBS; i++)
        x[i] = 0;
    if (w < LIMBS)
        x[w] = m << b;
    if (b != 0 && w + 1 < LIMBS)
        x[w + 1] = m >> (32u - b);
}

/* A finite |v| as decimal digits: value = 0.d[0]d[1]...d[n-1] x 10^point,
** no leading or trailing zeros (n = 0 for zero). */
typedef struct dec {
    int32_t point;
    uint32_t n;
    char d[MAX_DIGITS];
} dec;

static void dec_of(float v, dec *x, bool *neg)
{
    union { float f; uint32_t u; } bits;
    uint32_t big[LIMBS], m, ex, i, k = 0;
    int32_t e;
    char rev[MAX_DIGITS + 9];

    bits.f = v;
    *neg = (bits.u >> 31) != 0;
    ex = (bits.u >> 23) & 0xffu;
    m = bits.u & 0x7fffffu;
    if (ex == 0) {
        e = -149;
    } else {
        m |= 0x800000u;
        e = (int32_t)ex - 150;
    }
    x->n = 0;
    x->point = 0;
    if (m == 0)
        return;
    if (e >= 0) {
        big_shl(big, m, (uint32_t)e);
    } else {
        uint32_t s = (uint32_t)-e;
        big_shl(big, m, 0);
        for (i = 0; i + 13u <= s; i += 13u)
            big_mul(big, 1220703125u);                  /* 5^13 */
        for (; i < s; i++)
            big_mul(big, 5u);
    }
    /* digits, least significant first, nine at a time */
    while (!big_zero(big)) {
        uint32_t chunk = big_div(big, 1000000000u), j;
        for (j = 0; j < 9u && k < sizeof rev; j++, chunk /= 10u)
            rev[k++] = (char)('0' + chunk % 10u);
    }
    while (k > 0 && rev[k - 1] == '0')
        k--;                                            /* leading zeros */
    x->point = (int32_t)k + (e < 0 ? e : 0);
    for (i = 0; i < k && i < MAX_DIGITS; i++)
        x->d[i] = rev[k - 1 - i];
    x->n = i;
    while (x->n > 0 && x->d[x->n - 1] == '0')
        x->n--;                                         /* trailing zeros */
}

/* Keeps the first `keep` digits (any integer), rounding half away from
** zero; a carry out of the first digit makes it "1" and moves the point. */
static void dec_round(dec *x, int32_t keep)
{
    int32_t i;
    bool up;
    if (keep >= (int32_t)x->n)
        return;
    if (keep < 0) {
        x->n = 0;          /* below half a unit of the kept place */
        return;
    }
    up = x->d[keep] >= '5';
    x->n = (uint32_t)keep;
    if (up) {
        for (i = keep - 1; i >= 0 && x->d[i] == '9'; i--)
            ;
        if (i < 0) {
            x->d[0] = '1';
            x->n = 1;
            x->point++;
            return;
        }
        x->d[i]++;
        x->n = (uint32_t)i + 1u;
    }
    while (x->n > 0 && x->d[x->n - 1] == '0')
        x->n--;
}

/* The digit at place `i` of x (0 = the first after the point's left end). */
static char dec_digit(const dec *x, int32_t i)
{
    return i >= 0 && i < (int32_t)x->n ? x->d[i] : '0';
}

/* A growing output, bounded by its buffer. */
typedef struct out {
    char *b;
    size_t n, cap;
} out;

static void out_c(out *o, char c)
{
    if (o->n < o->cap)
        o->b[o->n++] = c;
}

/* f style with prec decimals of an already rounded x. */
static void put_fixed(out *o, const dec *x, uint32_t prec, bool alt)
{
    int32_t i;
    if (x->point <= 0)
        out_c(o, '0');
    for (i = 0; i < x->point; i++)
        out_c(o, dec_digit(x, i));
    if (prec > 0 || alt)
        out_c(o, '.');
    for (i = 0; i < (int32_t)prec; i++)
        out_c(o, dec_digit(x, x->point + i));
}

/* e style with prec decimals of an x rounded to prec + 1 digits. */
static void put_exp(out *o, const dec *x, uint32_t prec, bool alt)
{
    int32_t xp = x->n ? x->point - 1 : 0, i;
    uint32_t a;
    char t[4];
    out_c(o, dec_digit(x, 0));
    if (prec > 0 || alt)
        out_c(o, '.');
    for (i = 1; i <= (int32_t)prec; i++)
        out_c(o, dec_digit(x, i));
    out_c(o, 'e');
    out_c(o, xp < 0 ? '-' : '+');
    a = (uint32_t)(xp < 0 ? -xp : xp);
    i = 0;
    do {
        t[i++] = (char)('0' + a % 10u);
        a /= 10u;
    } while (a > 0);
    if (i < 2)
        t[i++] = '0';
    while (i > 0)
        out_c(o, t[--i]);
}

/* g style drops trailing zeros of the fraction, and the point. */
static void strip_zeros(out *o, size_t from)
{
    size_t i, dot = o->n, end = o->n, k;
    for (i = from; i < o->n; i++)
        if (o->b[i] == '.')
            dot = i;
        else if (o->b[i] == 'e')
            end = i;
    if (dot == o->n)
        return;
    k = end;
    while (k > dot + 1 && o->b[k - 1] == '0')
        k--;
    if (k == dot + 1)
        k = dot;
    for (i = end; i < o->n; i++)
        o->b[k + i - end] = o->b[i];
    o->n -= end - k;
}

/* The digits of |v| rounded to an integer, in hexadecimal (x). */
static bool put_hex(out *o, float v, uint32_t min_digits)
{
    union { float f; uint32_t u; } bits;
    uint32_t big[LIMBS], m, ex, i, k = 0;
    int32_t e;
    bool nonzero;
    char rev[LIMBS * 8u];
    bits.f = v;
    ex = (bits.u >> 23) & 0xffu;
    m = (bits.u & 0x7fffffu) | (ex ? 0x800000u : 0u);
    e = ex ? (int32_t)ex - 150 : -149;
    if (e >= 0) {
        big_shl(big, m, (uint32_t)e);
    } else {
        uint32_t s = (uint32_t)-e;
        /* half away from zero: add half a unit, truncate */
        big_shl(big, s < 32u ? (m + (1u << (s - 1u))) >> s : (s == 32u ? m >> 31 : 0u), 0);
    }
    while (!big_zero(big))
        rev[k++] = "0123456789abcdef"[big_div(big, 16u)];
    for (i = k; i < (min_digits ? min_digits : 1u); i++)
        out_c(o, '0');
    nonzero = k > 0;
    while (k > 0)
        out_c(o, rev[--k]);
    return nonzero;
}

size_t cep_format_number(char *buf, size_t cap, float v, unsigned prec, unsigned width,
                         unsigned fmt)
{
    char body[MAX_DIGITS + 64], sign = '\0';
    out o = { body, 0, sizeof body };
    unsigned conv = fmt & CEP_FMT_CONV;
    bool neg = false, nonzero = false, finite = cep_isfinite(v), alt = (fmt & CEP_FMT_ALT) != 0, zero;
    const char *prefix = "";
    size_t at = 0, len, pad, i;

    if (cap == 0)
        return 0;
    buf[0] = '\0';
    if (width > CEP_FMT_MAX_WIDTH)
        width = CEP_FMT_MAX_WIDTH;
    /* printf: a precision on d or x turns the '0' flag off */
    zero = (fmt & CEP_FMT_ZERO) && finite &&
           !((conv == CEP_FMT_D || conv == CEP_FMT_X) && prec != CEP_PREC_AUTO);
    if (prec == CEP_PREC_AUTO) {
        float a = v < 0.0f ? -v : v;
        prec = conv == CEP_FMT_F ? (finite && a < 1.0e9f && (float)(int32_t)v == v ? 0u : 3u)
               : conv == CEP_FMT_D || conv == CEP_FMT_X ? 1u : 6u;
    }
    if (prec > 9)
        prec = 9;
    if (cep_isnan(v)) {
        body[0] = 'n', body[1] = 'a', body[2] = 'n', o.n = 3;
    } else if (!finite) {
        body[0] = 'i', body[1] = 'n', body[2] = 'f', o.n = 3;
        neg = nonzero = v < 0.0f;
    } else if (conv == CEP_FMT_X) {
        neg = v < 0.0f;
        nonzero = put_hex(&o, neg ? -v : v, prec);
        if (alt && nonzero)
            prefix = "0x";
    } else {
        dec x;
        dec_of(v, &x, &neg);
        if (conv == CEP_FMT_F || conv == CEP_FMT_D) {
            dec_round(&x, x.point + (conv == CEP_FMT_F ? (int32_t)prec : 0));
            nonzero = x.n > 0;
            if (conv == CEP_FMT_D) {
                /* the integer's digits, at least prec of them (and one) */
                int32_t nd = x.point > 0 ? x.point : 0, k;
                for (k = nd; k < (int32_t)(prec ? prec : 1u); k++)
                    out_c(&o, '0');
                for (k = 0; k < nd; k++)
                    out_c(&o, dec_digit(&x, k));
            } else {
                put_fixed(&o, &x, prec, alt);
            }
        } else if (conv == CEP_FMT_E) {
            dec_round(&x, (int32_t)prec + 1);
            nonzero = x.n > 0;
            put_exp(&o, &x, prec, alt);
        } else {
            /* g: P significant digits; f style if the exponent X of the
            ** rounded value has P > X >= -4, else e style */
            uint32_t p = prec ? prec : 1u;
            dec r = x;
            int32_t xp;
            dec_round(&r, (int32_t)p);
            xp = r.n ? r.point - 1 : 0;
            nonzero = r.n > 0;
            if ((int32_t)p > xp && xp >= -4) {
                dec_round(&x, x.point + (int32_t)p - 1 - xp);
                put_fixed(&o, &x, (uint32_t)((int32_t)p - 1 - xp), alt);
            } else {
                put_exp(&o, &r, p - 1u, alt);
            }
            if (!alt)
                strip_zeros(&o, 0);
        }
    }
    if (neg && nonzero)
        sign = '-';
    else if (fmt & CEP_FMT_PLUS)
        sign = '+';
    else if (fmt & CEP_FMT_SPACE)
        sign = ' ';
    len = (sign ? 1u : 0u) + (prefix[0] ? 2u : 0u) + o.n;
    pad = width > len ? width - len : 0;
    if (!(fmt & CEP_FMT_MINUS) && !zero)
        for (i = 0; i < pad; i++)
            at = put(buf, cap, at, " ", 1);
    if (sign)
        at = put(buf, cap, at, &sign, 1);
    at = put(buf, cap, at, prefix, prefix[0] ? 2u : 0u);
    if (!(fmt & CEP_FMT_MINUS) && zero)
        for (i = 0; i < pad; i++)
            at = put(buf, cap, at, "0", 1);
    at = put(buf, cap, at, body, o.n);
    if (fmt & CEP_FMT_MINUS)
        for (i = 0; i < pad; i++)
            at = put(buf, cap, at, " ", 1);
    return at;
}

size_t cep_format_float(char *buf, size_t cap, float v, unsigned prec)
{
    return cep_format_number(buf, cap, v, prec, 0, CEP_FMT_F);
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
            char num[CEP_FMT_MAX_WIDTH + 64];
            size_t n = cep_format_number(num, sizeof num, cep_expr_eval(p, mp->a, &env), mp->prec,
                                         mp->len, mp->n);
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
