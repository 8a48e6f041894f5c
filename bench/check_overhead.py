#!/usr/bin/env python3
"""Measures what the forksafety checks add to building a file's AST.

Usage:
  check_overhead.py --build BUILD_DIR [--llvm N] FILE [FILE...] [-- FLAGS]

Counts instructions with valgrind's callgrind, which gives the same count on
every run whatever else the machine is doing, side by side for each file:

  AST build    clang -fsyntax-only: the parse that clangd and clang-tidy pay
  clang-tidy   clang-tidy running both forksafety checks: the AST build plus
               clang-tidy's matching pass over the whole AST plus the checks
  analysis     the part of that run spent in the checks' analysis and
               diagnostics (inclusive cost of onEndOfTranslationUnit)

clangd builds the AST and runs its matching pass anyway, over the main
file's declarations only; what the checks add there is their analysis plus
their two matchers, bounded by "clang-tidy - AST build".
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile


def profile(command, function=None):
    """Total instructions of the command, and those spent in function."""
    with tempfile.NamedTemporaryFile(suffix=".callgrind") as out:
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out.name]
            + command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True)
        if result.returncode != 0:
            sys.exit("failed: %s\n%s" % (" ".join(command), result.stderr[-2000:]))
        annotated = subprocess.run(
            ["callgrind_annotate", "--inclusive=yes", "--threshold=100", out.name],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    total = int(re.search(r"^([0-9,]+) \(100.0%\)\s+PROGRAM TOTALS", annotated,
                          re.M).group(1).replace(",", ""))
    spent = 0
    if function:
        match = re.search(r"^\s*([0-9,]+) \([^)]*\)\s+\?\?\?:" + re.escape(function),
                          annotated, re.M)
        spent = int(match.group(1).replace(",", "")) if match else 0
    return total, spent


def main():
    argv = sys.argv[1:]
    flags = []
    if "--" in argv:
        split = argv.index("--")
        argv, flags = argv[:split], argv[split + 1:]
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", required=True)
    parser.add_argument("--llvm", default="19")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)

    tools = "/usr/lib/llvm-%s/bin/" % args.llvm
    plugin = os.path.join(args.build, "lib", "libForkSafetyTidyModule.so")
    print("| file | lines | AST build (Minstr) | clang-tidy, both checks | "
          "analysis | analysis / AST | (clang-tidy - AST) / AST |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for path in args.files:
        ast, _ = profile([tools + "clang", "-fsyntax-only", path] + flags)
        tidy, analysis = profile(
            [tools + "clang-tidy", "--load=" + plugin, "--quiet",
             "--checks=-*,forksafety-*", path, "--"] + flags,
            "forksafety::ForkSafetyCheckBase::onEndOfTranslationUnit()")
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = sum(1 for _ in f)
        print("| %s | %d | %.0f | %.0f | %.1f | %.2f%% | %.1f%% |" % (
            os.path.basename(path), lines, ast / 1e6, tidy / 1e6,
            analysis / 1e6, 100.0 * analysis / ast, 100.0 * (tidy - ast) / ast))


if __name__ == "__main__":
    main()
