#!/usr/bin/env python3
"""Cross-parser check of the MIME writer's output with Debian's own readers
(reformime, ripmime, munpack).

usage: check_readers.py MIME_GEN OUTDIR [COUNT] [SEED]

Runs the generator (the same corpus check_messages.py reads with Python's
email), then unpacks every message with each reader installed from
scripts/deps/mime.txt and compares what it extracted with the manifest:

  ripmime  every attachment's bytes (octet for octet where the part is not
           canonical text, else up to line breaks) and its filename,
           including RFC 2231 / RFC 2047 names; the attachments of a
           forwarded message/rfc822 (ripmime descends into it). Messages
           with "=?" inside decoded header text are skipped: ripmime decodes
           such text a second time (a ripmime defect, see confuses_ripmime),
           and names holding '/', '\\' or '"' or longer than 127 octets are
           not compared (ripmime cuts them).
  munpack  every attachment's bytes (munpack turns CRLF into LF in text/*
           parts, so text is compared without CR octets) and the filename
           where munpack can represent it: munpack reads only name= and
           decodes neither RFC 2231 nor RFC 2047, and replaces characters
           outside [A-Za-z0-9._%+-] by "X". It does not descend into
           message/rfc822.
  reformime  (maildrop) every attachment's section, found by its decoded
           Content-Disposition filename (RFC 2231): its content type, its
           charset, and its decoded bytes; a forwarded message/rfc822 part
           comes back octet for octet.

A reader that is not installed fails the test: the packages are part of
the build's dependencies. Prints one line per reader with its counts.
"""
import corpus
import os
import re
import shutil
import subprocess
import sys
import tempfile

failures = []
counts = {}


def count(reader, what, ok):
    c = counts.setdefault(reader, {})
    passed, total = c.get(what, (0, 0))
    c[what] = (passed + (1 if ok else 0), total + 1)


def fail(reader, name, what):
    failures.append(f"{reader}: {name}: {what}")


def extracted(directory):
    out = {}
    for root, _, files in os.walk(directory):
        for f in files:
            out[os.path.relpath(os.path.join(root, f), directory)] = open(os.path.join(root, f), "rb").read()
    return out


def same_text(extracted, original):
    """Text up to line breaks: CR octets are dropped (munpack turns CRLF into
    LF), and the reader may have kept one line break more than the original
    (ripmime keeps the CRLF before the next delimiter, which RFC 2046 §5.1.1
    says belongs to the delimiter); munpack also writes the line break that
    ends the part's header block in front of 7bit, 8bit and QP text."""
    e, o = extracted.replace(b"\r", b""), original.replace(b"\r", b"")
    return e in (o, o + b"\n", b"\n" + o, b"\n" + o + b"\n")


def find_part(files, original, exact, text_compare):
    """Names of the extracted files whose content is the original's."""
    return [n for n, data in files.items() if (data == original if exact else text_compare(data, original))]


def run_reader(reader, eml, workdir):
    if reader == "ripmime":
        cmd = ["ripmime", "-i", eml, "-d", workdir]
    else:
        cmd = ["munpack", "-q", "-t", "-C", workdir, eml]
    subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=60, check=False)
    return extracted(workdir)


MUNPACK_SAFE = re.compile(r"^[A-Za-z0-9._%+-]+$")


def representable(reader, filename):
    """Whether the reader can store `filename` as it is: munpack keeps only
    [A-Za-z0-9._%+-] (it reads name= and decodes neither RFC 2231 nor
    RFC 2047); ripmime cuts names at '/', '\\' and '"', and after 127 octets."""
    if reader == "munpack":
        return MUNPACK_SAFE.match(filename) is not None
    return len(filename.encode()) <= 127 and not any(c in filename for c in '/\\"')


def confuses_ripmime(entry):
    """ripmime decodes RFC 2047 again inside text it has decoded, so a header
    whose text holds "=?" (the corpus has such words on purpose) derails its
    MIME parsing or changes the name; such messages are counted, not checked."""
    texts = [entry["subject"], entry["from_name"]] + [n for n, _ in entry["to"]]
    texts += [a["filename"] for a in entry["attachments"]]
    return any("=?" in t for t in texts)


def reformime_sections(eml):
    """reformime -i: each MIME section's fields (content-type, charset,
    content-disposition-filename, …) by section number."""
    out = subprocess.run(["reformime", "-i"], stdin=open(eml, "rb"), capture_output=True, timeout=60,
                         check=False).stdout.decode("utf-8", "replace")
    sections = {}
    for block in out.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "section" in fields:
            sections[fields["section"]] = fields
    return sections


