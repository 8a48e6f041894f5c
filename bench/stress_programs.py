#!/usr/bin/env python3
"""Generated programs whose shape once made the analysis blow up, and a
benchmark of the analysis on them against clang's own parse.

  stress_programs.py generate SHAPE N [--unsafe K] -o FILE
      cycle      N mutually recursive functions called in a child (with
                 --unsafe K, function K calls printf);
      chain      a safe chain of N calls in a child;
      switch     a child that runs a switch of N cases;
      switch-branches
                 the same, each case choosing between two of the
                 program's functions;
      state-machine
                 a child that loops over a switch of N states, one of
                 which calls printf;
      forks      N sequential forks whose children fall through;
      flag-forks N sequential forks whose children set a flag that the
                 next statement tests before calling _exit;
      library-forks
                 the same forks in a function other than main, which
                 starts a thread and calls into another file first (the
                 threads at its entry are unknown);
      chain-files
                 a chain of N calls spread over files of 10,000 functions
                 each (FILE is a directory; FILE/main.c forks).

  stress_programs.py measure [--clang-tidy BIN] [--plugin SO]
                     [--forksafety BIN] [--clang BIN] [--runs N]
                     [--instructions]
      Times clang -fsyntax-only, clang-tidy with both checks and forksafety
      on each single-file shape, side by side, and prints the medians and
      the ratios to the parse. With --instructions it counts instructions
      instead, once each under valgrind's callgrind: the same count on
      every run, however busy the machine.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HEADER = """#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }
