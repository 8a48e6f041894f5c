// Runs the one command its arguments name, from a table.
#include <string.h>

#include "commands.h"

struct command {
  const char *name;
  int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
    {"search", cmd_search},
    {"gc", cmd_gc},
    {"maintenance", cmd_maintenance},
};

int main(int argc, char **argv) {
  for (unsigned i = 0; i < sizeof(commands) / sizeof(commands[0]); ++i)
    if (argc > 1 && !strcmp(argv[1], commands[i].name))
      return commands[i].run(argc, argv);
  return 1;
}
