#!/usr/bin/env python3
"""The C ABI check: libsmtpcore.so's smtpcore_* interface against the dump
committed in bindings/c/abi/libsmtpcore.abi (abidw/abidiff from libabigail,
Debian's abigail-tools).

Fails when a function or variable of the C ABI was removed or changed, or a
type it uses changed incompatibly (a field moved, a struct shrank); new
functions are fine but must be listed in c-abi.symbols, or the check would
not see them. Changes libabigail classes as harmless (a new enumerator, a
const dropped from a pointee) pass. The C++ symbols the library also
exports are not checked (--no-unreferenced-symbols): the C++ API makes no
ABI promise before 1.0. After an intended, compatible change (an appended field, a new
function), regenerate the dump:

    check_abi.py --update LIBSMTPCORE_SO

Usage: check_abi.py LIBSMTPCORE_SO [--update]
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SYMBOLS = os.path.join(HERE, "c-abi.symbols")
BASELINE = os.path.join(HERE, "libsmtpcore.abi")
HEADERS = os.path.dirname(HERE)  # bindings/c: smtpcore.h


def dump(lib, out):
    subprocess.run(["abidw", "--kmi-whitelist", SYMBOLS, "--headers-dir", HEADERS, "--drop-private-types",
                    "--no-corpus-path", "--no-comp-dir-path", "--no-show-locs", 
                    "--out-file", out, lib], check=True)


def main():
    lib = sys.argv[1]
    if "--update" in sys.argv:
        dump(lib, BASELINE)
        print("wrote", BASELINE)
        return 0
    exported = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True,
                              check=True).stdout
    c_symbols = {line.split()[-1] for line in exported.splitlines() if line.split()[-1].startswith("smtpcore_")}
    listed = {line.strip() for line in open(SYMBOLS) if line.strip() and not line.startswith("[")}
    unlisted = sorted(c_symbols - listed)
    if unlisted:
        print("exported C functions missing from bindings/c/abi/c-abi.symbols:", " ".join(unlisted))
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        current = os.path.join(tmp, "current.abi")
        dump(lib, current)
        r = subprocess.run(["abidiff", "--no-unreferenced-symbols", "--kmi-whitelist", SYMBOLS, BASELINE, current], capture_output=True, text=True)
    print(r.stdout + r.stderr)
    if r.returncode & 3:
        print("abidiff failed to run")
        return 1
    if r.returncode & 8:
        print("FAIL: incompatible change of the C ABI (raise SMTPCORE_C_ABI_VERSION and the SOVERSION if meant)")
        return 1
    if r.returncode & 4:
        removed_or_changed = re.findall(r"(\d+) Removed(?: \([^)]*\))?, (\d+) Changed", r.stdout)
        if any(int(a) or int(b) for a, b in removed_or_changed):
            print("FAIL: the C ABI changed; if the change is compatible, regenerate the dump (check_abi.py --update)")
            return 1
        print("only additions: compatible (regenerate the dump with check_abi.py --update to record them)")
    print("C ABI unchanged" if r.returncode == 0 else "C ABI: compatible additions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
