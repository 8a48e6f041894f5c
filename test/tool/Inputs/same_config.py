"""Fails unless clang-tidy, forksafety and the compiler plugin read a
configuration the same way.

Usage: same_config.py CLANG_TIDY TIDY_MODULE FORKSAFETY CLANG COMPILER_PLUGIN
                      SOURCE [--config-file=FILE] [--checks=GLOBS]

Compares, for SOURCE:
- the forksafety options of `--dump-config` (which also say which checks are
  enabled), between clang-tidy and forksafety;
- the configuration diagnostics (invalid values, unknown keys) printed by
  clang-tidy, by forksafety and by the compiler plugin.
Prints forksafety's dump, for FileCheck.
"""
import re
import subprocess
import sys

DIAGNOSTIC = re.compile(
    r"(invalid configuration value .*|\S*\.clang-tidy:\d+:\d+: error: .*)$")


def run(command):
    result = subprocess.run(command, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    return result.stdout, result.stderr


def forksafety_options(dump):
    return [line for line in dump.splitlines()
            if line.startswith("  forksafety-")]


def config_diagnostics(text):
    found = []
    for line in text.splitlines():
        match = DIAGNOSTIC.search(line)
        if match and match.group(1) not in found:
            found.append(match.group(1))
    return sorted(found)


def compare(what, tidy, other, name):
    if tidy == other:
        return True
    sys.stderr.write("clang-tidy and %s disagree on %s:\n" % (name, what))
    for line in tidy:
        sys.stderr.write("  clang-tidy: %s\n" % line)
    for line in other:
        sys.stderr.write("  %s: %s\n" % (name, line))
    return False


def main():
    clang_tidy, module, forksafety, clang, plugin, source = sys.argv[1:7]
    extra = sys.argv[7:]
    config_file = [a.split("=", 1)[1] for a in extra
                   if a.startswith("--config-file=")]
    checks = [a.split("=", 1)[1] for a in extra if a.startswith("--checks=")]

    tidy_flags = ["--load=" + module] + extra
    tidy_dump, _ = run([clang_tidy] + tidy_flags + ["--dump-config", source])
    tool_dump, tool_dump_errors = run(
        [forksafety, "--dump-config"] + extra + [source])
    # clang-tidy prints configuration warnings on stdout, errors on stderr.
    tidy_output = "".join(run([clang_tidy] + tidy_flags + [source, "--"]))
    _, tool_errors = run([forksafety, "--no-cache"] + extra +
                         [source, "--"])
    plugin_flags = []
    for value in config_file:
        plugin_flags += ["-Xclang", "-plugin-arg-forksafety", "-Xclang",
                         "config-file=" + value]
    for value in checks:
        plugin_flags += ["-Xclang", "-plugin-arg-forksafety", "-Xclang",
                         "checks=" + value]
    _, plugin_errors = run([clang, "-fplugin=" + plugin] + plugin_flags +
                           ["-fsyntax-only", source])

    same = compare("the options", forksafety_options(tidy_dump),
                   forksafety_options(tool_dump), "forksafety")
    tidy_diagnostics = config_diagnostics(tidy_output)
    same &= compare("the diagnostics", tidy_diagnostics,
                    config_diagnostics(tool_errors + tool_dump_errors),
                    "forksafety")
    same &= compare("the diagnostics", tidy_diagnostics,
                    config_diagnostics(plugin_errors), "the compiler plugin")
    sys.stdout.write(tool_dump)
    sys.stdout.write(tool_errors)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
