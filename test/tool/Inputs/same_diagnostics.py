"""Fails unless two outputs hold the same diagnostics.

Usage: same_diagnostics.py CLANG_TIDY_OUTPUT FORKSAFETY_JSON_REPORT
Compares the 'file:line:col: warning|note: message' lines of clang-tidy, in
order, with the findings and notes of the JSON report (one result per
finding, as clang-tidy reports them), file names reduced to their last
component.
"""
import json
import os
import re
import sys

DIAGNOSTIC = re.compile(r"^(\S+?):(\d+):(\d+): (warning|note): (.*)$")


def diagnostics(path):
    found = []
    with open(path) as output:
        for line in output:
            match = DIAGNOSTIC.match(line.rstrip("\n"))
            if match:
                found.append("%s:%s:%s: %s: %s" % (
                    os.path.basename(match.group(1)), match.group(2),
                    match.group(3), match.group(4), match.group(5)))
    return found


def report_diagnostics(path):
    def line(place, kind, message):
        return "%s:%d:%d: %s: %s" % (os.path.basename(place["file"]),
                                     place["line"], place["column"], kind,
                                     message)
    found = []
    with open(path) as report:
        for finding in json.load(report)["findings"]:
            found.append(line(finding, "warning", "%s [%s]" % (
                finding["message"], finding["check"])))
            for note in finding["notes"]:
                found.append(line(note, "note", note["message"]))
    return found


tidy, tool = diagnostics(sys.argv[1]), report_diagnostics(sys.argv[2])
if tidy != tool:
    sys.stderr.write("clang-tidy and forksafety disagree:\n")
    for line in tidy:
        sys.stderr.write("  tidy: %s\n" % line)
    for line in tool:
        sys.stderr.write("  tool: %s\n" % line)
    sys.exit(1)
if not tidy:
    sys.stderr.write("no diagnostics to compare\n")
    sys.exit(1)
print("%d diagnostics agree" % len(tidy))
