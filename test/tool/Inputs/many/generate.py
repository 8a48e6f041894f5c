"""Writes a program of many translation units and its compile_commands.json.

Usage: generate.py DIR UNITS MOCKS
main.c creates a thread and forks; the child calls log_N of every unit,
each of which calls printf after a chain of helpers.
"""
import json
import os
import sys

directory, units, mocks = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(directory, exist_ok=True)
commands = []


def write(name, text):
    with open(os.path.join(directory, name), "w") as out:
        out.write(text)
    commands.append({"directory": directory, "file": name,
                     "arguments": ["cc", "-c", "-nostdinc", "-isystem", mocks,
                                   name]})


for unit in range(units):
    helpers = "".join(
        "static int helper_%d(int x) { return x + %d; }\n" % (i, i)
        for i in range(300))
    calls = " + ".join("helper_%d(x)" % i for i in range(300))
    write("unit_%d.c" % unit,
          "#include <stdio.h>\n%s"
          "void log_%d(int x) { printf(\"%%d\\n\", %s); }\n"
          % (helpers, unit, calls))
declarations = "".join("void log_%d(int x);\n" % u for u in range(units))
children = "".join("    log_%d(1);\n" % u for u in range(units))
write("main.c",
      "#include <pthread.h>\n#include <unistd.h>\n%s"
      "static void *work(void *arg) { return arg; }\n"
      "int main(void) {\n  pthread_t thread;\n"
      "  pthread_create(&thread, 0, work, 0);\n"
      "  if (fork() == 0) {\n%s    _exit(0);\n  }\n  return 0;\n}\n"
      % (declarations, children))
with open(os.path.join(directory, "compile_commands.json"), "w") as out:
    json.dump(commands, out, indent=1)