def check_reformime(entry):
    """reformime (maildrop): per attachment, the section with its filename
    (or, unnamed, its type) has the type, charset and decoded bytes asked for."""
    name = os.path.basename(entry["eml"])
    eml = os.path.abspath(entry["eml"])
    sections = reformime_sections(eml)
    used = set()
    for att in entry["attachments"]:
        original = open(att["path"], "rb").read()
        candidates = [k for k, f in sections.items() if k not in used and (
            f.get("content-disposition-filename") == att["filename"] if att["filename"]
            else f.get("content-type") == att["content_type"] and "content-disposition-filename" not in f)]
        count("reformime", "filename", bool(candidates))
        if not candidates:
            fail("reformime", name, f"no section named {att['filename']!r} ({att['content_type']})")
            continue
        section = candidates[0]
        used.add(section)
        fields = sections[section]
        ok = fields.get("content-type") == att["content_type"]
        count("reformime", "content type", ok)
        if not ok:
            fail("reformime", name, f"{att['filename']!r}: type {fields.get('content-type')!r}")
        if att.get("charset"):
            ok = fields.get("charset", "").lower() == att["charset"].lower()
            count("reformime", "charset", ok)
            if not ok:
                fail("reformime", name, f"{att['filename']!r}: charset {fields.get('charset')!r}")
        data = subprocess.run(["reformime", "-e", "-s", section], stdin=open(eml, "rb"), capture_output=True,
                              timeout=60, check=False).stdout
        text = att["content_type"].startswith("text/") and not att.get("exact")
        ok = same_text(data, original) if text else data == original
        count("reformime", "part bytes", ok)
        if not ok:
            fail("reformime", name, f"{att['filename']!r}: {len(data)} octets, expected {len(original)}")


def check_entry(reader, entry, tmp):
    if reader == "reformime":
        check_reformime(entry)
        return
    name = os.path.basename(entry["eml"])
    if reader == "ripmime" and confuses_ripmime(entry):
        count(reader, "messages skipped (\"=?\" inside decoded text)", True)
        return
    workdir = tempfile.mkdtemp(dir=tmp)
    files = run_reader(reader, os.path.abspath(entry["eml"]), workdir)
    for att in entry["attachments"]:
        original = open(att["path"], "rb").read()
        if att["content_type"] == "message/rfc822":
            if reader == "munpack":
                continue
            check_forwarded(reader, name, original, files, tmp)
            continue
        text = att["content_type"].startswith("text/")
        if reader == "munpack" and text:
            hits = find_part(files, original, False, same_text)
        else:
            hits = find_part(files, original, att.get("exact", not text) or not text, same_text)
        ok = bool(hits) or len(original) == 0  # an empty part may be skipped
        count(reader, "part bytes", ok)
        if not ok:
            fail(reader, name, f"no extracted file has the bytes of {att['filename']!r}")
            continue
        if not att["filename"] or len(original) == 0:
            continue
        if not representable(reader, att["filename"]):
            count(reader, "filename (not representable, skipped)", True)
            continue
        ok = att["filename"] in hits
        count(reader, "filename", ok)
        if not ok:
            fail(reader, name, f"filename {att['filename']!r} read as {hits!r}")


def check_forwarded(reader, name, original, files, tmp):
    """The forwarded message's own attachments are among the extracted files."""
    inner_eml = os.path.join(tmp, "inner.eml")
    open(inner_eml, "wb").write(original)
    inner = run_reader(reader, inner_eml, tempfile.mkdtemp(dir=tmp))
    wanted = [data for n, data in inner.items() if not n.startswith("textfile")]
    ok = bool(wanted) and all(any(data == got for got in files.values()) for data in wanted)
    count(reader, "forwarded message's parts", ok)
    if not ok:
        fail(reader, name, "the forwarded message's attachments were not extracted")


def main():
    manifest = corpus.generate(sys.argv, "20")
    readers = ["reformime", "ripmime", "munpack"]
    missing = [r for r in readers if shutil.which(r) is None]
    for r in missing:
        print(f"FAIL {r} is not installed (scripts/deps/mime.txt)")
    with tempfile.TemporaryDirectory() as tmp:
        for reader in readers:
            if reader in missing:
                continue
            for entry in manifest:
                check_entry(reader, entry, tmp)
    for f in failures:
        print("FAIL", f)
    for reader, c in counts.items():
        print(reader + ": " + ", ".join(f"{what} {p}/{t}" for what, (p, t) in sorted(c.items())))
    print(f"checked {len(manifest)} messages with {len(readers) - len(missing)} readers, {len(failures)} failures")
    return 1 if failures or missing else 0


if __name__ == "__main__":
    sys.exit(main())
