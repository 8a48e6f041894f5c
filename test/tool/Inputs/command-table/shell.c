// Runs every command its arguments name, one after another, from a table:
// what one leaves running runs while the next does.
#include <string.h>

#include "commands.h"

struct command {
  const char *name;
  int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
    {"serve", cmd_serve},
    {"gc", cmd_gc},
};

int main(int argc, char **argv) {
  int status = 0;
  for (int arg = 1; arg < argc; ++arg)
    for (unsigned i = 0; i < sizeof(commands) / sizeof(commands[0]); ++i)
      if (!strcmp(argv[arg], commands[i].name))
        status |= commands[i].run(argc, argv);
  return status;
}
