#!/usr/bin/env python3
"""A small static HTTP file server for sync tests, with HTTP Range and a cut-connection fault.

  range_server.py DIR [PORT] [--cut-after BYTES --cut-pattern REGEX] [--log FILE]

Serves the files under DIR on 127.0.0.1:PORT (PORT 0 or absent: a free port). The port actually
used is printed as the first line of stdout, e.g. "41234", as soon as the server listens.

- GET and HEAD; 404 for a missing file (and for folders, and for paths leaving DIR).
- `Range: bytes=N-` (and `bytes=N-M`) is answered 206 with `Content-Range: bytes N-END/SIZE`;
  a range starting at or after the end of the file gets 416 with `Content-Range: bytes */SIZE`.
  Every 200/206 carries `Accept-Ranges: bytes`.
- Fault: with `--cut-after BYTES`, the first GET of each path matching `--cut-pattern` (a Python
  regular expression searched in the URL path; default: every path) announces the full
  Content-Length, sends only BYTES bytes of the body, then closes the connection. Later requests
  to the same path are served in full, so a client can resume with Range.
- `--log FILE`: one JSON object per line and per request, written as it is answered:
  {"method", "path", "range" (the Range header or null), "status", "sent" (body bytes sent),
  "cut" (true if the connection was cut)}.

Standard library only.
"""
import argparse
import http.server
import json
import os
import re
import socket
import sys
import threading
import urllib.parse

CHUNK = 64 * 1024


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "relais-range-server"

    def do_GET(self):
        self.answer(with_body=True)

    def do_HEAD(self):
        self.answer(with_body=False)

    def answer(self, with_body):
        server = self.server
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        range_header = self.headers.get("Range")
        full = os.path.realpath(os.path.join(server.docroot, path.lstrip("/")))
        if not full.startswith(server.docroot + os.sep) or not os.path.isfile(full):
            self.plain(404, "not found\n", with_body)
            return self.log_request_line(path, range_header, 404, 0, False)
        size = os.path.getsize(full)

        start, end, status = 0, size - 1, 200
        if range_header is not None:
            match = re.fullmatch(r"\s*bytes=(\d+)-(\d*)\s*", range_header)
            if match:  # anything else (several ranges, suffix ranges) is ignored: the whole file is sent
                start = int(match.group(1))
                if match.group(2):
                    end = min(int(match.group(2)), size - 1)
                if start >= size or start > end:
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{size}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return self.log_request_line(path, range_header, 416, 0, False)
                status = 206
        length = end - start + 1 if size else 0

        cut_at = None
        if with_body and server.cut_after is not None and server.cut_pattern.search(path):
            with server.lock:
                if path not in server.cut_done:
                    server.cut_done.add(path)
                    cut_at = server.cut_after

        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()

        sent = 0
        if with_body:
            budget = length if cut_at is None else min(length, cut_at)
            try:
                with open(full, "rb") as f:
                    f.seek(start)
                    while sent < budget:
                        chunk = f.read(min(CHUNK, budget - sent))
                        if not chunk:
                            break
                        self.wfile.write(chunk)
                        sent += len(chunk)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
        cut = cut_at is not None and sent < length
        if cut:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.log_request_line(path, range_header, status, sent, cut)

    def plain(self, status, text, with_body):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def log_request_line(self, path, range_header, status, sent, cut):
        server = self.server
        if server.log_path is None:
            return
        line = json.dumps({"method": self.command, "path": path, "range": range_header,
                           "status": status, "sent": sent, "cut": cut})
        with server.lock:
            with open(server.log_path, "a", encoding="utf-8") as f:
                f.write(line + "\n")

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser(description="Static HTTP file server with Range and a cut-connection fault.")
    parser.add_argument("dir", help="folder to serve")
    parser.add_argument("port", nargs="?", type=int, default=0, help="port on 127.0.0.1 (0: pick a free one)")
    parser.add_argument("--port", dest="port_option", type=int, help="same as the PORT argument")
    parser.add_argument("--cut-after", type=int, metavar="BYTES",
                        help="close the connection after BYTES body bytes of the first GET of each matching path")
    parser.add_argument("--cut-pattern", default="", metavar="REGEX",
                        help="paths the cut applies to (regular expression searched in the path; default: all)")
    parser.add_argument("--log", metavar="FILE", help="append one JSON line per request (method, path, range…)")
    args = parser.parse_args()
    if not os.path.isdir(args.dir):
        parser.error(f"{args.dir} is not a folder")
    if args.cut_after is not None and args.cut_after < 0:
        parser.error("--cut-after must be >= 0")

    port = args.port_option if args.port_option is not None else args.port
    server = Server(("127.0.0.1", port), Handler)
    server.docroot = os.path.realpath(args.dir)
    server.cut_after = args.cut_after
    server.cut_pattern = re.compile(args.cut_pattern)
    server.cut_done = set()
    server.lock = threading.Lock()
    server.log_path = os.path.abspath(args.log) if args.log else None
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
