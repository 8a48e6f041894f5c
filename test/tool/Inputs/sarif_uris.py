"""Prints every artifact location of a SARIF log once: "BASE URI", sorted."""
import json
import sys


def locations(value):
    if isinstance(value, dict):
        if "artifactLocation" in value:
            artifact = value["artifactLocation"]
            yield "%s %s" % (artifact.get("uriBaseId", "-"), artifact["uri"])
        for item in value.values():
            yield from locations(item)
    elif isinstance(value, list):
        for item in value:
            yield from locations(item)


with open(sys.argv[1]) as log:
    for line in sorted(set(locations(json.load(log)))):
        print(line)
