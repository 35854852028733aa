#!/usr/bin/env python3
"""The three ways to consume smtpcore, proved end to end (README "Install and
consume"):

1. `meson install --destdir` of the build under test, then tests/consumers/
   consumer.cpp built against that tree
   a. with pkg-config and c++ (shared libraries), and the C ABI's
      bindings/c/examples/superloop.c with pkg-config and cc,
   b. with CMake find_package(smtpcore), shared and SMTPCORE_USE_STATIC_LIBS;
2. the same program in a Meson project that has smtpcore as a subproject.

Each program sends one message over STARTTLS + AUTH to aiosmtpd on loopback;
the test checks what arrived, and that each program linked the way it should.

Usage: run.py SOURCE_ROOT BUILD_DIR
"""
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop"))
from interop_common import Servers, check, finish, make_cert, require  # noqa: E402

SUBJECT = "consumer proof"


def run(args, **kw):
    """Runs a build step; its output is shown only when it fails."""
    r = subprocess.run(args, capture_output=True, text=True, timeout=900, **kw)
    if r.returncode != 0:
        print("$ " + " ".join(args) + "\n" + r.stdout + r.stderr, flush=True)
    return r


def build_options(build):
    import json
    opts = json.loads(run(["meson", "introspect", "--buildoptions", build]).stdout)
    return {o["name"]: o["value"] for o in opts}


def needed(binary):
    """The shared libraries an executable names (DT_NEEDED)."""
    out = run(["readelf", "-d", binary]).stdout
    return [line.split("[")[1].rstrip("]") for line in out.splitlines() if "(NEEDED)" in line]


class Proof:
    """One aiosmtpd with STARTTLS and AUTH; each consumer sends one message."""

    def __init__(self, servers):
        self.cert, key = make_cert(servers.tmp)
        self.spool = servers.dir("spool")
        self.port = servers.aiosmtpd(self.spool, "starttls", self.cert, key, "consumer", "secret")
        self.sent = 0

    def send(self, name, binary, env=None):
        self.sent += 1
        to = "%s@example.net" % name
        r = subprocess.run([binary, "localhost:%d" % self.port, "app@example.org", to, self.cert, "consumer", "secret"],
                           capture_output=True, text=True, timeout=60, env=env)
        check("%s: the consumer reports delivery" % name, r.returncode == 0 and "delivered" in r.stdout,
              r.stdout + r.stderr)
        eml = os.path.join(self.spool, "%d.eml" % self.sent)
        env_file = os.path.join(self.spool, "%d.env" % self.sent)
        if not os.path.exists(eml):
            check("%s: the message arrived" % name, False, "nothing in the spool")
            return
        content = open(eml, "rb").read()
        envelope = open(env_file).read().split()
        check("%s: the message arrived intact" % name,
              b"Subject: " + SUBJECT.encode() in content and b"Installed smtpcore" in content, content[:300])
        check("%s: the envelope arrived" % name, envelope == ["app@example.org", to], repr(envelope))


def install(source, build, tmp):
    """meson install --destdir; returns (prefix inside destdir, libdir, installed files)."""
    opts = build_options(build)
    destdir = os.path.join(tmp, "destdir")
    r = run(["meson", "install", "-C", build, "--no-rebuild", "--destdir", destdir])
    check("meson install --destdir succeeds", r.returncode == 0, r.stderr)
    root = destdir + opts["prefix"]
    files = sorted(os.path.relpath(os.path.join(d, f), destdir) for d, _, fs in os.walk(destdir) for f in fs)
    print("installed (%d files):" % len(files))
    for f in files:
        if "/include/smtpcore/" not in "/" + f:
            print("  /" + f)
    print("  /%s/include/smtpcore/... (%d headers)" % (opts["prefix"].strip("/"),
                                                       sum("/include/smtpcore/" in "/" + f for f in files)))
    libdir = os.path.join(root, opts["libdir"])
    for lib in ["libsmtpcore.so.0", "libsmtpcore.a", "libsmtpcore-adapters.so.0", "libsmtpcore-adapters.a",
                "pkgconfig/smtpcore.pc", "pkgconfig/smtpcore-adapters.pc", "cmake/smtpcore/smtpcoreConfig.cmake",
                "cmake/smtpcore/smtpcoreConfigVersion.cmake"]:
        check("installed %s" % lib, os.path.exists(os.path.join(libdir, lib)))
    for header in ["smtpcore.h", "smtpcore/client.hpp", "smtpcore/version.hpp", "smtpcore/export.hpp",
                   "smtpcore/adapters/blocking.hpp", "smtpcore/mime/writer.hpp"]:
        check("installed include/%s" % header, os.path.exists(os.path.join(root, opts["includedir"], header)))
    check("installed bin/smtpcore-send", os.path.exists(os.path.join(root, opts["bindir"], "smtpcore-send")))
    pc = open(os.path.join(libdir, "pkgconfig", "smtpcore-adapters.pc")).read()
    check("smtpcore-adapters.pc: Requires.private: openssl", "Requires.private: openssl" in pc, pc)
    return destdir, root, libdir


def copy_project(template, tmp, name):
    d = os.path.join(tmp, name)
    shutil.copytree(os.path.join(HERE, template), d)
    shutil.copy(os.path.join(HERE, "consumer.cpp"), d)
    return d


