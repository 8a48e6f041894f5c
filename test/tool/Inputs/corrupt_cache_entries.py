"""Corrupts three entries of a forksafety cache directory, each its own way.

The first entry that holds a function's path graph gets one digit of that
graph changed (its checksum no longer holds); another is cut within its
list of files read; the third becomes a summary of another layout. Entries
are named by a key that changes with the tool's build, so each is chosen
by what it holds, not by its name.
"""

import glob
import sys

GRAPH = b'{"paths":{"analysed":true,"nodes":"'

paths = sorted(glob.glob(sys.argv[1] + "/*.entry"))
texts = {path: open(path, "rb").read() for path in paths}
with_graph = next(path for path in paths if GRAPH in texts[path])
others = [path for path in paths if path != with_graph]
if len(others) < 2:
    sys.exit("expected at least three cache entries in " + sys.argv[1])

text = texts[with_graph]
at = text.index(GRAPH) + len(GRAPH)
digit = b"8" if text[at:at + 1] == b"9" else b"9"
open(with_graph, "wb").write(text[:at] + digit + text[at + 1:])
cut = texts[others[0]]
open(others[0], "wb").write(cut[:cut.index(b"\0")])
open(others[1], "wb").write(b'{"format": "forksafety-summary"}')
