#!/usr/bin/env python3
"""The shared libraries export the public API and nothing else
(include/smtpcore/export.hpp):

- every public header wraps its declarations in SMTPCORE_BEGIN_PUBLIC /
  SMTPCORE_END_PUBLIC, so a new function cannot be left out of the ABI;
- every symbol libsmtpcore.so exports is in namespace smtpcore (or is a C
  function smtpcore_*), and the engine's internal helpers (lib/core/*.hpp,
  e.g. smtpcore::detail::mail_command) are not exported.

Usage: check_exports.py INCLUDE_DIR LIBSMTPCORE_SO [LIBSMTPCORE_ADAPTERS_SO]
"""
import pathlib
import subprocess
import sys

FAILED = []


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + detail))
    if not ok:
        FAILED.append(name)


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", "-C", lib], capture_output=True, text=True, check=True).stdout
    return [line.split(" ", 2)[2] for line in out.splitlines() if line.count(" ") >= 2]


def main():
    include, core = pathlib.Path(sys.argv[1]), sys.argv[2]
    for header in sorted(include.rglob("*.hpp")):
        if header.name == "export.hpp":
            continue
        text = header.read_text()
        check("%s marks its declarations public" % header.relative_to(include),
              "SMTPCORE_BEGIN_PUBLIC" in text and "SMTPCORE_END_PUBLIC" in text)

    symbols = exported(core)
    check("libsmtpcore exports the engine", any(s.startswith("smtpcore::Client::next_event") for s in symbols))
    check("libsmtpcore exports the MIME writer", any(s.startswith("smtpcore::mime::") for s in symbols))
    check("libsmtpcore exports version()", any(s.startswith("smtpcore::version()") for s in symbols))
    foreign = [s for s in symbols if not s.startswith(("smtpcore::", "smtpcore_"))]
    check("libsmtpcore exports only smtpcore symbols", not foreign, repr(foreign[:10]))
    internal = [s for s in symbols if "mail_command" in s or "rcpt_command" in s]
    check("libsmtpcore hides the engine's internal helpers", not internal, repr(internal))
    if len(sys.argv) > 3:
        adapters = exported(sys.argv[3])
        check("libsmtpcore-adapters exports send_mail", any(s.startswith("smtpcore::adapters::send_mail") for s in adapters))
        check("libsmtpcore-adapters carries no copy of the engine",
              not any(s.startswith("smtpcore::Client::") for s in adapters))
    if FAILED:
        sys.exit(1)


if __name__ == "__main__":
    main()
