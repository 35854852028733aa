"""The builtin resolver against a hostile DNS server (hostile_dns_server.py):
spoofed answers racing the real one, pointer loops, counts of 65535, a 64 KiB
TCP answer, silence, SERVFAIL storms. Nothing may crash, hang past its
deadline or accept a spoofed answer."""
import os
import sys

from interop_common import Servers, check, finish
from dns_servers import hostile, probe

TIMEOUT_MS = 300
ATTEMPTS = 2


def queries(log, kind):
    try:
        with open(log) as f:
            return [l.split()[0] for l in f if l.split()[1] == kind]
    except FileNotFoundError:
        return []


def main():
    with Servers() as s:
        port, log = hostile(s)
        # Two "servers": the hostile one twice (address and port must both
        # match, so this is two tries per round).
        ns = ["--nameserver", "127.0.0.1:%d" % port, "--timeout", str(TIMEOUT_MS), "--attempts", str(ATTEMPTS)]
        # Every try's timeout, plus the probe's process start: 2 s natively;
        # scripts/test-windows allows more, as a program under wine on a
        # loaded machine takes seconds to start. The resolver's own clock
        # (elapsed_ms) is held to the deadline itself, with 250 ms of slack.
        start = float(os.environ.get("SMTPCORE_PROCESS_START_SECONDS", "2"))
        bound = ATTEMPTS * TIMEOUT_MS / 1000 + start

        def on_time(f):
            return "elapsed_ms" in f and int(f["elapsed_ms"][0]) <= ATTEMPTS * TIMEOUT_MS + 250

        f, code, secs = probe(ns + ["a", "spoof.hostile.test"])
        check("spoofed answers (wrong port, wrong ID, wrong name) are ignored, the real one taken",
              f.get("A") == ["127.0.0.1"] and int(f["ignored"][0]) >= 3, str(f))
        f, code, secs = probe(ns + ["--0x20", "a", "spoof.hostile.test"])
        check("the same with 0x20", f.get("A") == ["127.0.0.1"], str(f))
        f, code, secs = probe(ns + ["--0x20", "a", "lower.hostile.test"])
        check("0x20: an answer with the question's case changed is not taken",
              "A" not in f and f.get("outcome") == ["timeout"] and secs < bound and on_time(f), "%s in %.2f s" % (f, secs))
        f, code, secs = probe(ns + ["a", "lower.hostile.test"])
        check("without 0x20 case does not matter", f.get("A") == ["127.0.0.1"], str(f))

        for kind, what in [("loop", "a compression pointer loop"), ("counts", "record counts of 65535")]:
            f, code, secs = probe(ns + ["a", kind + ".hostile.test"])
            check(what + ": refused, no crash, bounded",
                  code == 0 and "A" not in f and f.get("outcome") == ["servfail"] and secs < bound and on_time(f),
                  "exit %d, %.300s in %.2f s" % (code, f, secs))
            check(what + ": one query per try", len(queries(log, kind)) == ATTEMPTS, str(queries(log, kind)))

        f, code, secs = probe(ns + ["a", "huge.hostile.test"])
        check("a 64 KiB TCP answer that does not parse: refused, no crash",
              code == 0 and "A" not in f and f.get("outcome") == ["servfail"] and secs < bound and on_time(f),
              "exit %d, %.300s in %.2f s" % (code, f, secs))
        check("the truncated answer moved to TCP", queries(log, "huge").count("tcp") == ATTEMPTS, str(queries(log, "huge")))
        f, code, secs = probe(ns + ["--buffer", "1234", "a", "huge.hostile.test"])
        check("a 64 KiB TCP answer over a 1234-octet buffer: refused by length, no overflow",
              code == 0 and "A" not in f and f.get("error") == ["TCP answer larger than the receive buffer"] and secs < bound and on_time(f),
              "exit %d, %.300s in %.2f s" % (code, f, secs))

        f, code, secs = probe(ns + ["a", "big.hostile.test"])
        check("a 60-record answer over TCP is taken", len(f.get("A", [])) == 60, str(f))

        f, code, secs = probe(ns + ["--timeout", "3000", "addr", "slowaaaa.hostile.test"])
        check("RFC 8305 Resolution Delay: A answered, AAAA 1 s late: A alone, well before the AAAA",
              f.get("ADDR") == ["127.0.0.1"] and f.get("outcome") == ["answer"] and int(f["elapsed_ms"][0]) < 700,
              "%s in %.2f s" % (f, secs))
        f, code, secs = probe(ns + ["--timeout", "3000", "aaaa", "slowaaaa.hostile.test"])
        check("(the AAAA alone does come, after 1 s)", f.get("AAAA") == ["::1"] and int(f["elapsed_ms"][0]) >= 900,
              "%s in %.2f s" % (f, secs))

        f, code, secs = probe(ns + ["a", "silent.hostile.test"])
        check("silence: Timeout after attempts x timeout",
              f.get("outcome") == ["timeout"] and ATTEMPTS * TIMEOUT_MS / 1000 <= secs < bound and on_time(f), "%s in %.2f s" % (f, secs))

        f, code, secs = probe(ns + ["--attempts", "3", "a", "servfail.hostile.test"])
        check("SERVFAIL storm: ServerFailure, one query per try and no more",
              f.get("outcome") == ["servfail"] and len(queries(log, "servfail")) == 3 and secs < bound and on_time(f),
              "%s, %d queries, %.2f s" % (f, len(queries(log, "servfail")), secs))
    finish()


if __name__ == "__main__":
    sys.exit(main())
