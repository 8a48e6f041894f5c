# lit configuration of the forksafety test suite.
import os

import lit.formats

config.name = "forksafety"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".c", ".cpp", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "check_clang_tidy.py",
                   "lsp_session.py", "expect_exit.py", "on_full_disk.py",
                   "interrupt.py", "check_doc_blocks.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.forksafety_binary_dir, "test")

config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])

runner = os.path.join(config.test_source_root, "check_clang_tidy.py")
config.substitutions.append((
    "%check_clang_tidy",
    "%s %s --clang-tidy=%s --plugin=%s --filecheck=%s --clang=%s "
    "--compiler-plugin=%s --forksafety=%s" % (
        config.python_executable, runner, config.clang_tidy,
        config.forksafety_plugin,
        os.path.join(config.llvm_tools_dir, "FileCheck"),
        os.path.join(config.llvm_tools_dir, "clang"),
        config.forksafety_compiler_plugin,
        os.path.join(config.forksafety_binary_dir, "bin", "forksafety"))))
config.substitutions.append(("%clang_tidy", config.clang_tidy))
# %compiler_plugin before %plugin, which is a suffix of it.
config.substitutions.append(("%compiler_plugin",
                             config.forksafety_compiler_plugin))
config.substitutions.append(("%plugin", config.forksafety_plugin))
config.substitutions.append(("%mocks", os.path.join(
    config.test_source_root, "Inputs", "include")))
config.substitutions.append(("%llvm_major", config.forksafety_llvm_major))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%clang", os.path.join(config.llvm_tools_dir,
                                                   "clang")))
config.substitutions.append(("%expect_exit", "%s %s" % (
    config.python_executable,
    os.path.join(config.test_source_root, "expect_exit.py"))))
# Microsoft's SARIF validator (npm @microsoft/sarif-multitool).
if config.sarif_multitool:
    config.available_features.add("sarif-multitool")
    config.substitutions.append(("%sarif_multitool", config.sarif_multitool))

clangd = os.path.join(config.forksafety_binary_dir, "bin", "forksafety-clangd")
if os.path.exists(clangd):
    config.available_features.add("forksafety-clangd")
    config.substitutions.append(("%forksafety_clangd", clangd))

# Build engines the compiler plugin is tested with; their tests are skipped
# (and reported as skipped) where the tools are missing.
import shutil
import subprocess

if shutil.which("ccache"):
    config.available_features.add("ccache")
if shutil.which("redis-server"):
    config.available_features.add("redis-server")
if all(shutil.which(tool) for tool in
       ["icecc", "iceccd", "icecc-scheduler", "icecc-create-env"]):
    config.available_features.add("icecream")
# Section 2 of the Linux man-pages, the source of the linux profile's table
# (minimal images may leave manual pages out even when installed).
if os.path.exists("/usr/share/man/man2/fork.2.gz"):
    config.available_features.add("manpages-dev")
if shutil.which("distcc"):
    config.available_features.add("distcc")
# A network namespace of the test's own, with only loopback: icecream's
# discovery broadcasts, and must never reach a real network.
if shutil.which("unshare") and shutil.which("ip") and subprocess.call(
        ["unshare", "-n", "true"], stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL) == 0:
    config.available_features.add("netns")

# Root writes to read-only directories: their tests need another user.
if os.geteuid() != 0:
    config.available_features.add("non-root")

# A small file system that the test fills, mounted in a mount namespace of
# its own (as root, or as root of a user namespace), to test full disks.
import tempfile

def private_mount_command():
    """The unshare command that may mount a tmpfs, or None."""
    if not shutil.which("unshare"):
        return None
    probe = tempfile.mkdtemp()
    try:
        for command in (["unshare", "-m"], ["unshare", "-r", "-m"]):
            if subprocess.call(
                    command + ["mount", "-t", "tmpfs", "-o", "size=64k",
                               "tmpfs", probe],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL) == 0:
                return command
    finally:
        os.rmdir(probe)
    return None

