/*
** cli.h — the tinycep command-line interface.
**
** main.c only parses the subcommand name and calls into one of the
** cli_cmd_* functions listed in commands.h.  Exit statuses are shared by
** every command: 0 clean, 1 errors in the input (rule file, model, trace),
** 2 usage or I/O error.
*/
#ifndef CLI_CLI_H
#define CLI_CLI_H

enum {
    CLI_EXIT_OK = 0,        /* the input is clean and the work was done */
    CLI_EXIT_INPUT = 1,     /* the input has errors (diagnostics printed) */
    CLI_EXIT_USAGE = 2      /* bad arguments, unreadable or unwritable file */
};

#define CLI_COMMAND(name, fn, summary) int fn(int argc, char **argv);
#include "cli/commands.h"
#undef CLI_COMMAND

/* The program version, printed by `tinycep --version`. */
#define CLI_VERSION "0.1.0"

#endif /* CLI_CLI_H */
