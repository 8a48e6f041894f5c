"""Fails unless two outputs hold the same diagnostics.

Usage: same_diagnostics.py CLANG_TIDY_OUTPUT FORKSAFETY_JSON_REPORT
Compares the warnings of clang-tidy, each with its notes, with the findings
of the JSON report shown as clang-tidy shows them (one cause once), file
names reduced to their last component: the comparison of the checker tests'
driver, check_clang_tidy.py.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", ".."))
from check_clang_tidy import diagnostics, report_as_diagnostics  # noqa: E402

with open(sys.argv[1]) as output:
    tidy = diagnostics(output.read())
with open(sys.argv[2]) as report:
    tool = diagnostics(report_as_diagnostics(report.read()))
if tidy != tool:
    sys.stderr.write("clang-tidy and forksafety disagree:\n")
    for finding in tidy:
        sys.stderr.write("".join("  tidy: %s\n" % line for line in finding))
    for finding in tool:
        sys.stderr.write("".join("  tool: %s\n" % line for line in finding))
    sys.exit(1)
if not tidy:
    sys.stderr.write("no diagnostics to compare\n")
    sys.exit(1)
print("%d findings agree" % len(tidy))
