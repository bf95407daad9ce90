/*
** fw_replay.h — the contract between the replay driver (fw_replay.c, which
** is fw_main for every per-example firmware) and a slice: the code that
** knows one example's generated module and holds a piece of its trace.
**
** A per-example image = the generated module (<module>.c) + a slice file
** (generated next to it, defining fw_replay_main_slice) + fw_replay.c + the
** harness.  The driver owns the loop, the measurements and the exit code;
** the slice owns everything specific to the module: its state (a static
** buffer of the size the module's header gives), the typed push calls, and
** the alert callback, which prints each alert with fw_put_alert_line() in
** the simulator's `--format lines` format.  The same files build for the
** host (fw_host.c), so host simulator, host-compiled module and firmware
** can be compared line by line (docs/firmware.md, "Per-example firmware").
*/
#ifndef RUNTIME_FIRMWARE_FW_REPLAY_H
#define RUNTIME_FIRMWARE_FW_REPLAY_H

#include <stdint.h>

/* Flags a push may return (>= 0). */
#define FW_REPLAY_INFERRED 0x1  /* this record completed a model inference */

typedef struct fw_replay_slice {
    const char *name;           /* the example, for the metadata lines */
    uint32_t records;           /* pushes in the slice, in trace order */
    /*
    ** Initialises the module in the slice's static state: an rt_status
    ** (RT_OK or a negative code).  Not measured.
    */
    int (*start)(void);
    /*
    ** Pushes record i (0 <= i < records) into the module — the input, the
    ** timestamp and the value, exactly as the simulator pushes them — and
    ** returns FW_REPLAY_* flags (>= 0), or a negative rt_status that the
    ** module returned: the driver prints it as the result line
    ** "record <i>: error <code> <message>" and carries on (the host build
    ** prints the same line, so error handling is compared too).  Measured,
    ** one meter reading per call.
    */
    int (*push)(uint32_t i);
    /*
    ** End of the slice: whatever the simulator does at the end of a trace
    ** (e.g. advance time to the last timestamp so pending timeouts fire).
    ** An rt_status.  May be NULL.
    */
    int (*finish)(void);
} fw_replay_slice;

/* Defined by the slice file of the image. */
extern const fw_replay_slice fw_replay_main_slice;

#endif /* RUNTIME_FIRMWARE_FW_REPLAY_H */
