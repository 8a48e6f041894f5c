#!/usr/bin/env python3
"""Checks that every fenced code block of the documentation does what the
documentation says it does.

Usage:
  check_doc_blocks.py --source-dir=DIR --build-dir=DIR --clang-tidy=PATH
      --clang=PATH [--sandbox=DIR | --keep-sandbox] [--only=sandbox|source]
      [MARKDOWN...]

Without MARKDOWN files, it reads README.md and every docs/**/*.md of the
source tree. Each fenced code block must carry a directive in an HTML
comment (invisible on GitHub) on the line just before its opening fence:

  <!-- doc-test: run [id=NAME] [project=cmake-project] -->
      A shell block, run in the sandbox (below). Each command (a line, with
      its backslash continuations; comments and blank lines aside) runs on
      its own with bash, and must exit with 0, or with 1 when the command is
      forksafety (findings, not an error). With project=cmake-project, the
      block runs in a fresh copy of test/plugin/Inputs/cmake-project (a
      CMake project of two programs, with P/ next to its CMakeLists.txt).
  <!-- doc-test: run-in-source [id=NAME] -->
      The same, from the source tree itself, for the commands of the
      quick start. Only run with --only=source (lit feature
      forksafety-build-in-source: the build under test is <source>/build).
  <!-- doc-test: output-of NAME -->
      A block of output: its lines must appear, in this order, in what the
      block `id=NAME` printed (standard output and error). Directories
      before a `file:line` are ignored; a `...` line stands for lines left
      out.
  <!-- doc-test: clang-tidy-config -->
      A .clang-tidy: forksafety --dump-config and clang-tidy --dump-config
      (with the module loaded) read it without any message, and show its
      Checks and the value of each of its CheckOptions (an option named
      without a check applies to every forksafety check).
  <!-- doc-test: warns CHECK [wrapper=NAME] -->
  <!-- doc-test: no-warning [wrapper=NAME] -->
      A C or C++ example, analysed with clang-tidy, the compiler plugin and
      forksafety. With `warns`, CHECK alone is enabled, and each front end
      must warn on exactly the lines whose comment starts with
      `// warning`; with `no-warning`, no forksafety check may warn. A
      fragment is compiled inside test/docs/Inputs/wrappers/NAME.c (or
      .cpp), in place of its `@SNIPPET@` line; a `...` line of the example
      stands for code left out and is compiled as an empty statement.
  <!-- doc-test: covered-by PATH -->
      An existing test (PATH, from the source tree, must exist) runs what
      the block shows. A test marked XFAIL shows that the block does not
      work as documented yet: it is counted, and named, as such.
  <!-- doc-test: not-run REASON -->
      Not run, for REASON (services, tools or checkouts a test cannot use).

run and run-in-source apply to ```sh blocks, output-of to blocks without a
language, clang-tidy-config to ```yaml, warns and no-warning to ```c and
```c++; an id names one block only.

The sandbox is a fresh directory outside the source tree (whose .clang-tidy
turns the forksafety checks off), by default a temporary one, removed at
the end unless --keep-sandbox; it holds the paths the documentation uses:
  P/            the build under test installed (cmake --install), with P/bin
                first on PATH, so that `forksafety` is the installed tool
  build/        bin/ and lib/ of the build under test, and the
                compile_commands.json of the sample program (the docs use
                build/ for forksafety's own build and for a project's)
  build_dir/    that compile_commands.json again
  main.c workers.c child.c child.h src/ include/
                the sample program: a thread created in workers.c, a fork in
                main.c whose child calls log_child (child.c); a fork in
                src/spawn.c, called from src/server.c
  spawn.c       examples/worker_pool.c, under the name the docs give it
  obj/          an empty object directory
  examples/     the source tree's examples

The last line of the output counts the blocks run, covered by other tests,
not run, and left to the other mode (--only), so that a change in the
number of tested blocks shows in the test's expected output. The exit
status is 1 when a block has no directive, an unknown or malformed one, or
does not behave as documented.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

DIRECTIVE = re.compile(r"^\s*<!--\s*doc-test:\s*(.*?)\s*-->\s*$")
FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*([\w+-]*)\s*$")
# Each directive with the options it takes and the languages of the blocks
# it applies to (None: any).
KINDS = {
    "run": ({"id", "project"}, {"sh"}),
    "run-in-source": ({"id"}, {"sh"}),
    "output-of": (set(), {""}),
    "clang-tidy-config": (set(), {"yaml"}),
    "warns": ({"wrapper"}, {"c", "c++", "cpp"}),
    "no-warning": ({"wrapper"}, {"c", "c++", "cpp"}),
    "covered-by": (set(), None),
    "not-run": (set(), None),
}
WRAPPERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Inputs",
                        "wrappers")
# A file:line location, with the directories before it.
LOCATION_DIRS = re.compile(r"(?:[\w.+-]*/)+(?=[\w.+-]+:\d+)")
# A finding: a warning, or in forksafety's text report an unsafe call folded
# into its child's fork finding as a note that keeps its check's name.
DIAGNOSTIC = re.compile(
    r"^(\S+?):(\d+):(\d+): (?:warning|note): .*\[(forksafety-[a-z-]+)\]$")
WARNING_COMMENT = re.compile(r"//\s*warning\b")


class Block:
    def __init__(self, path, line, language, lines, directive):
        self.path, self.line, self.language = path, line, language
        self.lines, self.directive = lines, directive
        words = directive.split() if directive else []
        self.kind = words[0] if words else None
        self.arguments = words[1:]
        self.options = dict(word.split("=", 1) for word in self.arguments
                            if "=" in word)

    def where(self):
        return "%s:%d" % (self.path, self.line)

    def text(self):
        return "\n".join(self.lines) + "\n"


def read_blocks(path, shown_path):
    """The fenced code blocks of a Markdown file, dedented to their fence."""
    lines = open(path, encoding="utf-8").read().splitlines()
    blocks, index = [], 0
    while index < len(lines):
        fence = FENCE.match(lines[index])
        if not fence:
            index += 1
            continue
        indent, marker, language = fence.groups()
        end = index + 1
        while end < len(lines) and lines[end].strip() != marker:
            end += 1
        body = [line[len(indent):] if line.startswith(indent) else line
                for line in lines[index + 1:end]]
        previous = DIRECTIVE.match(lines[index - 1]) if index else None
        blocks.append(Block(shown_path, index + 1, language, body,
                            previous.group(1) if previous else None))
        index = end + 1
    return blocks


class Checker:
    def __init__(self, args):
        self.args = args
        self.errors = 0
        self.counts = {"run": 0, "covered": 0, "xfail": 0, "not-run": 0,
                       "other": 0}
        self.outputs = {}

    def fail(self, block, message, details=""):
        self.errors += 1
        sys.stdout.write("%s: error: %s\n" % (block.where(), message))
        if details:
            sys.stdout.write("".join("  | " + line + "\n"
                                     for line in details.splitlines()))

    # Directives.

    def validate(self, block, ids):
        """Whether the block's directive is well-formed; reports it if not."""
        if block.directive is None:
            self.fail(block, "code block without a doc-test directive on the "
                      "line before its fence")
            return False
        if block.kind not in KINDS:
            self.fail(block, "unknown doc-test directive '%s'" % block.kind)
            return False
        options, languages = KINDS[block.kind]
        if languages is not None and block.language not in languages:
            self.fail(block, "'%s' does not apply to a block of language "
                      "'%s'" % (block.kind, block.language))
            return False
        unknown = sorted(set(block.options) - options)
        if block.kind != "not-run" and unknown:
            self.fail(block, "'%s' takes no option '%s'" % (block.kind,
                                                            unknown[0]))
            return False
        if block.kind in ("covered-by", "output-of") and \
                len(block.arguments) != 1:
            self.fail(block, "'%s' needs one argument" % block.kind)
            return False
        if block.kind == "warns" and not (
                block.arguments and block.arguments[0].startswith("forksafety-")):
            self.fail(block, "'warns' needs the name of a forksafety check")
            return False
        if "wrapper" in block.options and not os.path.isfile(
                self.wrapper_path(block)):
            self.fail(block, "no wrapper '%s' in %s" %
                      (block.options["wrapper"], WRAPPERS))
            return False
        if block.kind == "not-run" and not block.arguments:
            self.fail(block, "'not-run' needs a reason")
            return False
        if block.kind == "covered-by" and not os.path.exists(
                os.path.join(self.args.source_dir, block.arguments[0])):
            self.fail(block, "covered-by names '%s', which does not exist" %
                      block.arguments[0])
            return False
        if block.kind == "output-of" and block.arguments[0] not in ids:
            self.fail(block, "output-of names '%s', but no block has "
                      "id=%s" % (block.arguments[0], block.arguments[0]))
            return False
        return True

    def note_expected_failure(self, block):
        test = os.path.join(self.args.source_dir, block.arguments[0])
        if os.path.isfile(test) and re.search(
                r"^(#\s*|//\s*)?XFAIL:", open(test).read(), re.MULTILINE):
            self.counts["xfail"] += 1
            print("%s: note: %s is expected to fail: the block does not work "
                  "as documented yet" % (block.where(), block.arguments[0]))

    def mode_of(self, block, producers):
        """sandbox or source: the mode that runs the block."""
        if block.kind == "run-in-source":
            return "source"
        if block.kind == "output-of":
            return self.mode_of(producers[block.arguments[0]], producers)
        return "sandbox"

    def producers(self, blocks):
        """The blocks with an id, by id, and the blocks that reuse an id
        (reported)."""
        producers, reused = {}, []
        for block in blocks:
            name = block.options.get("id") if block.kind in (
                "run", "run-in-source") else None
            if name in producers:
                self.fail(block, "id=%s is also the id of the block at %s" %
                          (name, producers[name].where()))
                reused.append(block)
            elif name:
                producers[name] = block
        return producers, reused

    def check(self, blocks):
        producers, reused = self.producers(blocks)
        valid = [block for block in blocks if block not in reused and
                 self.validate(block, producers)]
        # Producers first, so that their output is there for output-of.
        valid.sort(key=lambda block: block.kind == "output-of")
        for block in valid:
            if block.kind == "covered-by":
                self.counts["covered"] += 1
                self.note_expected_failure(block)
            elif block.kind == "not-run":
                self.counts["not-run"] += 1
            elif self.args.only and \
                    self.mode_of(block, producers) != self.args.only:
                self.counts["other"] += 1
            else:
                self.counts["run"] += 1
                getattr(self, "check_" + block.kind.replace("-", "_"))(block)

    # Shell blocks.

    def environment(self):
        env = dict(os.environ)
        env["PATH"] = os.path.join(self.args.sandbox, "P", "bin") + \
            os.pathsep + env["PATH"]
        env["XDG_CACHE_HOME"] = os.path.join(self.args.sandbox, ".cache")
        return env

    @staticmethod
    def commands(block):
        """The block's commands: lines joined with their continuations,
        without blank and comment lines."""
        commands, current = [], ""
        for line in block.lines:
            current += line + "\n"
            if line.endswith("\\"):
                continue
            if current.strip() and not current.strip().startswith("#"):
                commands.append(current.strip())
            current = ""
        return commands

    @staticmethod
    def program(command):
        words = [word for word in command.split() if "=" not in word]
        return os.path.basename(words[0]) if words else ""

    def run_commands(self, block, directory):
        output = ""
        for command in self.commands(block):
            result = subprocess.run(["bash", "-c", command], cwd=directory,
                                    env=self.environment(),
                                    stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True)
            output += result.stdout
            allowed = {0, 1} if self.program(command) == "forksafety" else {0}
            if result.returncode not in allowed:
                self.fail(block, "'%s' exited with %d" %
                          (command, result.returncode), result.stdout)
        if "id" in block.options:
            self.outputs[block.options["id"]] = output

    def check_run(self, block):
        project = block.options.get("project")
        if project is None:
            self.run_commands(block, self.args.sandbox)
            return
        if project != "cmake-project":
            self.fail(block, "unknown project '%s'" % project)
            return
        copy = self.scratch("project", block)
        inputs = os.path.join(self.args.source_dir, "test", "plugin", "Inputs")
        for name in (project, "programs"):
            shutil.copytree(os.path.join(inputs, name),
                            os.path.join(copy, name))
        os.symlink(os.path.join(self.args.sandbox, "P"),
                   os.path.join(copy, project, "P"))
        self.run_commands(block, os.path.join(copy, project))

    def check_run_in_source(self, block):
        self.run_commands(block, self.args.source_dir)

    def check_output_of(self, block):
        name = block.arguments[0]
        printed = [LOCATION_DIRS.sub("", line).rstrip()
                   for line in self.outputs.get(name, "").splitlines()]
        position = 0
        for line in block.lines:
            if line.strip() == "...":
                continue
            shown = LOCATION_DIRS.sub("", line).rstrip()
            while position < len(printed) and printed[position] != shown:
                position += 1
            if position == len(printed):
                self.fail(block, "the block id=%s did not print (after the "
                          "lines before it) '%s'" % (name, line),
                          self.outputs.get(name, ""))
                return
            position += 1

    # .clang-tidy blocks.

    def dump_config(self, block, command, directory):
        result = subprocess.run(command, cwd=directory, env=self.environment(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        if result.returncode != 0 or result.stderr.strip():
            self.fail(block, "'%s' exited with %d" %
                      (" ".join(command), result.returncode), result.stderr)
            return None
        return yaml.safe_load(result.stdout)

    @staticmethod
    def option_value(value):
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    @staticmethod
    def options(config):
        options = config.get("CheckOptions") or {}
        if isinstance(options, list):
            options = {entry["key"]: entry["value"] for entry in options}
        return {key: Checker.option_value(value)
                for key, value in options.items()}

    def check_shows(self, block, tool, config, dumped):
        checks = re.sub(r"\s", "", config.get("Checks", ""))
        shown = re.sub(r"\s", "", dumped.get("Checks", ""))
        if checks and not shown.endswith(checks):
            self.fail(block, "%s --dump-config shows Checks '%s'" %
                      (tool, shown))
        dumped_options = self.options(dumped)
        for key, value in self.options(config).items():
            keys = [key] if "." in key else [
                name for name in dumped_options
                if name.startswith("forksafety-") and
                name.endswith("." + key)]
            if not keys or any(dumped_options.get(name) != value
                               for name in keys):
                self.fail(block, "%s --dump-config does not show %s: %s" %
                          (tool, key, value))

    def check_clang_tidy_config(self, block):
        directory = self.scratch("config", block)
        with open(os.path.join(directory, ".clang-tidy"), "w") as file:
            file.write(block.text())
        try:
            config = yaml.safe_load(block.text())
        except yaml.YAMLError as error:
            self.fail(block, "not YAML: %s" % error)
            return
        tools = [("forksafety", [os.path.join(self.args.build_dir, "bin",
                                              "forksafety"), "--dump-config"]),
                 ("clang-tidy", [self.args.clang_tidy, "--load=" +
                                 self.tidy_module(), "--dump-config"])]
        for tool, command in tools:
            dumped = self.dump_config(block, command, directory)
            if dumped is not None:
                self.check_shows(block, tool, config, dumped)

    # C and C++ examples.

    def tidy_module(self):
        return os.path.join(self.args.build_dir, "lib",
                            "libForkSafetyTidyModule.so")

    def scratch(self, what, block):
        directory = os.path.join(self.args.sandbox, "blocks", "%s-%s-%d" % (
            what, block.path.replace("/", "_"), block.line))
        os.makedirs(directory, exist_ok=True)
        return directory

    @staticmethod
    def extension(block):
        return ".c" if block.language == "c" else ".cpp"

    def wrapper_path(self, block):
        return os.path.join(WRAPPERS, block.options["wrapper"] +
                            self.extension(block))

    def compiled_example(self, block):
        """Writes the example, in its wrapper if any, and returns the file
        and the line of the wrapper where the example starts."""
        extension = self.extension(block)
        lines = [";" if line.strip() == "..." else line
                 for line in block.lines]
        offset = 0
        if "wrapper" in block.options:
            wrapper = open(self.wrapper_path(block)).read()
            before, after = wrapper.split("@SNIPPET@\n")
            offset = before.count("\n")
            lines = before.splitlines() + lines + after.splitlines()
        path = os.path.join(self.scratch("example", block), "example" +
                            extension)
        with open(path, "w") as file:
            file.write("\n".join(lines) + "\n")
        return path, offset

    def warned_lines(self, output, offset):
        return sorted({int(match.group(2)) - offset
                       for match in map(DIAGNOSTIC.match, output.splitlines())
                       if match})

    def front_ends(self, path, checks):
        plugin = os.path.join(self.args.build_dir, "lib",
                              "ForkSafetyClangPlugin.so")
        return {
            "clang-tidy": [self.args.clang_tidy, "--load=" + self.tidy_module(),
                           "--checks=" + checks, path, "--"],
            "compiler plugin": [self.args.clang, "-fplugin=" + plugin,
                                "-Xclang", "-plugin-arg-forksafety", "-Xclang",
                                "checks=" + checks, "-fsyntax-only", path],
            "forksafety": [os.path.join(self.args.build_dir, "bin",
                                        "forksafety"), "--no-cache",
                           "--checks=" + checks, path, "--"],
        }

    def check_example(self, block, checks, expected):
        path, offset = self.compiled_example(block)
        for name, command in self.front_ends(path, checks).items():
            result = subprocess.run(command, cwd=os.path.dirname(path),
                                    env=self.environment(),
                                    stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True)
            if result.returncode not in (0, 1) or " error: " in result.stdout:
                self.fail(block, "%s cannot compile the example" % name,
                          result.stdout)
                continue
            warned = self.warned_lines(result.stdout, offset)
            if warned != expected:
                self.fail(block, "%s warns on lines %s of the example, the "
                          "documentation on lines %s" % (name, warned, expected),
                          result.stdout)

    def check_warns(self, block):
        expected = [number for number, line in enumerate(block.lines, 1)
                    if WARNING_COMMENT.search(line)]
        if not expected:
            self.fail(block, "the example says it warns, but no line has a "
                      "'// warning' comment")
            return
        self.check_example(block, "-*," + block.arguments[0], expected)

    def check_no_warning(self, block):
        self.check_example(block, "-*,forksafety-*", [])


def make_sandbox(args):
    """Lays out the paths the documentation uses (see the docstring)."""
    sandbox, source = args.sandbox, args.source_dir
    inputs = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          "Inputs", "sandbox")
    shutil.rmtree(sandbox, ignore_errors=True)
    shutil.copytree(inputs, sandbox)
    shutil.copytree(os.path.join(source, "examples"),
                    os.path.join(sandbox, "examples"))
    shutil.copy(os.path.join(source, "examples", "worker_pool.c"),
                os.path.join(sandbox, "spawn.c"))
    program = os.path.join(source, "test", "tool", "Inputs", "program")
    for name in ("main.c", "workers.c", "child.c", "child.h"):
        shutil.copy(os.path.join(program, name), sandbox)
    subprocess.run(["cmake", "--install", args.build_dir, "--prefix",
                    os.path.join(sandbox, "P")], check=True,
                   stdout=subprocess.DEVNULL)
    # The object directory of a build, for summaries written next to objects.
    os.makedirs(os.path.join(sandbox, "obj"))
    for directory in ("build", "build_dir"):
        os.makedirs(os.path.join(sandbox, directory))
        with open(os.path.join(sandbox, directory,
                               "compile_commands.json"), "w") as file:
            file.write(compile_commands(sandbox))
    for directory in ("bin", "lib"):
        os.symlink(os.path.join(args.build_dir, directory),
                   os.path.join(sandbox, "build", directory))


def compile_commands(sandbox):
    sources = ["main.c", "workers.c", "child.c", "src/server.c",
               "src/spawn.c"]
    entries = ['  {"directory": "%s", "file": "%s",\n'
               '   "command": "cc -c -Iinclude %s"}' % (sandbox, source, source)
               for source in sources]
    return "[\n" + ",\n".join(entries) + "\n]\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--sandbox")
    parser.add_argument("--keep-sandbox", action="store_true")
    parser.add_argument("--clang-tidy", required=True)
    parser.add_argument("--clang", required=True)
    parser.add_argument("--only", choices=["sandbox", "source"])
    parser.add_argument("markdown", nargs="*")
    args = parser.parse_args()
    args.source_dir = os.path.abspath(args.source_dir)
    args.build_dir = os.path.abspath(args.build_dir)
    temporary = args.sandbox is None
    args.sandbox = os.path.abspath(args.sandbox) if args.sandbox else \
        tempfile.mkdtemp(prefix="forksafety-doc-test-")
    if args.only == "source" and os.path.realpath(args.build_dir) != \
            os.path.realpath(os.path.join(args.source_dir, "build")):
        parser.error("the quick start's commands build <source>/build, which "
                     "is not the build under test %s" % args.build_dir)
    if os.path.commonpath([args.sandbox, args.source_dir]) == args.source_dir:
        parser.error("the sandbox %s is inside the source tree, whose "
                     ".clang-tidy would apply to it" % args.sandbox)

    files = args.markdown or ["README.md"] + sorted(glob.glob(
        "docs/**/*.md", root_dir=args.source_dir, recursive=True))
    blocks = []
    for name in files:
        path = name if os.path.isabs(name) or args.markdown else \
            os.path.join(args.source_dir, name)
        blocks += read_blocks(path, name)
    make_sandbox(args)
    checker = Checker(args)
    checker.check(blocks)
    counts = checker.counts
    expected_failures = (" (%d of them expected to fail)" % counts["xfail"]
                         if counts["xfail"] else "")
    print("doc-test: %d blocks: %d run, %d covered by other tests%s, %d not "
          "run, %d left to the other mode, %d errors" % (
              len(blocks), counts["run"], counts["covered"],
              expected_failures, counts["not-run"], counts["other"],
              checker.errors))
    if temporary and not args.keep_sandbox:
        shutil.rmtree(args.sandbox)
    else:
        print("doc-test: the sandbox is kept in %s" % args.sandbox)
    return 1 if checker.errors else 0


if __name__ == "__main__":
    sys.exit(main())
