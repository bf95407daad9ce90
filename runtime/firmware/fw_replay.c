/*
** fw_replay.c — fw_main of every per-example firmware: replays the slice
** (fw_replay.h) through the generated module and measures it.
**
** Output: the alerts (printed by the slice's alert callback as they fire),
** a result line per failed push, then metadata:
**   # replay <name> records=<n> inferences=<n> errors=<n>
**   # insns per-sample total=… n=… per=… max=… min=… resolution=…
**   # insns per-inference-sample total=… …   (records that ran a model)
** The per-inference figure is the whole push of a record that completed an
** inference (window bookkeeping, features, the model, events, rules), so
** it bounds the inference from above; max is the worst-case work for one
** sample, the figure DESIGN §3 asks for.  Each meter reading includes the
** meter's own few dozen instructions (fw.h).
**
** Exit status: FW_EXIT_OK unless start or finish fails (push errors are
** results, compared like alerts).
*/
#include "runtime/firmware/fw.h"
#include "runtime/firmware/fw_replay.h"
#include "runtime/rt_status.h"

static void replay_status_line(const char *what, int32_t index, int status)
{
    fw_write(what);
    if (index >= 0) {
        fw_putc(' ');
        fw_put_i32(index);
    }
    fw_write(": error ");
    fw_put_i32(status);
    fw_putc(' ');
    fw_puts(rt_status_str((rt_status)status));
}

int fw_main(void)
{
    const fw_replay_slice *s = &fw_replay_main_slice;
    fw_meter per_sample, per_inference;
    uint32_t i, errors = 0;
    int rc;

    fw_meter_init(&per_sample);
    fw_meter_init(&per_inference);
    rc = s->start();
    if (rc < 0) {
        replay_status_line("start", -1, rc);
        return FW_EXIT_FAIL;
    }
    for (i = 0; i < s->records; i++) {
        uint64_t ticks;
        fw_meter_start(&per_sample);
        rc = s->push(i);
        ticks = fw_meter_stop(&per_sample);
        if (rc < 0) {
            replay_status_line("record", (int32_t)i, rc);
            errors++;
        } else if ((rc & FW_REPLAY_INFERRED) != 0) {
            fw_meter_add(&per_inference, ticks);
        }
    }
    if (s->finish != NULL) {
        rc = s->finish();
        if (rc < 0) {
            replay_status_line("finish", -1, rc);
            return FW_EXIT_FAIL;
        }
    }
    fw_write("# replay ");
    fw_write(s->name);
    fw_write(" records=");
    fw_put_u32(s->records);
    fw_write(" inferences=");
    fw_put_u32(per_inference.n);
    fw_write(" errors=");
    fw_put_u32(errors);
    fw_putc('\n');
    fw_meter_report(&per_sample, "per-sample");
    fw_meter_report(&per_inference, "per-inference-sample");
    return FW_EXIT_OK;
}
