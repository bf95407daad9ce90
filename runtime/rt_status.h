/*
** rt_status.h — the one status enum of tinycep's device code.
**
** Every device function that can fail returns an rt_status: RT_OK (0) for
** success, a distinct negative code otherwise.  The codes come from one
** X-macro list so that the enum and the message table never drift apart.
** Add a code by adding one line (keep the numbers unique and negative).
**
** Messages can be compiled out for firmware with RT_NO_ERRSTR (see
** rt_config.h); rt_status_str() then returns "".
*/
#ifndef RUNTIME_RT_STATUS_H
#define RUNTIME_RT_STATUS_H

#define RT_STATUS_LIST(X)                                                      \
    X(RT_OK,               0,  "ok")                                           \
    X(RT_ERR_ARG,         -1,  "invalid argument")                             \
    X(RT_ERR_NOMEM,       -2,  "caller storage too small")                     \
    X(RT_ERR_RANGE,       -3,  "index or offset out of range")                 \
    X(RT_ERR_UNSUPPORTED, -4,  "unsupported operation or parameter")           \
    X(RT_ERR_FORMAT,      -5,  "malformed program or image")                   \
    X(RT_ERR_VERSION,     -6,  "program or image format version mismatch")     \
    X(RT_ERR_CRC,         -7,  "checksum mismatch")                            \
    X(RT_ERR_STATE,       -8,  "call not valid in the current state")          \
    X(RT_ERR_TIME,        -9,  "timestamp out of order")                       \
    X(RT_ERR_VALUE,       -10, "sample value not finite")

typedef enum rt_status {
#define RT_STATUS_ENUM(name, value, msg) name = value,
    RT_STATUS_LIST(RT_STATUS_ENUM)
#undef RT_STATUS_ENUM
    RT_STATUS_MIN_ = -10   /* the most negative code above */
} rt_status;

/* The message for a status; "" when RT_NO_ERRSTR is defined. */
const char *rt_status_str(rt_status s);

#endif /* RUNTIME_RT_STATUS_H */
