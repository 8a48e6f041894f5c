#!/usr/bin/env python3
"""Measures a whole-program forksafety audit against parsing alone.

Over the translation units of a compile_commands.json, side by side in one
run, it measures the CPU time (user + system, of all processes) and the
wall time of:

  one-process  clang-check -p BUILD --extra-arg=-fsyntax-only over every
               translation unit: one process parsing them all (the fair
               floor);
  per-process  clang -fsyntax-only once per translation unit (mostly
               process start-up for small files);
  cold         forksafety -p BUILD with an empty summary cache;
  warm         forksafety -p BUILD again after one source file changed;
  cached       forksafety -p BUILD again with nothing changed;

repeating them in turn and reporting medians and ratios. It then runs
every translation unit alone under both tools to compare peak memory (the
forksafety process holds one translation unit per worker, like clang).

With --baseline BIN, it also times another forksafety build's cold audit in
the same loop, to measure a change side by side.

Usage: audit_vs_syntax_only.py --build-dir DIR [--forksafety BIN]
           [--baseline BIN] [--clang BIN] [--clang-check BIN] [-j N]
           [--runs N] [--changed FILE]
"""
import argparse
import json
import os
import resource
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


def command_of(entry):
    return entry.get("arguments") or shlex.split(entry["command"])


def compiles_nothing(entry):
    """The compiler's own front end (bear records `clang -cc1`) or a run that
    only preprocesses or lists dependencies, as forksafety passes over."""
    command = command_of(entry)
    return command[1:2] == ["-cc1"] or any(
        arg in ("-E", "-M", "-MM") for arg in command)


def syntax_only_command(entry, clang):
    args = command_of(entry)
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


PATH_OPTIONS = ("-I", "-iquote", "-isystem", "-idirafter", "-include")


def absolute_paths(args, directory, source):
    """\p args with the source file and include paths named absolutely."""
    result, follows_option = [], False
    for arg in args:
        if follows_option:
            arg = os.path.normpath(os.path.join(directory, arg))
            follows_option = False
        elif arg in PATH_OPTIONS:
            follows_option = True
        elif arg.startswith("-I") and len(arg) > 2:
            arg = "-I" + os.path.normpath(os.path.join(directory, arg[2:]))
        elif os.path.normpath(os.path.join(directory, arg)) == source:
            arg = source
        result.append(arg)
    return result


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measured(run):
    """Runs \p run; returns its (wall, CPU) seconds, CPU of all children."""
    cpu = children_cpu()
    start = time.monotonic()
    run()
    return time.monotonic() - start, children_cpu() - cpu


