#!/usr/bin/env python3
"""Turns a dialogue into a raw seed for the session fuzz target.

Input: a dialogue in the tests/unit transcript format ("S: text" lines are
what the server sent; C:, E:, A:, R: and # lines are ignored; \\r \\n \\0 \\t
escapes as in tests/unit/transcript.hpp), or a raw capture of server bytes
(then copied unchanged, with bare LF line ends made CRLF only if --crlf).
Output: the server bytes, each S: line ended by CRLF. A file that starts
with a digit is replayed by fuzz/session/raw_transcript.cpp.

Usage: transcript_to_seed.py DIALOGUE OUT
"""
import sys


def unescape(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            c = s[i + 1]
            out.append({"r": "\r", "n": "\n", "0": "\0", "t": "\t"}.get(c, c))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def convert(text):
    lines = text.splitlines()
    if not any(l.strip().startswith("S:") for l in lines):
        return text.encode("latin-1")  # already raw server bytes
    out = []
    for line in lines:
        line = line.strip()
        if line.startswith("S:"):
            out.append(unescape(line[2:].strip()) + "\r\n")
    return "".join(out).encode("latin-1")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="latin-1") as f:
        data = convert(f.read())
    with open(sys.argv[2], "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
