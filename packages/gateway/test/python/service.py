#!/usr/bin/env python3
"""A go-micro service in Python, standard library only, joining the mesh through the sidecar.

It answers go-micro's plain-HTTP call shape (what go-micro's http transport sends): every call is a
POST / whose Micro-Endpoint header names the endpoint and whose body is the JSON request. The reply
is always 200: the JSON answer, or for an error the header Micro-Error holding go-micro's error
JSON (a non-200 status reads as a broken connection to go-micro's client, not as the error).

    service.py --name NAME [--sidecar URL] [--register] [--ttl 30] [--interval 10]
               [--subscribe TOPIC [--queue Q]] [--port 0]

--register: the program registers itself (POST {sidecar}/registry?ttl=..., again every interval as
            its heartbeat; DELETE on SIGTERM). Without it the sidecar may register it (program mode).
--subscribe: reads the topic from the sidecar as Server-Sent Events.

stdout carries JSON lines only: {"ready":...} once serving, {"registered":...} after the first
registration, {"subscribed":TOPIC}, one {"event":{topic,header,body}} per message, {"rpc":...} per
call, {"health":...} and {"stopped":true}. stdin takes commands: "unhealthy", "healthy".
"""

import argparse
import json
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
STATE = {"healthy": True}


def out(obj):
    with LOCK:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()


class MicroError(Exception):
    STATUS = {400: "Bad Request", 404: "Not Found", 409: "Conflict", 500: "Internal Server Error"}

    def __init__(self, id_, code, detail):
        super().__init__(detail)
        self.json = json.dumps(
            {"id": id_, "code": code, "detail": detail, "status": self.STATUS.get(code, "")},
            separators=(",", ":"),
        )


def make_handler(name):
    def hello(req):
        return {"msg": "Hello %s from python" % req.get("name", "")}

    def fail(req):
        who = str(req.get("name", ""))
        raise MicroError(name, int(who) if who.isdigit() else 500, "failed: " + who)

    endpoints = {"Greeter.Hello": hello, "Greeter.Fail": fail}

    class Handler(BaseHTTPRequestHandler):
        # keep-alive: go-micro's and micro-ts's clients pool their connections
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, status, body, headers=None):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/health":
                ok = STATE["healthy"]
                self.reply(200 if ok else 503, json.dumps({"status": "ok" if ok else "unhealthy"}))
            else:
                self.reply(404, '{"error":"not found"}')

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            endpoint = self.headers.get("Micro-Endpoint", "")
            out({"rpc": endpoint, "headers": {k: v for k, v in self.headers.items() if k.startswith("Micro-")}})
            try:
                fn = endpoints.get(endpoint)
                if fn is None:
                    raise MicroError(name, 404, "unknown endpoint " + endpoint)
                try:
                    req = json.loads(body or b"{}")
                except ValueError as e:
                    raise MicroError(name, 400, "bad request: %s" % e)
                self.reply(200, json.dumps(fn(req)))
            except MicroError as e:
                # the status stays 200: the error travels in Micro-Error, as go-micro's server sends it
                self.reply(200, e.json, {"Micro-Error": e.json})

    return Handler


def call_sidecar(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as rsp:
        return rsp.read()


def heartbeat(args, record, stop):
    url = "%s/registry?ttl=%s" % (args.sidecar, args.ttl)
    first = True
    while not stop.is_set():
        try:
            call_sidecar("POST", url, record)
            if first:
                out({"registered": record["name"], "node": record["nodes"][0]["id"]})
                first = False
        except (urllib.error.URLError, OSError) as e:
            out({"register_error": str(e)})
        stop.wait(args.interval)


def subscribe(args):
    url = "%s/broker/%s" % (args.sidecar, urllib.request.quote(args.subscribe, safe=""))
    if args.queue:
        url += "?queue=" + urllib.request.quote(args.queue, safe="")
    while True:
        try:
            req = urllib.request.Request(url, headers={"Accept": "text/event-stream"})
            # the sidecar sends a comment every 15 s, so a silent minute means the stream is gone
            with urllib.request.urlopen(req, timeout=60) as rsp:
                data = []
                for raw in rsp:
                    line = raw.decode("utf-8").rstrip("\r\n")
                    if line.startswith(": subscribed"):
                        out({"subscribed": args.subscribe})
                    elif line.startswith("data:"):
                        data.append(line[5:].lstrip(" "))
                    elif line == "" and data:
                        out({"event": json.loads("\n".join(data))})
                        data = []
        except (urllib.error.URLError, OSError, ValueError) as e:
            out({"subscribe_error": str(e)})
        time.sleep(1)


def commands():
    for line in sys.stdin:
        cmd = line.strip()
        if cmd in ("healthy", "unhealthy"):
            STATE["healthy"] = cmd == "healthy"
            out({"health": cmd})


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--name", required=True)
    p.add_argument("--version", default="1.0.0")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--sidecar", default="http://127.0.0.1:8080")
    p.add_argument("--register", action="store_true")
    p.add_argument("--ttl", type=float, default=30)
    p.add_argument("--interval", type=float, default=10)
    p.add_argument("--subscribe")
    p.add_argument("--queue")
    args = p.parse_args()

    server = ThreadingHTTPServer((args.host, args.port), make_handler(args.name))
    server.daemon_threads = True
    address = "%s:%d" % server.server_address[:2]
    node_id = "%s-%s" % (args.name, uuid.uuid4())
    record = {
        "name": args.name,
        "version": args.version,
        "endpoints": [
            {"name": "Greeter.Hello", "request": {"name": "Request", "type": "Request"}, "metadata": {}},
            {"name": "Greeter.Fail", "request": {"name": "Request", "type": "Request"}, "metadata": {}},
        ],
        "nodes": [{"id": node_id, "address": address, "metadata": {"lang": "python"}}],
    }
    stop = threading.Event()

    def shutdown(*_):
        stop.set()
        if args.register:
            try:
                call_sidecar("DELETE", "%s/registry/%s?node=%s" % (args.sidecar, args.name, node_id))
            except (urllib.error.URLError, OSError):
                pass
        out({"stopped": True})
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    threading.Thread(target=commands, daemon=True).start()
    if args.register:
        threading.Thread(target=heartbeat, args=(args, record, stop), daemon=True).start()
    if args.subscribe:
        threading.Thread(target=subscribe, args=(args,), daemon=True).start()
    out({"ready": True, "address": address, "id": node_id, "name": args.name})
    server.serve_forever()


if __name__ == "__main__":
    main()
