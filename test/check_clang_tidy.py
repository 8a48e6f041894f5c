#!/usr/bin/env python3
"""Runs one forksafety check on a test file and verifies its diagnostics.

Usage:
  check_clang_tidy.py [--check-suffix=S] INPUT CHECK TEMP [-- TIDY_ARGS [-- CLANG_ARGS]]

The test file states what must be reported with FileCheck directives:
  CHECK-MESSAGES[-S]: lines match clang-tidy's output; any warning or error
      that no directive expects fails the test.
  CHECK-FIXES[-S]: lines match the file after clang-tidy applied its fixes.
The directives are blanked out of the copy clang-tidy analyses, so the line
and column numbers in the directives are those of the test file itself.
"""

import argparse
import os
import re
import subprocess
import sys


def fail(message):
    sys.stderr.write("check_clang_tidy: " + message + "\n")
    sys.exit(1)


def run(command, stdin=None):
    result = subprocess.run(command, input=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    return result.returncode, result.stdout


def filecheck(filecheck_path, check_file, prefix, text, extra):
    command = [filecheck_path, check_file, "--check-prefix=" + prefix,
               "--dump-input=fail"] + extra
    code, output = run(command, stdin=text)
    if code != 0:
        sys.stdout.write(output)
        fail("FileCheck failed for prefix " + prefix)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clang-tidy", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--filecheck", required=True)
    parser.add_argument("--check-suffix", default="")
    parser.add_argument("input")
    parser.add_argument("checks")
    parser.add_argument("temp")
    argv = sys.argv[1:]
    rest = []
    if "--" in argv:
        split = argv.index("--")
        argv, rest = argv[:split], argv[split + 1:]
    args = parser.parse_args(argv)

    tidy_args, clang_args = rest, []
    if "--" in rest:
        split = rest.index("--")
        tidy_args, clang_args = rest[:split], rest[split + 1:]

    suffix = "-" + args.check_suffix if args.check_suffix else ""
    messages_prefix = "CHECK-MESSAGES" + suffix
    fixes_prefix = "CHECK-FIXES" + suffix

    with open(args.input, encoding="utf-8") as f:
        original = f.read()
    has_messages = re.search(r"\b" + re.escape(messages_prefix) + r":",
                             original) is not None
    has_fixes = re.search(r"\b" + re.escape(fixes_prefix) + r":",
                          original) is not None

    # Blank the directives so that clang-tidy sees code only, with every
    # line where it was.
    cleaned = re.sub(r"//\s*CHECK-[A-Z0-9-]+:[^\r\n]*", "//", original)
    extension = os.path.splitext(args.input)[1]
    os.makedirs(os.path.dirname(os.path.abspath(args.temp)) or ".",
                exist_ok=True)
    temp_file = args.temp + extension
    with open(temp_file, "w", encoding="utf-8") as f:
        f.write(cleaned)

    command = [args.clang_tidy, "--load=" + args.plugin,
               "--checks=-*," + args.checks, "--quiet"]
    if has_fixes:
        command.append("--fix")
    command += tidy_args + [temp_file, "--"] + clang_args
    code, output = run(command)
    output = output.replace(temp_file, args.input)
    sys.stdout.write("------------------------ clang-tidy output -----------\n")
    sys.stdout.write(output)
    sys.stdout.write("------------------------------------------------------\n")
    if code != 0:
        fail("clang-tidy exited with status %d (does the test compile?)" % code)

    unexpected = ["--implicit-check-not={{warning|error}}:"]
    if has_messages:
        filecheck(args.filecheck, args.input, messages_prefix, output,
                  unexpected)
    elif re.search(r"(warning|error):", output):
        fail("unexpected diagnostics (the file expects none)")

    if has_fixes:
        with open(temp_file, encoding="utf-8") as f:
            fixed = f.read()
        filecheck(args.filecheck, args.input, fixes_prefix, fixed,
                  ["--strict-whitespace"])


if __name__ == "__main__":
    main()
