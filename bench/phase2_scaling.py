#!/usr/bin/env python3
"""Measures phase 2 (forksafety --merge) against the size of the program.

Generates a program of N translation units whose functions call into the
next file, the last file calling back into the first, so that one strongly
connected component of the call graph spans every file; main forks, creates
a thread, and its child calls into the cycle. Phase 1 runs for real on a
template file (forksafety --emit-summary); the summaries of the N files are
that summary with its function and file names renamed, so that large N cost
no compile. With --real, phase 1 runs on every generated file instead (slow,
for checking that the renamed summaries merge to the same findings).

For each N it reports the median wall time and the peak memory (maximum
resident set size) of forksafety --merge over the N summaries.

Usage: phase2_scaling.py [--forksafety BIN] [--sizes 1000,5000,20000]
           [--runs 3] [--real] [--no-cycle] [--work DIR]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SELF, NEXT = "f777777", "f888888"

MAIN = r"""#include <pthread.h>
#include <unistd.h>

void f0_a(int n);
static void *work(void *arg) { return arg; }

int main(void) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  if (fork() == 0) {
    f0_a(5);
    _exit(0);
  }
  return 0;
}
"""

TEMPLATE = r"""#include <unistd.h>

void NEXT_a(int n);
void SELF_b(int n);
void SELF_a(int n) {
  if (n > 1)
    NEXT_a(n - 1);
  else
    SELF_b(n);
}
void SELF_b(int n) {
  if (n > 3)
    SELF_a(n - 2);
  write(1, "x", 1);
}
""".replace("SELF", SELF).replace("NEXT", NEXT)


def emit(forksafety, source, out):
    subprocess.run([forksafety, "--emit-summary=" + out, source, "--"],
                   check=True)


def generate(forksafety, work, n, cycle, real):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    main = os.path.join(work, "main.c")
    with open(main, "w") as f:
        f.write(MAIN)
    emit(forksafety, main, os.path.join(work, "main.fsum"))
    template = os.path.join(work, "t%s.c" % SELF)
    with open(template, "w") as f:
        f.write(TEMPLATE)
    emit(forksafety, template, template + ".fsum")
    with open(template + ".fsum") as f:
        summary = f.read()
    os.remove(template)
    os.remove(template + ".fsum")
    for i in range(n):
        next_name = "f%d" % ((i + 1) % n if cycle else i + 1)
        source = os.path.join(work, "t%d.c" % i)
        if real:
            with open(source, "w") as f:
                f.write(TEMPLATE.replace(SELF, "f%d" % i)
                        .replace(NEXT, next_name))
            emit(forksafety, source, source + ".fsum")
            continue
        text = (summary.replace("t%s.c" % SELF, "t%d.c" % i)
                .replace(SELF, "f%d" % i).replace(NEXT, next_name))
        with open(source + ".fsum", "w") as f:
            f.write(text)


def merge(forksafety, work):
    inputs = sorted(os.path.join(work, name) for name in os.listdir(work)
                    if name.endswith(".fsum"))
    args = [forksafety, "--merge", "--quiet", "--format=json"]
    # Through a response file: 100,000 paths exceed the command line.
    rsp = os.path.join(work, "inputs.rsp")
    with open(rsp, "w") as f:
        f.write("\n".join(inputs))
    out_path = os.path.join(work, "report.json")
    start = time.monotonic()
    process = subprocess.Popen(args + ["-o", out_path, "@" + rsp],
                               stderr=subprocess.PIPE)
    # wait4 gives the peak memory of this process alone.
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit("forksafety --merge failed:\n" + process.stderr.read().decode())
    with open(out_path) as report:
        return elapsed, usage.ru_maxrss, report.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--forksafety", default="build/bin/forksafety")
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--real", action="store_true")
    parser.add_argument("--no-cycle", action="store_true")
    parser.add_argument("--work", default=None)
    args = parser.parse_args()
    work_root = args.work or tempfile.mkdtemp(prefix="forksafety-phase2-")
    print("%8s %10s %10s %s" % ("files", "median s", "peak MiB", "findings"))
    for n in (int(s) for s in args.sizes.split(",")):
        work = os.path.join(work_root, str(n))
        generate(args.forksafety, work, n, not args.no_cycle, args.real)
        times = []
        peak = 0
        for _ in range(args.runs):
            elapsed, rss, out = merge(args.forksafety, work)
            times.append(elapsed)
            peak = max(peak, rss)
        findings = out.count('"check"')
        print("%8d %10.2f %10.0f %d" % (n, statistics.median(times),
                                        peak / 1024, findings), flush=True)
        shutil.rmtree(work, ignore_errors=True)
    if not args.work:
        shutil.rmtree(work_root, ignore_errors=True)


if __name__ == "__main__":
    main()
