#!/usr/bin/env python3
"""Measures a whole-program forksafety audit against parsing alone.

Over the translation units of a compile_commands.json, side by side in one
run and with the same parallelism, it times:

  syntax-only  clang -fsyntax-only on every translation unit (the floor);
  cold         forksafety -p BUILD with an empty summary cache;
  warm         forksafety -p BUILD again after one source file changed;

repeating the three in turn and reporting medians and ratios. It then runs
every translation unit alone under both tools to compare peak memory (the
forksafety process holds one translation unit per worker, like clang).

With --baseline BIN, it also times another forksafety build's cold audit in
the same loop, to measure a change side by side.

Usage: audit_vs_syntax_only.py --build-dir DIR [--forksafety BIN]
           [--baseline BIN] [--clang BIN] [-j N] [--runs N] [--changed FILE]
"""
import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

DROPPED_WITH_VALUE = {"-o", "-MF", "-MT", "-MQ"}
DROPPED = {"-c", "-MD", "-MMD", "-MP"}


def syntax_only_command(entry, clang):
    args = entry.get("arguments") or shlex.split(entry["command"])
    result = [clang]
    skip = False
    for arg in args[1:]:
        if skip:
            skip = False
            continue
        if arg in DROPPED_WITH_VALUE:
            skip = True
            continue
        if arg in DROPPED:
            continue
        result.append(arg)
    return result + ["-fsyntax-only", "-w"]


def run_syntax_only(entries, clang, jobs):
    def one(entry):
        return subprocess.call(syntax_only_command(entry, clang),
                               cwd=entry["directory"],
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        failures = sum(1 for status in pool.map(one, entries) if status)
    return time.monotonic() - start, failures


def run_audit(tool, build_dir, cache_dir, jobs):
    # --checks after the project's .clang-tidy, which may not name them.
    start = time.monotonic()
    process = subprocess.run(
        [tool, "-p", build_dir, "--cache-dir", cache_dir, "-j", str(jobs),
         "--checks=forksafety-*", "--quiet", "--format=json", "-o",
         os.devnull],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if process.returncode not in (0, 1):
        sys.exit("forksafety exited with %d:\n%s" %
                 (process.returncode, process.stderr[-2000:]))
    return time.monotonic() - start


def peak_rss_kib(command, cwd):
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    return usage.ru_maxrss


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--forksafety", default="build/bin/forksafety")
    parser.add_argument("--baseline",
                        help="another forksafety build, timed cold alongside")
    parser.add_argument("--clang", default="clang-19")
    parser.add_argument("-j", type=int, default=os.cpu_count())
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--changed",
                        help="source file changed before each warm run "
                             "(default: the first in the database)")
    parser.add_argument("--memory-sample", type=int, default=0,
                        help="translation units measured for memory "
                             "(default: all)")
    args = parser.parse_args()

    tool = os.path.abspath(args.forksafety)
    args.build_dir = os.path.abspath(args.build_dir)
    with open(os.path.join(args.build_dir, "compile_commands.json")) as db:
        entries = json.load(db)
    changed = args.changed or os.path.join(entries[0]["directory"],
                                           entries[0]["file"])
    with open(changed) as source:
        original = source.read()

    times = {"syntax-only": [], "cold": [], "warm": [], "baseline": []}
    failures = 0
    for _ in range(args.runs):
        seconds, failures = run_syntax_only(entries, args.clang, args.j)
        times["syntax-only"].append(seconds)
        if args.baseline:
            cache = tempfile.mkdtemp(prefix="forksafety-bench-")
            try:
                times["baseline"].append(run_audit(
                    os.path.abspath(args.baseline), args.build_dir, cache,
                    args.j))
            finally:
                shutil.rmtree(cache)
        cache = tempfile.mkdtemp(prefix="forksafety-bench-")
        try:
            times["cold"].append(run_audit(tool, args.build_dir, cache, args.j))
            try:
                with open(changed, "w") as source:
                    source.write(original + "\n/* changed */\n")
                times["warm"].append(
                    run_audit(tool, args.build_dir, cache, args.j))
            finally:
                with open(changed, "w") as source:
                    source.write(original)
        finally:
            shutil.rmtree(cache)

    medians = {name: statistics.median(values)
               for name, values in times.items() if values}
    print("translation units: %d (%d fail to parse), -j %d, %d runs"
          % (len(entries), failures, args.j, args.runs))
    print("changed before warm runs: %s" % changed)
    print()
    print("| run | median (s) | runs (s) | ratio |")
    print("| --- | ---: | --- | ---: |")
    print("| clang -fsyntax-only | %.2f | %s | 1.00 |" % (
        medians["syntax-only"],
        ", ".join("%.2f" % t for t in times["syntax-only"])))
    print("| forksafety, cold cache | %.2f | %s | %.2f of -fsyntax-only |" % (
        medians["cold"], ", ".join("%.2f" % t for t in times["cold"]),
        medians["cold"] / medians["syntax-only"]))
    print("| forksafety, one file changed | %.2f | %s | %.3f of cold |" % (
        medians["warm"], ", ".join("%.2f" % t for t in times["warm"]),
        medians["warm"] / medians["cold"]))
    if args.baseline:
        print("| baseline forksafety, cold cache | %.2f | %s | "
              "%.2f of -fsyntax-only; this build: %.2fx the baseline |" % (
                  medians["baseline"],
                  ", ".join("%.2f" % t for t in times["baseline"]),
                  medians["baseline"] / medians["syntax-only"],
                  medians["cold"] / medians["baseline"]))

    sample = entries if not args.memory_sample else \
        entries[:args.memory_sample]
    ratios = []
    for entry in sample:
        source = os.path.join(entry["directory"], entry["file"])
        clang_kib = peak_rss_kib(syntax_only_command(entry, args.clang),
                                 entry["directory"])
        tool_kib = peak_rss_kib(
            [tool, "-p", args.build_dir, "--quiet", "--checks=forksafety-*",
             "--emit-summary", os.devnull, source], entry["directory"])
        ratios.append((tool_kib / clang_kib, source, tool_kib, clang_kib))
    ratios.sort()
    median = statistics.median(r[0] for r in ratios)
    worst = ratios[-1]
    print()
    print("peak memory of one translation unit, forksafety --emit-summary "
          "over clang -fsyntax-only (%d units): median %.2f, worst %.2f "
          "(%s: %d KiB against %d KiB)" % (
              len(ratios), median, worst[0],
              os.path.relpath(worst[1]), worst[2], worst[3]))


if __name__ == "__main__":
    main()