unshare_mount = private_mount_command()
if unshare_mount:
    config.available_features.add("full-disk")
    config.substitutions.append(("%on_full_disk", "%s %s %s" % (
        " ".join(unshare_mount), config.python_executable,
        os.path.join(config.test_source_root, "on_full_disk.py"))))
config.substitutions.append(("%interrupt", "%s %s" % (
    config.python_executable,
    os.path.join(config.test_source_root, "interrupt.py"))))

# A clang-tidy of another LLVM major version, to test that the plugin refuses
# to load into it.
import glob
import re

def llvm_major(path):
    return int(re.search(r"llvm-(\d+)", path).group(1))


def other_version(tool, feature, substitution):
    """Makes `tool` of the newest other installed LLVM major version, if
    any, available as `substitution` under `feature`."""
    for candidate in sorted(glob.glob("/usr/lib/llvm-*/bin/" + tool),
                            key=llvm_major, reverse=True):
        if str(llvm_major(candidate)) != config.forksafety_llvm_major:
            config.available_features.add(feature)
            config.substitutions.append((substitution, candidate))
            return


# %other_clang_tidy first: %other_clang is a prefix of it.
other_version("clang-tidy", "other-clang-tidy", "%other_clang_tidy")
other_version("clang", "other-clang", "%other_clang")

# What the CI recipes (docs/ci) run.
if shutil.which("git"):
    config.available_features.add("git")
# The CI recipes' workflow and the documentation's blocks are read as YAML
# (python3-yaml).
if subprocess.call([config.python_executable, "-c", "import yaml"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0:
    config.available_features.add("python-yaml")
run_clang_tidy = os.path.join(config.llvm_tools_dir, "run-clang-tidy")
if os.path.exists(run_clang_tidy):
    config.available_features.add("run-clang-tidy")
    config.substitutions.append(("%run_clang_tidy", run_clang_tidy))
config.substitutions.append(("%{env_path}", config.environment["PATH"]))

# The documentation's blocks (test/docs): the build under test, and whether
# it is the README's quick start, <source>/build with LLVM 19 and
# clang-tidy-19, whose commands then run from the source tree.
config.substitutions.append(("%forksafety_binary_dir",
                             config.forksafety_binary_dir))
# The documentation's commands name LLVM 19's tools (the default version).
if config.forksafety_llvm_major == "19" and shutil.which("clang-19") and \
        shutil.which("clang-tidy-19"):
    config.available_features.add("docs-llvm")
    if os.path.realpath(config.forksafety_binary_dir) == os.path.realpath(
            os.path.join(config.forksafety_source_dir, "build")):
        config.available_features.add("forksafety-build-in-source")
        # The quick start runs `cmake --build build`: on a build older than
        # its sources, that relinks the programs other tests are running,
        # which then fail by the dozen. Bring it up to date before any test,
        # one lit process at a time (ctest -j starts one per test).
        import fcntl
        with open(os.path.join(config.forksafety_binary_dir,
                               ".lit-build.lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if subprocess.run(["cmake", "--build",
                               config.forksafety_binary_dir],
                              stdout=subprocess.DEVNULL).returncode != 0:
                lit_config.fatal("cannot bring the build under test, %s, up "
                                 "to date: its quick start would rebuild it "
                                 "while the tests run" %
                                 config.forksafety_binary_dir)

# After %forksafety_clangd and %forksafety_binary_dir, and before
# %forksafety, which they are prefixes of.
config.substitutions.append(("%forksafety_bin", os.path.join(
    config.forksafety_binary_dir, "bin")))
config.substitutions.append(("%forksafety", os.path.join(
    config.forksafety_binary_dir, "bin", "forksafety")))

# Headless Chromium runs the script of the HTML report (tool/html-chromium):
# its tests are skipped where it is missing. As root it needs --no-sandbox.
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if chromium:
    config.available_features.add("chromium")
    config.substitutions.append(("%chromium", "%s --headless=new --disable-gpu%s" % (
        chromium, " --no-sandbox" if os.geteuid() == 0 else "")))
