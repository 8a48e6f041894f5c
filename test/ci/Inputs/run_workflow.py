"""Checks docs/ci/github-workflow.yml and runs its audit step.

Usage: run_workflow.py WORKFLOW PROJECT_DIR

Checks what GitHub needs for code scanning (the security-events permission,
an upload-sarif step that uploads the file the audit writes, with the
audit's category), then runs the audit step's script with sh in PROJECT_DIR,
as the runner would, and prints the status it recorded for the later steps.
"""
import os
import re
import subprocess
import sys
import tempfile

import yaml


def fail(message):
    sys.stderr.write("error: %s\n" % message)
    sys.exit(1)


def main():
    workflow_path, project = sys.argv[1:3]
    with open(workflow_path) as stream:
        workflow = yaml.safe_load(stream)
    if workflow.get("permissions", {}).get("security-events") != "write":
        fail("the workflow may not upload SARIF (permissions)")
    steps = workflow["jobs"]["audit"]["steps"]
    audit = next((s for s in steps if s.get("id") == "audit"), None)
    upload = next((s for s in steps if "upload-sarif" in s.get("uses", "")),
                  None)
    if not audit or not upload:
        fail("no audit step or no upload-sarif step")
    output = re.search(r"-o (\S+)", audit["run"])
    category = re.search(r"--category=(\S+)", audit["run"])
    if not output or upload["with"]["sarif_file"] != output.group(1):
        fail("upload-sarif does not upload the audit's report")
    if not category or upload["with"]["category"] != category.group(1):
        fail("upload-sarif and the audit name different categories")
    with tempfile.NamedTemporaryFile("r", suffix=".env") as outputs:
        env = dict(os.environ, GITHUB_OUTPUT=outputs.name)
        result = subprocess.run(["sh", "-e", "-c", audit["run"]], cwd=project,
                                env=env)
        recorded = outputs.read().strip()
    print("audit step exit status %d, %s" % (result.returncode, recorded))
    sarif = os.path.join(project, output.group(1))
    print("report %s" % ("written" if os.path.exists(sarif) else "missing"))


if __name__ == "__main__":
    main()
