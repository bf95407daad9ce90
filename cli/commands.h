/*
** The subcommands of the tinycep CLI, one X-macro line each:
**   CLI_COMMAND(name, function, one-line summary)
** main.c builds its dispatch table and `tinycep --help` from this list; each
** command lives in cli/cmd_<name>.c and prints its own --help.
*/
CLI_COMMAND(check, cli_cmd_check, "parse and check a rule file (.cep), print what it declares")
CLI_COMMAND(model, cli_cmd_model, "inspect or run an int8 .tflite model")
CLI_COMMAND(build, cli_cmd_build, "generate the C module (<module>.h/.c) for firmware")
CLI_COMMAND(sim, cli_cmd_sim, "replay sensor traces through the rules: alerts, plot, scores")
