#!/usr/bin/env python3
"""A minimal OAuth 2.0 token introspection endpoint (RFC 7662) on 127.0.0.1,
for Dovecot's oauth2 passdb in the SASL interop test. POST /introspect with
"token=T": {"active": true, "username": U} for the one good token, else
{"active": false}. Prints "READY <port>" and serves until killed or
--lifetime seconds pass."""
import argparse
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--token", required=True)
    ap.add_argument("--username", required=True)
    ap.add_argument("--lifetime", type=float, default=300)
    args = ap.parse_args()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            form = urllib.parse.parse_qs(self.rfile.read(min(length, 65536)).decode(errors="replace"))
            token = form.get("token", [""])[0]
            body = {"active": True, "username": args.username} if token == args.token else {"active": False}
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *a):  # keep the test log quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Timer(args.lifetime, server.shutdown).start()
    print("READY %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
