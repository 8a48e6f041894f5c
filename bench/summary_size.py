#!/usr/bin/env python3
"""Measures what the compiler plugin's summaries add to object files, and
the least any summary that lets phase 2 work across files could add.

For each translation unit of a compilation database, and for each set of
flags given (--flags, e.g. "-O2" and "-O2 -g"), it compiles the file twice,
with and without -fplugin=ForkSafetyClangPlugin.so, into a scratch
directory, and reads the size of the .forksafety section (llvm-readelf).
The objects' growth is the sections' bytes over the bytes of the objects
without them.

The floor: to follow a child across files, phase 2 must at least know, for
every function other files may call, which functions of other files it may
call in turn, directly or through the file's own functions. That call
graph alone, written as text (one line per function: its USR, then the
USRs it reaches) and compressed with zstd -19, is what any summary must
hold before it says anything about what those functions do. It is read
from the `function` and `calls` records of `forksafety --emit-summary`.

Usage: summary_size.py --build-dir DB --forksafety BIN --plugin SO
           [--clang BIN] [--flags FLAGS]... [-j N]
Needs llvm-readelf (--readelf) and the zstd command.
"""
import argparse
import concurrent.futures
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

# The formats whose function and calls records it reads.
SUMMARY_VERSIONS = (24, 25, 26, 27)


def compile_commands(build_dir):
    path = os.path.join(build_dir, "compile_commands.json")
    try:
        with open(path) as f:
            entries = json.load(f)
    except (OSError, ValueError) as error:
        sys.exit("cannot read %s: %s" % (path, error))
    seen, units = set(), []
    for entry in entries:
        file = os.path.join(entry["directory"], entry["file"])
        if file in seen or not file.endswith((".c", ".cc", ".cpp", ".cxx")):
            continue
        seen.add(file)
        args = entry.get("arguments") or shlex.split(entry["command"])
        units.append((entry["directory"], file, args))
    if not units:
        sys.exit("%s holds no C or C++ source" % path)
    return units


def compile_args(args, clang, output, flags):
    """The compile command of args, into output, with flags last."""
    out, skip = [clang], False
    for arg in args[1:]:
        if skip:
            skip = False
        elif arg == "-o":
            skip = True
        elif not arg.startswith("-o"):
            out.append(arg)
    return out + flags + ["-o", output]


def section_bytes(readelf, obj):
    with open(obj, "rb") as f:
        if f.read(4) != b"\x7fELF":
            sys.exit("%s is not an ELF object: with -flto in the compile "
                     "commands, add -fno-lto to --flags" % obj)
    text = subprocess.run([readelf, "-S", "-W", obj], capture_output=True,
                          text=True, check=True).stdout
    for line in text.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 5 and fields[1] == ".forksafety":
            return int(fields[5], 16)
    return 0


def call_graph_text(summary):
    """One line per function of external linkage: its USR, then the USRs of
    the functions of other files it may reach through the file's own."""
    with open(summary) as f:
        lines = f.read().splitlines()
    header = json.loads(lines[0])
    if header.get("version") not in SUMMARY_VERSIONS:
        sys.exit("%s: summary format %s, this script reads %s" %
                 (summary, header.get("version"), SUMMARY_VERSIONS))
    strings = header["strings"]
    defined, calls = set(), {}
    for line in lines[1:]:
        record = json.loads(line)
        if "function" in record:
            defined.add(record["function"]["usr"])
        elif "calls" in record:
            caller, *callees = [strings[i] for i in record["calls"]]
            calls.setdefault(caller, set()).update(callees)
    rows = []
    for usr in sorted(defined):
        if "\x1f" in usr:
            continue  # Internal linkage: no other file calls it.
        reached, seen, stack = set(), {usr}, [usr]
        while stack:
            for callee in calls.get(stack.pop(), ()):
                if callee in defined and callee not in seen:
                    seen.add(callee)
                    stack.append(callee)
                if callee not in defined or "\x1f" not in callee:
                    reached.add(callee)
        rows.append(" ".join([usr] + sorted(reached)))
    return "\n".join(rows).encode()


def zstd_bytes(data, level):
    return len(subprocess.run(["zstd", "-q", "-c", "-%d" % level], input=data,
                              capture_output=True, check=True).stdout)


def measure(unit, index, args):
    directory, file, command = unit
    scratch = os.path.join(args.work, str(index))
    os.makedirs(scratch, exist_ok=True)
    result = {"file": file, "objects": [], "sections": []}
    for flags in args.flags:
        extra = shlex.split(flags)
        plain = os.path.join(scratch, "plain.o")
        with_plugin = os.path.join(scratch, "plugin.o")
        for output, more in ((plain, []), (with_plugin,
                                            ["-fplugin=" + args.plugin])):
            subprocess.run(compile_args(command, args.clang, output,
                                        extra + more),
                           cwd=directory, check=True,
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        result["sections"].append(section_bytes(args.readelf, with_plugin))
        result["objects"].append(os.path.getsize(plain))
    summary = os.path.join(scratch, "unit.fsum")
    subprocess.run([args.forksafety, "--checks=forksafety-*",
                    "--emit-summary=" + summary, "-p", args.build_dir, file],
                   check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    result["floor"] = zstd_bytes(call_graph_text(summary), 19)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--forksafety", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--clang", default="clang-19")
    parser.add_argument("--readelf", default="llvm-readelf-19")
    parser.add_argument("--flags", action="append",
                        help="flags added to every compile (repeatable; "
                        "default: -O2 -g0, then -O2 -g)")
    parser.add_argument("-j", type=int, default=os.cpu_count())
    parser.add_argument("--work")
    args = parser.parse_args()
    args.flags = args.flags or ["-O2 -g0", "-O2 -g"]
    for tool in (args.clang, args.readelf, "zstd", args.forksafety):
        if not shutil.which(tool):
            sys.exit("cannot find %s" % tool)
    if not os.path.isfile(args.plugin):
        sys.exit("cannot find %s" % args.plugin)
    args.plugin = os.path.abspath(args.plugin)
    args.forksafety = os.path.abspath(shutil.which(args.forksafety))
    units = compile_commands(args.build_dir)
    scratch = None if args.work else tempfile.mkdtemp(prefix="forksafety-size-")
    args.work = args.work or scratch
    try:
        with concurrent.futures.ThreadPoolExecutor(args.j) as pool:
            results = list(pool.map(lambda numbered: measure(numbered[1],
                                                             numbered[0],
                                                             args),
                                    enumerate(units)))
    except subprocess.CalledProcessError as error:
        sys.exit("failed (%d): %s" % (error.returncode, " ".join(error.cmd)))
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    floor = sum(r["floor"] for r in results)
    print("%d translation units of %s" % (len(results), args.build_dir))
    print("| flags | objects without (bytes) | sections (bytes) | growth |"
          " call-graph floor (bytes) | floor / objects |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for i, flags in enumerate(args.flags):
        objects = sum(r["objects"][i] for r in results)
        sections = sum(r["sections"][i] for r in results)
        print("| `%s` | %d | %d | %.1f%% | %d | %.1f%% |" %
              (flags, objects, sections, 100.0 * sections / objects, floor,
               100.0 * floor / objects))


if __name__ == "__main__":
    main()
