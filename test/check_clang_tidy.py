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

The same file then goes through the other front ends, with the same checks
and options: the compiler plugin (clang -fplugin=..., compiling an object
with its summary) and the forksafety tool (its JSON report, one result per
finding, shown as clang-tidy shows them). Each must report exactly the
warnings and notes clang-tidy reported.
"""

import argparse
import json
import os
import re
import subprocess
import sys


def fail(message):
    sys.stderr.write("check_clang_tidy: " + message + "\n")
    sys.exit(1)


DIAGNOSTIC = re.compile(r"^(\S+?):(\d+):(\d+): (warning|error|note): (.*)$")


# clang-tidy --fix adds this note to each finding whose fix it applied.
FIX_APPLIED = "FIX-IT applied suggested code changes"


def diagnostics(output):
    """The findings in a front end's output: each warning or error with the
    notes that follow it, file names reduced to their last component, in
    location order."""
    findings = []
    for line in output.splitlines():
        match = DIAGNOSTIC.match(line)
        if not match:
            continue
        text = "%s:%s:%s: %s: %s" % (
            os.path.basename(match.group(1)), match.group(2), match.group(3),
            match.group(4), match.group(5))
        if match.group(4) != "note":
            findings.append([text])
        elif findings and match.group(5) != FIX_APPLIED:
            findings[-1].append(text)
    # The compiler's own warnings are not findings.
    return sorted(finding for finding in findings
                  if re.search(r"\[forksafety-[a-z-]+\]$", finding[0]))


FORK_CHECK = "forksafety-fork-in-threaded-program"
UNSAFE_CHECK = "forksafety-unsafe-call-in-child"


def place(item):
    return (item["file"], item["line"], item["column"])


def line(item, kind, message):
    return "%s:%d:%d: %s: %s" % (item["file"], item["line"], item["column"],
                                 kind, message)


def folded_notes(lead, calls):
    """The notes of a child's fork finding as diagnostics show them: an
    unsafe call one of them names as what the child goes on to do (not a
    cause), without a fix, takes the note's place with its own steps, and
    leaves `calls`."""
    notes, leads, i = [], lead["notes"], 0
    while i < len(leads):
        note = leads[i]
        call = next((c for c in calls if not note.get("cause")
                     and place(c) == place(note)), None)
        if call is None:
            notes.append(line(note, "note", note["message"]))
            i += 1
            continue
        calls.remove(call)
        notes.append(line(call, "note", "%s [%s]" % (call["message"],
                                                     call["check"])))
        for step in call["notes"]:
            if step.get("cause"):
                continue
            following = leads[i + 1] if i + 1 < len(leads) else None
            if following and place(following) == place(step) and \
                    following["message"] == step["message"]:
                i += 1
            notes.append(line(step, "note", step["message"]))
        i += 1
    return notes


def report_as_diagnostics(report):
    """forksafety's JSON report as clang-tidy shows the same findings: one
    cause once, each child's fork finding with the unsafe calls its notes
    name folded in, the other findings as warnings with their notes."""
    findings = json.loads(report)["findings"]
    foldable = [f for f in findings if f["check"] == UNSAFE_CHECK
                and "fork" in f and not f["fixes"]]
    lines, folded = [], []
    for lead in findings:
        if lead["check"] != FORK_CHECK:
            continue
        calls = [f for f in foldable if f["fork"] == lead.get("fork")]
        child = list(calls)
        lines.append(line(lead, "warning", "%s [%s]" % (lead["message"],
                                                        lead["check"])))
        lines += folded_notes(lead, calls)
        folded += [c for c in child if c not in calls]
    for finding in findings:
        if finding["check"] == FORK_CHECK or finding in folded:
            continue
        lines.append(line(finding, "warning", "%s [%s]" % (
            finding["message"], finding["check"])))
        lines += [line(n, "note", n["message"]) for n in finding["notes"]]
    return "\n".join(lines)


def same_findings(name, tidy_output, other_output):
    expected, got = diagnostics(tidy_output), diagnostics(other_output)
    if expected == got:
        return
    sys.stdout.write("------------------------ %s output -----------\n" % name)
    sys.stdout.write(other_output)
    sys.stdout.write("------------------------------------------------------\n")
    fail("%s and clang-tidy disagree" % name)


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
    parser.add_argument("--clang", required=True)
    parser.add_argument("--compiler-plugin", required=True)
    parser.add_argument("--forksafety", required=True)
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
        with open(temp_file, "w", encoding="utf-8") as f:
            f.write(cleaned)

    # The other front ends read the options from a file: clang-tidy's -config
    # text, which is YAML, or an empty configuration.
    config = "{}"
    for arg in tidy_args:
        if arg.startswith("-config=") or arg.startswith("--config="):
            config = arg.split("=", 1)[1]
        else:
            fail("the other front ends cannot take clang-tidy argument " + arg)
    config_file = args.temp + ".config.yaml"
    with open(config_file, "w", encoding="utf-8") as f:
        f.write(config + "\n")
    checks = "-*," + args.checks

    plugin_arg = ["-Xclang", "-plugin-arg-forksafety", "-Xclang"]
    code, plugin_output = run(
        [args.clang, "-fplugin=" + args.compiler_plugin]
        + plugin_arg + ["checks=" + checks]
        + plugin_arg + ["config-file=" + config_file]
        + ["-c", "-o", args.temp + ".o", temp_file] + clang_args)
    if code != 0:
        sys.stdout.write(plugin_output)
        fail("clang with the compiler plugin exited with status %d" % code)
    same_findings("the compiler plugin", output,
                  plugin_output.replace(temp_file, args.input))
    # forksafety names files relative to the current directory.

    code, tool_output = run(
        [args.forksafety, "--no-cache", "--quiet", "--format=json",
         "--config-file=" + config_file, "--checks=" + checks, temp_file,
         "--"] + clang_args)
    if code not in (0, 1):
        sys.stdout.write(tool_output)
        fail("forksafety exited with status %d" % code)
    same_findings("forksafety", output,
                  report_as_diagnostics(tool_output).replace(
                      os.path.basename(temp_file),
                      os.path.basename(args.input)))


if __name__ == "__main__":
    main()
