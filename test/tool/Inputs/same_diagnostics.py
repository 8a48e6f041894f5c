"""Fails unless two outputs hold the same diagnostics.

Usage: same_diagnostics.py CLANG_TIDY_OUTPUT FORKSAFETY_OUTPUT
Compares the 'file:line:col: warning|note: message' lines in order, file
names reduced to their last component.
"""
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


tidy, tool = diagnostics(sys.argv[1]), diagnostics(sys.argv[2])
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
