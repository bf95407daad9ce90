/*
** main.c — tinycep's entry point: picks the subcommand and hands it argv.
** Everything else lives in the cli_cmd_* functions (commands.h).
*/
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

struct cli_command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static const struct cli_command commands[] = {
#define CLI_COMMAND(name, fn, summary) { #name, fn, summary },
#include "cli/commands.h"
#undef CLI_COMMAND
    { NULL, NULL, NULL }
};

static void print_usage(FILE *out)
{
    size_t i;
    fputs("usage: tinycep COMMAND [OPTIONS] [ARGS]\n\n"
          "tinycep compiles complex-event-processing rules with int8 models into\n"
          "firmware modules for microcontrollers, and replays them over sensor traces.\n\n"
          "commands:\n", out);
    for (i = 0; commands[i].name != NULL; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\n'tinycep COMMAND --help' describes a command.\n"
          "options:\n"
          "  -h, --help     this text\n"
          "  --version      the version\n\n"
          "exit status: 0 clean, 1 errors in the input, 2 usage or I/O error\n", out);
}

int main(int argc, char **argv)
{
    size_t i;

    if (argc < 2) {
        print_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "help") == 0) {
        print_usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        puts("tinycep " CLI_VERSION);
        return CLI_EXIT_OK;
    }
    for (i = 0; commands[i].name != NULL; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "tinycep: unknown command '%s' (see 'tinycep --help')\n", argv[1]);
    return CLI_EXIT_USAGE;
}
