#!/usr/bin/env python3
"""Measures what the compiler plugin adds to a real project's build.

Side by side in one run, repeated and interleaved, on a checkout of a
project (libuv with CMake and Ninja, or redis with its Makefile):

  plain    a full -O2 build with clang;
  plugin   the same build with -fplugin=ForkSafetyClangPlugin.so, which runs
           both checks in each compile and embeds each file's summary;
  audit    forksafety -p over the same build's compile_commands.json, the
           whole-program audit that parses every file a second time;
  merge    forksafety --merge over the plugin build's linked outputs (phase
           2 from the summaries the objects carry).

It reports the median CPU time (user + system, of the build and all its
compiler processes) of each, the ratios to the plain build, and the total
size of the object files with and without the summaries.

CPU time on a shared machine varies by several percent between runs, more
than the plugin adds; with --instructions N it also counts, with valgrind's
callgrind (the same count on every run), the instructions of the N largest
compiles with and without the plugin.

Usage: plugin_overhead.py --project {libuv,redis} --source DIR
           --build BUILD [--clang BIN] [-j N] [--runs N] [--work DIR]
           [--instructions N]
BUILD is forksafety's build directory (lib/ForkSafetyClangPlugin.so,
bin/forksafety).
"""
import argparse
import concurrent.futures
import json
import os
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command, cwd, log, accepted=(0,)):
    """Runs command; returns the CPU seconds of it and its children."""
    before = cpu_seconds()
    with open(log, "a") as out:
        status = subprocess.call(command, cwd=cwd, stdout=out,
                                 stderr=subprocess.STDOUT)
    if status not in accepted:
        sys.exit("failed (%d): %s (see %s)" % (status, " ".join(command), log))
    return cpu_seconds() - before


def object_bytes(root):
    total = count = 0
    for directory, _, files in os.walk(root):
        for name in files:
            if name.endswith(".o"):
                total += os.path.getsize(os.path.join(directory, name))
                count += 1
    return total, count


class Libuv:
    """libuv: CMake and Ninja, the shared and the static library."""

    def __init__(self, source, clang, jobs):
        self.source, self.clang, self.jobs = source, clang, jobs

    def prepare(self, tree, flags, log):
        subprocess.check_call(
            ["cmake", "-S", self.source, "-B", tree, "-G", "Ninja",
             "-DCMAKE_C_COMPILER=" + self.clang,
             "-DCMAKE_BUILD_TYPE=Release", "-DCMAKE_C_FLAGS_RELEASE=-O2",
             "-DCMAKE_C_FLAGS=" + " ".join(flags), "-DLIBUV_BUILD_TESTS=OFF",
             "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"],
            stdout=open(log, "a"), stderr=subprocess.STDOUT)
        return tree

    def build(self, tree, log):
        subprocess.check_call(["ninja", "-C", tree, "-t", "clean"],
                              stdout=subprocess.DEVNULL)
        return timed(["ninja", "-C", tree, "-j%d" % self.jobs], tree, log)

    def linked(self, tree):
        return [os.path.join(tree, name) for name in sorted(os.listdir(tree))
                if name.startswith("libuv.so.") and
                not os.path.islink(os.path.join(tree, name))]


class Redis:
    """redis: its Makefile, with the bundled dependencies, libc malloc."""

    def __init__(self, source, clang, jobs):
        self.source, self.clang, self.jobs = source, clang, jobs
        self.flags = {}

    def prepare(self, tree, flags, log):
        self.flags[tree] = flags
        database = os.path.join(tree, "compile_commands.json")
        if not flags and os.path.exists(database):
            return tree  # Prepared by an earlier run of this script.
        shutil.rmtree(tree, ignore_errors=True)
        shutil.copytree(self.source, tree, symlinks=True,
                        ignore=shutil.ignore_patterns(".git"))
        # A checkout built before would leave make nothing to record.
        subprocess.check_call(["make", "distclean"], cwd=tree,
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        # The compile database for forksafety -p, from one untimed build.
        if not flags:
            subprocess.check_call(["bear", "--output", database, "--"] +
                                  self.make_command(tree, flags),
                                  cwd=tree, stdout=open(log, "a"),
                                  stderr=subprocess.STDOUT)
            # bear also records the compiler's own -cc1 processes, which
            # forksafety -p passes over; the database keeps what it reads.
            with open(database) as f:
                entries = json.load(f)
            if len(entries) < 100:
                sys.exit("bear recorded %d compiles of redis (see %s)" %
                         (len(entries), log))
        return tree

    def make_command(self, tree, flags):
        # redis builds one C++ dependency with CXX.
        clangxx = os.path.join(
            os.path.dirname(self.clang),
            os.path.basename(self.clang).replace("clang", "clang++", 1))
        return ["make", "-j%d" % self.jobs,
                "CC=" + " ".join([self.clang] + flags),
                "CXX=" + " ".join([clangxx] + flags),
                "OPTIMIZATION=-O2", "MALLOC=libc", "BUILD_TLS=no",
                "USE_SYSTEMD=no"]

    def build(self, tree, log):
        subprocess.check_call(["make", "distclean"], cwd=tree,
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        return timed(self.make_command(tree, self.flags[tree]), tree, log)

    def linked(self, tree):
        return [os.path.join(tree, "src", name)
                for name in ("redis-server", "redis-cli", "redis-benchmark")]


PROJECTS = {"libuv": Libuv, "redis": Redis}


def instructions(command, cwd):
    """The instructions callgrind counts for one command."""
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] +
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True)
    match = re.search(r"refs:\s+([\d,]+)", result.stderr)
    if result.returncode != 0 or not match:
        sys.exit("callgrind failed on: " + " ".join(command))
    return int(match.group(1).replace(",", ""))


