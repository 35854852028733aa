#!/usr/bin/env python3
"""The Python package's suite, as a user would meet the package: it is
installed with `pip install --no-build-isolation` (offline, Debian's
setuptools) into a temporary directory, type-checked there with Debian's
mypy --strict (py.typed included), and the pytest suite imports it from
there, loading the libsmtpcore.so just built.

Usage: run_tests.py LIBSMTPCORE_SO
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"  # Debian's: pytest, hypothesis, mypy and aiosmtpd are its packages


def main():
    lib = os.path.abspath(sys.argv[1])
    for module in ("pytest", "hypothesis", "pytest_asyncio", "mypy", "aiosmtpd"):
        if subprocess.run([PYTHON, "-c", "import " + module], capture_output=True).returncode != 0:
            print("skipped: python3 module %s is not installed (scripts/install-deps installs it)" % module)
            return 77
    with tempfile.TemporaryDirectory(prefix="smtpcore-python-") as tmp:
        source = os.path.join(tmp, "src")  # pip builds in the source tree: build a copy
        shutil.copytree(HERE, source, ignore=shutil.ignore_patterns("tests", "__pycache__", "*.egg-info", "build"))
        target = os.path.join(tmp, "site")
        r = subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "--no-build-isolation", "--no-deps",
                            "--no-index", "--target", target, source], capture_output=True, text=True)
        print("pip install --no-build-isolation:", "ok" if r.returncode == 0 else "FAILED\n" + r.stdout + r.stderr)
        if r.returncode != 0:
            return 1
        env = dict(os.environ, PYTHONPATH=target, SMTPCORE_LIBRARY=lib, SMTPCORE_INSTALLED_AT=target,
                   PYTHONDONTWRITEBYTECODE="1")
        mypy = subprocess.run([PYTHON, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull,
                               os.path.join(target, "smtpcore")], env=env, capture_output=True, text=True)
        print("mypy --strict:", mypy.stdout.strip())
        tests = subprocess.run([PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--durations=3",
                                os.path.join(HERE, "tests")], env=env, cwd=tmp)
        return 1 if mypy.returncode or tests.returncode else 0


if __name__ == "__main__":
    sys.exit(main())
