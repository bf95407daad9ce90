# fw-size-split.awk — splits a per-example firmware image's flash and RAM by
# origin, from its GNU ld map file (mk/examples-firmware.mk, make fw-size-split;
# docs/firmware.md, "Size of a per-example firmware").
#
#   awk -v mod=<module> -v target=<t> -v image=<i> -f fw-size-split.awk <image>.map
#
# Every input section kept in the image (the "Linker script and memory map"
# part; discarded sections are listed before it) is counted once, by the file
# it comes from and its name (-ffunction-sections -fdata-sections give one
# section per function or object):
#   runtime   libtinycep.a: the engine, features, kernels
#   libc      newlib-nano, libm, libgcc (memcpy, sqrtf, soft-float helpers)
#   harness   runtime/firmware/ (start-up, vector table, output, clock,
#             replay driver)
#   code      the generated module's functions (<module>.o .text)
#   tables    the generated module's constant data except the models (the
#             program tables, the cep_program header, name tables, model glue)
#   model     the int8 models' weights and op tables (<module>_model_*)
#   slice     the embedded trace slice and its code (slice.o)
# RAM: state (<module>_state), arenas (<module>_arena_*), other (.data and
# .bss of everything else: harness buffers, the slice's context, libc).
# Flash counts .text, .rodata and the initial values of .data.

function add(file, sec, size,    cls, isram, isdata) {
    isram = (sec ~ /^\.(bss|data)/ || sec == "COMMON")
    isdata = (sec ~ /^\.data/)
    if (file ~ /libtinycep\.a/) cls = "runtime"
    else if (file ~ /lib(c_nano|c|m|gcc|nosys)\.a/ || file ~ /libgcc/) cls = "libc"
    else if (file ~ /runtime\/firmware\//) cls = "harness"
    else if (file ~ /\/slice\.o$/) cls = "slice"
    else if (file ~ ("/" mod "\\.o$")) {
        if (sec ~ ("^\\.bss\\." mod "_state$")) { state += size; return }
        if (sec ~ ("^\\.bss\\." mod "_arena_")) { arena += size; return }
        if (sec ~ /^\.text/) cls = "code"
        else if (sec ~ ("^\\.rodata\\." mod "_model_")) cls = "model"
        else cls = "tables"
    } else cls = "harness"
    if (isram) { other += size; if (isdata) flash[cls] += size; return }
    flash[cls] += size
}

BEGIN { inmap = 0; pending = "" }
/^Linker script and memory map/ { inmap = 1; next }
!inmap { next }
# a section name alone on its line: address, size and file on the next
/^ [.A-Za-z_][^ ]*$/ { pending = $1; next }
/^ [.A-Za-z_][^ ]* +0x[0-9a-f]+ +0x[0-9a-f]+ / {
    if ($1 !~ /^\.(debug|comment|ARM\.attributes)/ && $1 != "*fill*")
        add($4, $1, hexval($3))
    pending = ""; next
}
pending != "" && /^ +0x[0-9a-f]+ +0x[0-9a-f]+ / {
    if (pending !~ /^\.(debug|comment|ARM\.attributes)/)
        add($3, pending, hexval($2))
    pending = ""; next
}
{ pending = "" }

function hexval(h,   i, v) {
    v = 0; h = tolower(substr(h, 3))
    for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
    return v
}

END {
    printf "%-7s %-13s %8d %6d %7d %6d %7d %6d %7d | %6d %6d %6d\n", target, image,
        flash["runtime"], flash["libc"], flash["harness"], flash["code"], flash["tables"],
        flash["model"], flash["slice"], state, arena, other
}
