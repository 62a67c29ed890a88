#!/usr/bin/env python3
"""SMTP intake benchmark: Postfix's smtp-source sends the same messages, over the same
parallel sessions, to three servers in one run, and each is reported as a ratio:
  (a) Postfix's smtp-sink, which does nothing with the mail (the floor);
  (b) a Python aiosmtpd server that writes each message to a file and fsyncs it (what a
      Python team would build);
  (c) `hakendesk serve` on SQLite: the raw message fsynced into the blob store and its row
      committed before the 250 — with the processing job off (intake alone), and on.
Targets (issue #4): (c) >= 0.5x (a) and >= 5x (b) in messages per second.

usage: scripts/bench_smtp.py PATH/TO/release/hakendesk [--messages 20000] [--sessions 20] [--size 5120]
Needs smtp-source and smtp-sink (Debian's postfix package; no Postfix daemon) and aiosmtpd.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from hakentest import api, free_port, wait_for_port  # noqa: E402

TOKEN = "bench-token-0123456789"

AIOSMTPD_SERVER = r'''
import asyncio, os, sys
from aiosmtpd.controller import Controller

folder, port = sys.argv[1], int(sys.argv[2])
count = 0

class Handler:
    async def handle_DATA(self, server, session, envelope):
        global count
        count += 1
        path = os.path.join(folder, "%08d.eml" % count)
        with open(path, "wb") as f:
            f.write(envelope.original_content or envelope.content)
            f.flush()
            os.fsync(f.fileno())
        return "250 OK stored"

controller = Controller(Handler(), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
try:
    asyncio.get_event_loop().run_forever()
except KeyboardInterrupt:
    pass
'''


def send(port, messages, sessions, size):
    """smtp-source's run against a server; returns seconds."""
    began = time.perf_counter()
    subprocess.run(["smtp-source", "-s", str(sessions), "-m", str(messages), "-l", str(size),
                    "-f", "info@example.co.jp", "-t", "senmonka-haken@localhost", f"127.0.0.1:{port}"],
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - began


def stop(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_sink(args):
    port = free_port()
    sink = subprocess.Popen(["smtp-sink", "-u", "nobody", f"127.0.0.1:{port}", "1000"])
    try:
        wait_for_port(port)
        return send(port, args.messages, args.sessions, args.size), None
    finally:
        stop(sink)


def run_aiosmtpd(args, python):
    port = free_port()
    folder = tempfile.mkdtemp(prefix="bench-aiosmtpd-")
    server = subprocess.Popen([python, "-c", AIOSMTPD_SERVER, folder, str(port)], stdout=subprocess.PIPE, text=True)
    try:
        server.stdout.readline()
        wait_for_port(port)
        seconds = send(port, args.messages, args.sessions, args.size)
        stored = len(os.listdir(folder))
        return seconds, stored
    finally:
        stop(server)
        shutil.rmtree(folder, ignore_errors=True)


def run_hakendesk(args, processing):
    folder = tempfile.mkdtemp(prefix="bench-hakendesk-")
    smtp, http = free_port(), free_port()
    env = dict(os.environ, HAKEN_DATA_DIR=folder, HAKEN_SMTP_PORT=str(smtp), HAKEN_HTTP_PORT=str(http),
               HAKEN_ADMIN_TOKEN=TOKEN, HAKEN_MAIL_PROCESSING="1" if processing else "0",
               HAKEN_SMTP_MAX_CONNECTIONS="2000", LOG_LEVEL="warning")
    server = subprocess.Popen([args.binary, "serve"], env=env)
    try:
        wait_for_port(smtp)
        wait_for_port(http)
        seconds = send(smtp, args.messages, args.sessions, args.size)
        _, headers = api(http, TOKEN, "/api/v1/mail?per=1")
        return seconds, int(headers["X-Total-Count"])
    finally:
        stop(server)
        shutil.rmtree(folder, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--size", type=int, default=5120)
    parser.add_argument("--python", default=os.path.join(os.path.dirname(__file__), "..", ".venv-test", "bin", "python"))
    args = parser.parse_args()
    for tool in ("smtp-source", "smtp-sink"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: DEBIAN_FRONTEND=noninteractive apt-get install -y postfix")

    print(f"{args.messages} messages of {args.size} bytes over {args.sessions} parallel sessions (smtp-source), one message per connection")
    results = {
        "(a) smtp-sink (floor)": run_sink(args),
        "(b) aiosmtpd + write + fsync": run_aiosmtpd(args, args.python),
        "(c) hakendesk serve, intake only": run_hakendesk(args, processing=False),
        "(c') hakendesk serve, processing on": run_hakendesk(args, processing=True),
    }
    ours = results["(c) hakendesk serve, intake only"][0]
    print(f"{'server':40} {'seconds':>8} {'msg/s':>8} {'stored':>7}  HakenDesk (intake only) against it")
    for name, (seconds, stored) in results.items():
        rate = args.messages / seconds
        relation = "—" if seconds == ours else f"{seconds / ours:.2f}x its messages per second"
        print(f"{name:40} {seconds:8.2f} {rate:8.0f} {stored if stored is not None else '-':>7}  {relation}")
    print(json.dumps({name: {"seconds": s, "perSecond": args.messages / s, "stored": n} for name, (s, n) in results.items()}))


if __name__ == "__main__":
    main()