def main():
    require("aiosmtpd", "openssl", "pkg-config", "cmake")
    source, build = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    cxx = os.environ.get("CXX", "c++")
    with Servers() as s:
        destdir, root, libdir = install(source, build, s.tmp)
        proof = Proof(s)
        lib_env = dict(os.environ, LD_LIBRARY_PATH=libdir)

        # 1a. pkg-config + c++
        pc_env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(libdir, "pkgconfig"), PKG_CONFIG_SYSROOT_DIR=destdir)
        flags = run(["pkg-config", "--cflags", "--libs", "smtpcore-adapters"], env=pc_env)
        check("pkg-config --cflags --libs smtpcore-adapters", flags.returncode == 0, flags.stderr)
        exe = os.path.join(s.tmp, "consumer-pkgconfig")
        r = run([cxx, "-std=c++17", "-Wall", "-Wextra", "-Werror", os.path.join(HERE, "consumer.cpp"), "-o", exe]
                + flags.stdout.split())
        check("pkg-config: builds", r.returncode == 0)
        if r.returncode == 0:
            check("pkg-config: linked to the shared libraries",
                  {"libsmtpcore-adapters.so.0", "libsmtpcore.so.0"} <= set(needed(exe)), repr(needed(exe)))
            proof.send("pkgconfig", exe, lib_env)

        # 1a'. the C ABI from C: bindings/c/examples/superloop.c with pkg-config + cc
        cflags = run(["pkg-config", "--cflags", "--libs", "smtpcore"], env=pc_env).stdout.split()
        exe = os.path.join(s.tmp, "superloop-pkgconfig")
        superloop = os.path.join(source, "bindings", "c", "examples", "superloop.c")
        r = run([os.environ.get("CC", "cc"), "-std=c99", "-Wall", "-Wextra", "-Werror", superloop, "-o", exe] + cflags)
        check("pkg-config smtpcore: the C superloop builds", r.returncode == 0)
        if r.returncode == 0:
            plain = s.dir("spool-plain")
            port = s.aiosmtpd(plain)
            r = subprocess.run([exe, "127.0.0.1", str(port), "c@example.org", "ops@example.net"], capture_output=True,
                               text=True, timeout=60, env=lib_env)
            check("pkg-config smtpcore: the C superloop delivers",
                  r.returncode == 0 and os.path.exists(os.path.join(plain, "1.eml")), r.stdout + r.stderr)

        # 1b. CMake find_package, shared then static
        for variant, extra in [("shared", []), ("static", ["-DSMTPCORE_USE_STATIC_LIBS=ON"])]:
            src = copy_project("cmake", s.tmp, "cmake-" + variant)
            out = os.path.join(s.tmp, "cmake-build-" + variant)
            r = run(["cmake", "-S", src, "-B", out, "-G", "Ninja", "-DCMAKE_PREFIX_PATH=" + root,
                     "-DCMAKE_CXX_COMPILER=" + cxx, "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Werror"] + extra)
            check("cmake %s: find_package(smtpcore COMPONENTS adapters)" % variant, r.returncode == 0)
            if r.returncode != 0:
                continue
            r = run(["cmake", "--build", out])
            check("cmake %s: builds" % variant, r.returncode == 0)
            if r.returncode != 0:
                continue
            exe = os.path.join(out, "consumer")
            linked = {"libsmtpcore-adapters.so.0", "libsmtpcore.so.0"} & set(needed(exe))
            check("cmake %s: linked as asked" % variant, bool(linked) == (variant == "shared"), repr(needed(exe)))
            proof.send("cmake-" + variant, exe, lib_env if variant == "shared" else None)

        # 2. Meson subproject
        src = copy_project("meson", s.tmp, "meson-consumer")
        os.makedirs(os.path.join(src, "subprojects"))
        os.symlink(source, os.path.join(src, "subprojects", "smtpcore"))
        out = os.path.join(s.tmp, "meson-build")
        r = run(["meson", "setup", out, src, "-Dbuildtype=release", "--wrap-mode=nodownload"],
                env=dict(os.environ, CXX=cxx))
        check("meson subproject: configures", r.returncode == 0)
        if r.returncode == 0:
            import json
            targets = json.loads(run(["meson", "introspect", "--targets", out]).stdout)
            names = sorted(t["name"] for t in targets)
            extras = [n for n in names if n.startswith(("unit_tests", "property", "test_", "fuzz_", "bench_",
                                                        "smtpcore-send", "send_", "poll_loop", "adapters_tests"))]
            check("meson subproject: no tests, fuzzers, benchmarks, examples or tool", not extras, repr(extras))
            log = open(os.path.join(out, "meson-logs", "meson-log.txt")).read()
            check("meson subproject: doctest and RapidCheck not looked for",
                  "doctest" not in log and "rapidcheck" not in log.lower())
            r = run(["ninja", "-C", out, "-j2"])
            check("meson subproject: builds", r.returncode == 0)
            if r.returncode == 0:
                proof.send("meson-subproject", os.path.join(out, "consumer"))
                r = run(["ninja", "-C", out, "-j2"])
                check("meson subproject: a second build has no work to do", "no work to do" in r.stdout, r.stdout)
    finish()


if __name__ == "__main__":
    main()
