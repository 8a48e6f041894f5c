"""Interrupts a command at growing delays until it completes.

Usage: interrupt.py DIR COMMAND [ARG...]
Runs the command again and again, each time sending SIGTERM or SIGINT (in
turn) a little later, until a run ends on its own. After each run, no
temporary file may be left under DIR. Prints the warnings of every run,
for FileCheck. Every run has a time limit, so that a command that hangs
fails the test instead.
"""
import os
import signal
import subprocess
import sys
import tempfile

directory, command = sys.argv[1], sys.argv[2:]
LIMIT = 120


def temporary_files():
    return [os.path.join(root, name)
            for root, _, files in os.walk(directory)
            for name in files if name.endswith(".tmp")]


interrupted = 0
delay = 0.02
for attempt in range(100):
    errors = tempfile.TemporaryFile()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                               stderr=errors)
    try:
        process.wait(timeout=delay)
        completed = True
    except subprocess.TimeoutExpired:
        completed = False
        process.send_signal(signal.SIGTERM if attempt % 2 == 0
                            else signal.SIGINT)
    try:
        process.wait(timeout=LIMIT)
    except subprocess.TimeoutExpired:
        process.kill()
        sys.exit("interrupt: the command did not stop after a signal")
    errors.seek(0)
    for line in errors.read().decode(errors="replace").splitlines():
        if "warning" in line or "error" in line:
            print("run %d: %s" % (attempt, line))
    if completed:
        break
    if process.returncode < 0:
        interrupted += 1
    left = temporary_files()
    if left:
        sys.exit("interrupt: temporary files left: " + " ".join(left))
    delay *= 1.3
else:
    sys.exit("interrupt: the command never completed")
if process.returncode < 0:
    sys.exit("interrupt: the last run was killed")
if temporary_files():
    sys.exit("interrupt: temporary files left: " +
             " ".join(temporary_files()))
print("interrupted runs: %s" % ("some" if interrupted else "none"))
print("last run exit status: %d" % process.returncode)
print("temporary files left: none")
