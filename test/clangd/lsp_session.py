#!/usr/bin/env python3
"""Drives forksafety-clangd over stdio like an editor and prints what it says.

Usage: lsp_session.py [--json] [--no-related-information] CLANGD SOURCE
                      [CLANGD_ARGS...]

Opens SOURCE, waits for its diagnostics, asks for the code actions of each
forksafety diagnostic, and prints one line per diagnostic, related
information entry and code action, for FileCheck. With --json, it prints
instead each published diagnostic as clangd sent it, on a line of its own
(keys sorted). With --no-related-information, the client does not announce
support for related information, as editors without it do not.
"""

import argparse
import json
import os
import subprocess
import sys
import threading


class Server:
    def __init__(self, command):
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.timer = threading.Timer(60, self.process.kill)
        self.timer.start()

    def send(self, message):
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body))
        self.process.stdin.write(body)
        self.process.stdin.flush()

    def receive(self):
        length = None
        while True:
            line = self.process.stdout.readline()
            if not line:
                sys.exit("forksafety-clangd closed its output")
            line = line.strip()
            if not line:
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return json.loads(self.process.stdout.read(length))

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method,
                   "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.next_id and "method" not in message:
                return message.get("result")

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_for(self, method, uri):
        # clangd also publishes diagnostics of the .clangd files it reads.
        while True:
            message = self.receive()
            if (message.get("method") == method
                    and message["params"].get("uri") == uri):
                return message["params"]

    def close(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        self.process.wait(timeout=30)
        self.timer.cancel()


def position(p):
    return "%d:%d" % (p["line"] + 1, p["character"] + 1)


def parse_arguments():
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-related-information", action="store_true")
    parser.add_argument("clangd")
    parser.add_argument("source")
    parser.add_argument("clangd_args", nargs=argparse.REMAINDER)
    return parser.parse_args()


def main():
    args = parse_arguments()
    source = os.path.abspath(args.source)
    server = Server([args.clangd, "--log=error"] + args.clangd_args)
    uri = "file://" + source
    diagnostics_capabilities = {}
    if not args.no_related_information:
        diagnostics_capabilities["relatedInformation"] = True
    server.request("initialize", {
        "processId": os.getpid(), "rootUri": None,
        "capabilities": {"textDocument": {
            "publishDiagnostics": diagnostics_capabilities,
            "codeAction": {"codeActionLiteralSupport": {
                "codeActionKind": {"valueSet": ["quickfix"]}}}}}})
    server.notify("initialized", {})
    with open(source, encoding="utf-8") as f:
        text = f.read()
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "c", "version": 1, "text": text}})
    diagnostics = server.wait_for("textDocument/publishDiagnostics", uri)
    in_order = sorted(diagnostics["diagnostics"],
                      key=lambda d: (d["range"]["start"]["line"],
                                     d["range"]["start"]["character"],
                                     d["message"]))
    if args.json:
        for d in in_order:
            print(json.dumps(d, sort_keys=True))
        server.close()
        return
    for d in in_order:
        print("diagnostic %s [%s] %s" % (position(d["range"]["start"]),
                                         d.get("code", ""), d["message"]))
        for info in d.get("relatedInformation", []):
            print("  related %s %s" % (position(info["location"]["range"]["start"]),
                                       info["message"]))
        if not str(d.get("code", "")).startswith("forksafety-"):
            continue
        actions = server.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": d["range"],
            "context": {"diagnostics": [d]}}) or []
        for action in actions:
            edits = action.get("edit", {}).get("changes", {}).get(uri, [])
            print("  action '%s' %s" % (action.get("title", ""), " ".join(
                "%s->%s" % (position(e["range"]["start"]), e["newText"])
                for e in edits)))
    server.close()


if __name__ == "__main__":
    main()
