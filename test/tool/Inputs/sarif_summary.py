"""Prints what a SARIF log shows, one fact a line, for FileCheck.

run ...            the run's category, column kind and invocation
notification ...   each tool execution notification
rule ...           each rule's descriptions, help link and help page links
result ...         each result, followed by its message, related locations,
                   code flow steps, fingerprint and fixes, indented
run fingerprints   how many results' fingerprints there are, how many differ
"""
import json
import re
import sys


def place(physical):
    uri = physical["artifactLocation"]["uri"]
    region = physical.get("region")
    if not region:
        return uri
    return "%s:%d:%d" % (uri, region["startLine"], region.get("startColumn", 0))


def print_run(run):
    print("run category=%s" % run.get("automationDetails", {}).get("id", "-"))
    print("run columnKind=%s" % run["columnKind"])
    for invocation in run["invocations"]:
        print("run executionSuccessful=%s" %
              json.dumps(invocation["executionSuccessful"]))
        for note in invocation["toolExecutionNotifications"]:
            where = [place(l["physicalLocation"]) for l in note["locations"]]
            print("notification %s %s: %s" % (note["level"], " ".join(where),
                                              note["message"]["text"]))


def print_rules(run):
    for rule in run["tool"]["driver"]["rules"]:
        name = rule["id"]
        print("rule %s short: %s" % (name, rule["shortDescription"]["text"]))
        print("rule %s full: %s" % (name, rule["fullDescription"]["text"]))
        print("rule %s helpUri: %s" % (name, rule.get("helpUri", "-")))
        for target in re.findall(r"\]\(([^)]*)\)", rule["help"]["markdown"]):
            print("rule %s link: %s" % (name, target))


def print_result(result):
    locations = result.get("locations", [])
    where = place(locations[0]["physicalLocation"]) if locations else "-"
    suppressions = ",".join(s["kind"] for s in result.get("suppressions", []))
    print("result %s %s baseline=%s suppressions=%s" % (
        result.get("ruleId", "-"), where, result.get("baselineState", "-"),
        suppressions or "-"))
    if "kind" in result:
        print("  kind %s level %s" % (result["kind"], result["level"]))
    print("  message: %s" % result["message"]["text"])
    for related in result.get("relatedLocations", []):
        print("  related %d %s: %s" % (related["id"],
                                       place(related["physicalLocation"]),
                                       related["message"]["text"]))
    for flow in result.get("codeFlows", []):
        for thread in flow["threadFlows"]:
            for step in thread["locations"]:
                location = step["location"]
                print("  flow %s: %s" % (place(location["physicalLocation"]),
                                         location["message"]["text"]))
    for key, value in sorted(result.get("partialFingerprints", {}).items()):
        print("  fingerprint %s %s" % (key, value))
    for fix in result.get("fixes", []):
        for change in fix["artifactChanges"]:
            for replacement in change["replacements"]:
                region = replacement["deletedRegion"]
                print("  fix %s %d:%d-%d:%d %s" % (
                    change["artifactLocation"]["uri"], region["startLine"],
                    region["startColumn"], region["endLine"],
                    region["endColumn"], replacement["insertedContent"]["text"]))


with open(sys.argv[1]) as log:
    for run in json.load(log)["runs"]:
        print_run(run)
        print_rules(run)
        fingerprints = []
        for result in run["results"]:
            print_result(result)
            fingerprints += result.get("partialFingerprints", {}).values()
        print("run fingerprints: %d, %d distinct" % (len(fingerprints),
                                                     len(set(fingerprints))))
