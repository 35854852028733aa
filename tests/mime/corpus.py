"""The cross-parser corpus: runs the generator and loads its manifest.

Shared by check_messages.py and check_readers.py, which are run as
MIME_GEN OUTDIR [COUNT] [SEED].
"""
import json
import os
import subprocess


def generate(argv, default_count):
    """Runs MIME_GEN (argv[1]) into OUTDIR (argv[2]); returns the manifest."""
    gen, outdir = argv[1], argv[2]
    count = argv[3] if len(argv) > 3 else default_count
    seed = argv[4] if len(argv) > 4 else "1"
    os.makedirs(outdir, exist_ok=True)
    subprocess.run([gen, outdir, count, seed], check=True)
    return json.load(open(os.path.join(outdir, "manifest.json"), encoding="utf-8"))
