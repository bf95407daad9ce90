#!/bin/sh
# check-symbols.sh — the device library's hygiene check: no object of the
# device code (cep/ ml/ runtime/*.c, cross-built) may reference the heap,
# stdio or process exit, and on targets with a single-precision FPU none may
# use double-precision arithmetic (it would run in soft-float helpers).
#
# usage: check-symbols.sh NM TARGET [--no-double] OBJECT...
#   NM           the cross nm (arm-none-eabi-nm)
#   TARGET       target name, for the messages (m4f, m0plus, m7)
#   --no-double  also reject the EABI double-precision helpers
#                (__aeabi_d*, and conversions to double *2d)
#
# Prints one line per offence, "TARGET: OBJECT: forbidden symbol SYMBOL
# (why)", and exits 1 if there is any; exits 0 silently otherwise.
set -u
if [ $# -lt 3 ]; then
    echo "usage: check-symbols.sh NM TARGET [--no-double] OBJECT..." >&2
    exit 2
fi
nm=$1 target=$2
shift 2
no_double=0
if [ "$1" = "--no-double" ]; then no_double=1; shift; fi

# Symbol names, as whole words (STYLE.md "Memory": the device code owns no
# memory and prints nothing).
heap="malloc calloc realloc free _malloc_r _calloc_r _realloc_r _free_r sbrk _sbrk"
stdio="printf sprintf snprintf vprintf vsprintf vsnprintf fprintf puts putchar fputs fwrite iprintf"
stop="abort exit _exit __assert_func"

bad=0
for obj in "$@"; do
    if ! syms=$("$nm" -P "$obj" 2>&1); then
        echo "$target: $obj: $nm failed: $syms"
        bad=1
        continue
    fi
    # -P: "name type value size"; undefined references and definitions both
    # count (a definition of malloc in device code is as wrong as a call).
    out=$(printf '%s\n' "$syms" | awk -v heap="$heap" -v stdio="$stdio" -v stop="$stop" \
          -v nodbl="$no_double" -v obj="$obj" -v target="$target" '
        BEGIN {
            n = split(heap, a, " ");  for (i = 1; i <= n; i++) why[a[i]] = "heap";
            n = split(stdio, a, " "); for (i = 1; i <= n; i++) why[a[i]] = "stdio";
            n = split(stop, a, " ");  for (i = 1; i <= n; i++) why[a[i]] = "process exit";
        }
        {
            s = $1
            if (s in why)
                printf "%s: %s: forbidden symbol %s (%s)\n", target, obj, s, why[s]
            else if (nodbl == 1 && (s ~ /^__aeabi_d/ || s ~ /^__aeabi_[a-z0-9]+2d$/))
                printf "%s: %s: forbidden symbol %s (double-precision soft-float)\n", target, obj, s
        }')
    if [ -n "$out" ]; then
        printf '%s\n' "$out"
        bad=1
    fi
done
exit $bad