def compile_instructions(tree, plugin, count, scratch, jobs):
    """Instructions of the `count` largest compiles of the compile database
    in `tree` (all of them when `count` is None), without and with the
    plugin, `jobs` callgrind processes at a time."""
    with open(os.path.join(tree, "compile_commands.json")) as f:
        entries = json.load(f)
    def source(entry):
        return os.path.join(entry["directory"], entry["file"])
    # bear also records the driver's -cc1 jobs, such as the preprocessing
    # that makes dependency files: only the driver's compiles count.
    def compiles(entry):
        args = entry.get("arguments") or shlex.split(entry["command"])
        return "-c" in args and "-cc1" not in args
    entries = [e for e in entries
               if os.path.exists(source(e)) and compiles(e)]
    entries.sort(key=lambda e: os.path.getsize(source(e)), reverse=True)
    if count is not None:
        entries = entries[:count]
    def measure(numbered):
        number, entry = numbered
        args = entry.get("arguments") or shlex.split(entry["command"])
        if "-o" in args:
            args[args.index("-o") + 1] = os.path.join(
                scratch, "bench-%d.o" % number)
        counts = (instructions(args, entry["directory"]),
                  instructions([args[0], "-fplugin=" + plugin] + args[1:],
                               entry["directory"]))
        # A long run can be read as it goes.
        print("%s: %d without the plugin, %d with it" % (
            entry["file"], counts[0], counts[1]), file=sys.stderr, flush=True)
        return counts
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        counts = list(pool.map(measure, enumerate(entries)))
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


def time_builds(args, project, plain, with_plugin, forksafety, log):
    """Full builds without and with the plugin, in turn, and the audits."""
    samples = {name: [] for name in ("plain", "plugin", "audit", "merge")}
    for run in range(args.runs):
        samples["plain"].append(project.build(plain, log))
        samples["plugin"].append(project.build(with_plugin, log))
        # forksafety exits with 1 when it reports findings.
        samples["audit"].append(timed(
            [forksafety, "-p", plain, "--no-cache", "--quiet",
             "-j%d" % args.j, "-o", os.devnull], plain, log, (0, 1)))
        samples["merge"].append(timed(
            [forksafety, "--merge", "--quiet", "-o", os.devnull] +
            project.linked(with_plugin), with_plugin, log, (0, 1)))
        print("run %d: %s" % (run + 1, ", ".join(
            "%s %.2f s" % (name, values[-1])
            for name, values in samples.items())), file=sys.stderr)

    median = {name: statistics.median(values)
              for name, values in samples.items()}
    plain_bytes, objects = object_bytes(plain)
    plugin_bytes, _ = object_bytes(with_plugin)
    print("%s, %d objects, -j%d, medians of %d runs (CPU seconds):" %
          (args.project, objects, args.j, args.runs))
    print("| plain build | with the plugin | plugin / plain | forksafety -p "
          "| (plain + forksafety -p) / plain | --merge of the linked outputs "
          "| objects without | objects with | growth |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print("| %.1f | %.1f | %.3f | %.1f | %.3f | %.2f | %d KiB | %d KiB | "
          "%.2f%% |" % (
              median["plain"], median["plugin"],
              median["plugin"] / median["plain"], median["audit"],
              (median["plain"] + median["audit"]) / median["plain"],
              median["merge"], plain_bytes // 1024, plugin_bytes // 1024,
              100.0 * (plugin_bytes - plain_bytes) / plain_bytes))
    print("samples: %s" % {name: ["%.2f" % v for v in values]
                           for name, values in samples.items()})


def count_or_all(text):
    """--instructions: a number of compiles, or "all" (None)."""
    return None if text == "all" else int(text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", choices=sorted(PROJECTS), required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--build", required=True)
    parser.add_argument("--clang", default="clang-19")
    parser.add_argument("-j", type=int, default=os.cpu_count())
    parser.add_argument("--runs", type=int, default=3,
                        help="full builds of each kind; 0 for instructions "
                        "only")
    parser.add_argument("--work")
    parser.add_argument(
        "--instructions", type=count_or_all, default=0,
        help="also count the instructions of the N largest compiles, or of "
        "all of them, under callgrind (about 50 times slower than running)")
    args = parser.parse_args()

    build = os.path.abspath(args.build)
    plugin = os.path.join(build, "lib", "ForkSafetyClangPlugin.so")
    forksafety = os.path.join(build, "bin", "forksafety")
    project = PROJECTS[args.project](os.path.abspath(args.source),
                                     shutil.which(args.clang) or args.clang,
                                     args.j)
    work = args.work or tempfile.mkdtemp(prefix="forksafety-plugin-bench-")
    os.makedirs(work, exist_ok=True)
    log = os.path.join(work, "build.log")
    plain = project.prepare(os.path.join(work, "plain"), [], log)
    if args.runs > 0:
        with_plugin = project.prepare(os.path.join(work, "plugin"),
                                      ["-fplugin=" + plugin], log)
        time_builds(args, project, plain, with_plugin, forksafety, log)
    if args.instructions != 0:
        plain_count, plugin_count = compile_instructions(
            plain, plugin, args.instructions, work, args.j)
        which = ("every compile" if args.instructions is None else
                 "the %d largest compiles" % args.instructions)
        print("callgrind, %s: %.0f Minstr without the plugin, %.0f with "
              "it: +%.2f%%" % (
                  which, plain_count / 1e6, plugin_count / 1e6,
                  100.0 * (plugin_count - plain_count) / plain_count))


if __name__ == "__main__":
    main()