"""


def main_with_child(body):
    return ("int main(int argc, char **argv) {\n"
            "  pthread_t thread;\n"
            "  pthread_create(&thread, 0, work, 0);\n"
            "  if (fork() == 0) {\n" + body + "    _exit(0);\n  }\n"
            "  return argc > 1 ? 0 : 1;\n}\n")


def cycle(n, unsafe):
    out = [HEADER]
    out += ["void f%d(int x);\n" % i for i in range(n)]
    for i in range(n):
        leaf = 'printf("x")' if i == unsafe else 'write(1, "x", 1)'
        out.append("void f%d(int x) { if (x > %d) f%d(x - 1); else %s; }\n"
                   % (i, i, (i + 1) % n, leaf))
    out.append(main_with_child("    f0(argc);\n"))
    return "".join(out)


def chain(n):
    out = [HEADER]
    for i in reversed(range(n)):
        call = "f%d(x);" % (i + 1) if i + 1 < n else 'write(1, "x", 1);'
        out.append("static void f%d(int x) { %s }\n" % (i, call))
    out.append(main_with_child("    f0(argc);\n"))
    return "".join(out)


def switch(n):
    cases = "".join('    case %d: write(1, "%d", 1); break;\n' % (i, i % 10)
                    for i in range(n))
    return HEADER + main_with_child("    switch (argc) {\n" + cases +
                                    "    }\n")


def switch_branches(n):
    helpers = ("static void left(int x) { write(1, \"l\", 1); }\n"
               "static void right(int x) { write(1, \"r\", 1); }\n\n")
    # A test of a local, not of a parameter, whose edges would carry it.
    cases = "".join("    case %d: if (pid > %d) left(%d); else right(%d); "
                    "break;\n" % (i, i % 7, i, i) for i in range(n))
    return HEADER + helpers + main_with_child(
        "    int pid = getpid();\n    switch (argc) {\n" + cases + "    }\n")


def state_machine(n):
    cases = "".join('      case %d: state = %d; write(1, "s", 1); break;\n'
                    % (i, (i * 7 + 1) % n) for i in range(n))
    cases += '      case %d: printf("last\\n"); state = 0; break;\n' % n
    cases += "      default: _exit(0);\n"
    return HEADER + main_with_child("    int state = argc;\n    for (;;) {\n"
                                    "      switch (state) {\n" + cases +
                                    "      }\n    }\n")


def forks(n):
    out = [HEADER, "int main(int argc, char **argv) {\n",
           "  pthread_t thread;\n  pthread_create(&thread, 0, work, 0);\n"]
    out += ['  if (fork() == 0) { write(1, "c", 1); }\n'] * n
    out.append("  return argc > 1 ? 0 : 1;\n}\n")
    return "".join(out)


def flag_forks(n):
    out = [HEADER, "int main(int argc, char **argv) {\n",
           "  pthread_t thread;\n  int child = 0;\n",
           "  pthread_create(&thread, 0, work, 0);\n"]
    out += ["  if (fork() == 0) child = 1;\n  if (child) _exit(0);\n"] * n
    out.append("  return argc > 1 ? 0 : 1;\n}\n")
    return "".join(out)


def library_forks(n):
    out = [HEADER, "void elsewhere(void);\n\n",
           "int run_forks(int argc) {\n",
           "  pthread_t thread;\n  pthread_create(&thread, 0, work, 0);\n",
           "  elsewhere();\n"]
    out += ['  if (fork() == 0) { write(1, "c", 1); }\n'] * n
    out.append("  return argc > 1 ? 0 : 1;\n}\n")
    return "".join(out)


def chain_files(n, directory):
    per_file = 10000
    os.makedirs(directory, exist_ok=True)
    files = (n + per_file - 1) // per_file
    for f in range(files):
        first, last = f * per_file, min(n, (f + 1) * per_file)
        out = ["#include <unistd.h>\n"]
        if last < n:
            out.append("void f%d(int x);\n" % last)
        for i in reversed(range(first, last)):
            call = "f%d(x);" % (i + 1) if i + 1 < n else 'write(1, "x", 1);'
            linkage = "" if i == first else "static "
            out.append("%svoid f%d(int x) { %s }\n" % (linkage, i, call))
        with open(os.path.join(directory, "chain%d.c" % f), "w") as out_file:
            out_file.write("".join(out))
    with open(os.path.join(directory, "main.c"), "w") as out_file:
        out_file.write(HEADER + "void f0(int x);\n" +
                       main_with_child("    f0(argc);\n"))


def generate(args):
    if args.shape == "chain-files":
        chain_files(args.n, args.output)
        return
    text = {"cycle": lambda: cycle(args.n, args.unsafe),
            "chain": lambda: chain(args.n),
            "switch": lambda: switch(args.n),
            "switch-branches": lambda: switch_branches(args.n),
            "state-machine": lambda: state_machine(args.n),
            "forks": lambda: forks(args.n),
            "flag-forks": lambda: flag_forks(args.n),
            "library-forks": lambda: library_forks(args.n)}[args.shape]()
    with open(args.output, "w") as out_file:
        out_file.write(text)


def timed(command):
    start = time.monotonic()
    result = subprocess.run(command, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    elapsed = time.monotonic() - start
    if result.returncode not in (0, 1):
        sys.exit("failed (%d): %s" % (result.returncode, " ".join(command)))
    return elapsed


def instructions(command):
    """The instructions callgrind counts for a command and its children."""
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--trace-children=yes",
         "--callgrind-out-file=/dev/null"] + command,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    counts = re.findall(r"refs:\s+([\d,]+)", result.stderr)
    if result.returncode not in (0, 1) or not counts:
        sys.exit("callgrind failed (%d): %s" % (result.returncode,
                                                " ".join(command)))
    return sum(int(count.replace(",", "")) for count in counts)


def measure(args):
    shapes = [("cycle", 1000), ("chain", 3000), ("switch", 20000),
              ("switch-branches", 20000), ("forks", 2000),
              ("library-forks", 2000)]
    work = tempfile.mkdtemp(prefix="forksafety-stress-")
    # "bare tidy" is clang-tidy running no check: its own start-up and parse.
    unit, runs, cost = ("Minstr", 1, lambda c: instructions(c) / 1e6) \
        if args.instructions else ("s", args.runs, timed)
    print("%-22s %10s %10s %10s %10s %7s %7s" % (
        "shape", "parse " + unit, "bare tidy", "tidy " + unit,
        "tool " + unit, "tidy x", "tool x"))
    for shape, n in shapes:
        source = os.path.join(work, "%s%d.c" % (shape, n))
        generate(argparse.Namespace(shape=shape, n=n, unsafe=-1,
                                    output=source))
        commands = {
            "parse": [args.clang, "-fsyntax-only", source],
            "bare": [args.clang_tidy, "-checks=-*,misc-definitions-in-headers",
                     source, "--"],
            "tidy": [args.clang_tidy, "--load=" + args.plugin,
                     "-checks=-*,forksafety-*", source, "--"],
            "tool": [args.forksafety, "--no-cache", "--quiet", source, "--"]}
        measured = {kind: [] for kind in commands}
        for _ in range(runs):
            for kind, command in commands.items():
                measured[kind].append(cost(command))
        parse, bare, tidy, tool = (statistics.median(measured[kind])
                                   for kind in commands)
        print("%-22s %10.2f %10.2f %10.2f %10.2f %7.2f %7.2f" % (
            "%s %d" % (shape, n), parse, bare, tidy, tool, tidy / parse,
            tool / parse), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate")
    gen.add_argument("shape", choices=["cycle", "chain", "switch",
                                       "switch-branches", "state-machine",
                                       "forks",
                                       "flag-forks", "library-forks", "chain-files"])
    gen.add_argument("n", type=int)
    gen.add_argument("--unsafe", type=int, default=-1)
    gen.add_argument("-o", dest="output", required=True)
    bench = commands.add_parser("measure")
    bench.add_argument("--clang-tidy", default="clang-tidy-19")
    bench.add_argument("--plugin",
                       default="build/lib/libForkSafetyTidyModule.so")
    bench.add_argument("--forksafety", default="build/bin/forksafety")
    bench.add_argument("--clang", default="clang-19")
    bench.add_argument("--runs", type=int, default=3)
    bench.add_argument("--instructions", action="store_true",
                       help="count instructions under callgrind, once each, "
                       "instead of timing")
    args = parser.parse_args()
    if args.command == "generate":
        generate(args)
    else:
        measure(args)


if __name__ == "__main__":
    main()