def run_one_process(entries, clang_check, build_dir):
    files = [os.path.join(e["directory"], e["file"]) for e in entries]
    subprocess.call([clang_check, "-p", build_dir,
                     "--extra-arg=-fsyntax-only", "--extra-arg=-w"] + files,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


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
    process = subprocess.run(
        [tool, "-p", build_dir, "--cache-dir", cache_dir, "-j", str(jobs),
         "--checks=forksafety-*", "--quiet", "--format=json", "-o",
         os.devnull],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if process.returncode not in (0, 1):
        sys.exit("forksafety exited with %d:\n%s" %
                 (process.returncode, process.stderr[-2000:]))


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
    parser.add_argument("--clang-check", default="clang-check-19")
    # CPU time is compared with one process on one core: threads sharing a
    # core run slower, which inflates the CPU time of parallel runs.
    parser.add_argument("-j", type=int, default=1)
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
        listed = json.load(db)
    # forksafety analyses each file once, with its first command that
    # compiles it: so do the floors, from a database that lists only those
    # commands.
    # Files are named absolutely: clang-check keeps one file manager for all
    # of them, which mixes up includes named relative to a file named
    # relatively.
    entries, seen = [], set()
    for entry in sorted(listed, key=compiles_nothing):
        path = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
        if path in seen:
            continue
        seen.add(path)
        command = command_of(entry)
        entries.append({"directory": entry["directory"], "file": path,
                        "arguments": absolute_paths(
                            command, entry["directory"], path)})
    args.build_dir = tempfile.mkdtemp(prefix="forksafety-bench-db-")
    with open(os.path.join(args.build_dir, "compile_commands.json"),
              "w") as db:
        json.dump(entries, db)
    changed = args.changed or os.path.join(entries[0]["directory"],
                                           entries[0]["file"])
    with open(changed) as source:
        original = source.read()

    names = ["one-process", "per-process", "cold", "warm", "cached"]
    if args.baseline:
        names.append("baseline")
    wall = {name: [] for name in names}
    cpu = {name: [] for name in names}
    failures = 0

    def record(name, run):
        seconds, cpu_seconds = measured(run)
        wall[name].append(seconds)
        cpu[name].append(cpu_seconds)

    def per_process():
        nonlocal failures
        _, failures = run_syntax_only(entries, args.clang, args.j)

    for _ in range(args.runs):
        record("one-process", lambda: run_one_process(
            entries, args.clang_check, args.build_dir))
        record("per-process", per_process)
        if args.baseline:
            cache = tempfile.mkdtemp(prefix="forksafety-bench-")
            try:
                record("baseline", lambda: run_audit(
                    os.path.abspath(args.baseline), args.build_dir, cache,
                    args.j))
            finally:
                shutil.rmtree(cache)
        cache = tempfile.mkdtemp(prefix="forksafety-bench-")
        try:
            record("cold", lambda: run_audit(tool, args.build_dir, cache,
                                             args.j))
            try:
                with open(changed, "w") as source:
                    source.write(original + "\n/* changed */\n")
                record("warm", lambda: run_audit(tool, args.build_dir, cache,
                                                 args.j))
            finally:
                with open(changed, "w") as source:
                    source.write(original)
            # The restored file has its cached summary again.
            run_audit(tool, args.build_dir, cache, args.j)
            record("cached", lambda: run_audit(tool, args.build_dir, cache,
                                               args.j))
        finally:
            shutil.rmtree(cache)

    cpu_median = {n: statistics.median(v) for n, v in cpu.items() if v}
    wall_median = {n: statistics.median(v) for n, v in wall.items() if v}
    print("translation units: %d of %d commands (%d fail to parse), -j %d, "
          "%d runs" % (len(entries), len(listed), failures, args.j,
                       args.runs))
    print("changed before warm runs: %s" % changed)
    print()
    print("| run | CPU median (s) | CPU runs (s) | wall median (s) | "
          "CPU ratio |")
    print("| --- | ---: | --- | ---: | --- |")
    floor = cpu_median["one-process"]
    labels = {
        "one-process": ("clang-check, one process (floor)", "1.00"),
        "per-process": ("clang -fsyntax-only per file",
                        "%.2f of one process" % (
                            cpu_median["per-process"] / floor)),
        "cold": ("forksafety, cold cache",
                 "%.2f of one process, %.2f of per file" % (
                     cpu_median["cold"] / floor,
                     cpu_median["cold"] / cpu_median["per-process"])),
        "warm": ("forksafety, one file changed",
                 "%.3f of cold" % (cpu_median["warm"] / cpu_median["cold"])),
        "cached": ("forksafety, nothing changed",
                   "%.3f of cold" % (cpu_median["cached"] /
                                     cpu_median["cold"])),
        "baseline": ("baseline forksafety, cold cache",
                     "%.2f of one process; this build: %.2fx the baseline" % (
                         cpu_median.get("baseline", 1) / floor,
                         cpu_median["cold"] / cpu_median.get("baseline", 1))),
    }
    for name in names:
        label, ratio = labels[name]
        print("| %s | %.2f | %s | %.2f | %s |" % (
            label, cpu_median[name], ", ".join("%.2f" % t for t in cpu[name]),
            wall_median[name], ratio))

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
