// Calls its commands through a pointer to a function without a prototype,
// which may point to a function of any type.
#include <string.h>

#include "commands.h"

struct command {
  const char *name;
  int (*run)();
};

static const struct command commands[] = {
    {"search", cmd_search},
    {"gc", cmd_gc},
};

int main(int argc, char **argv) {
  for (unsigned i = 0; i < sizeof(commands) / sizeof(commands[0]); ++i)
    if (argc > 1 && !strcmp(argv[1], commands[i].name))
      return commands[i].run(argc, argv);
  return 1;
}
