"""Runs a command with a directory on a full file system.

Usage: on_full_disk.py DIR COMMAND [ARG...]
Run inside a mount namespace of its own (unshare -m): mounts a small tmpfs
on DIR, makes DIR/cache and DIR/report.txt (holding "an earlier report"),
fills the file system, and runs the command. Then prints the command's exit
status, every file left under DIR, and DIR/report.txt, which the mount
namespace hides once it ends.
"""
import os
import subprocess
import sys

directory = sys.argv[1]
subprocess.check_call(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs",
                       directory])
os.mkdir(os.path.join(directory, "cache"))
with open(os.path.join(directory, "report.txt"), "w") as report:
    report.write("an earlier report\n")
filler = os.path.join(directory, "filler")
try:
    with open(filler, "wb") as fill:
        while True:
            fill.write(b"\0" * 4096)
            fill.flush()
except OSError:
    pass

sys.stdout.flush()
status = subprocess.call(sys.argv[2:])
print("exit status: %d" % status)
for root, dirs, files in sorted(os.walk(directory)):
    for name in sorted(dirs + files):
        path = os.path.relpath(os.path.join(root, name), directory)
        if path != "filler":
            print("left: " + path)
with open(os.path.join(directory, "report.txt")) as report:
    print("report.txt: " + report.read().strip())
