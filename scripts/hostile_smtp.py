#!/usr/bin/env python3
"""Hostile SMTP clients against a running `hakendesk serve`, while an honest client keeps
sending reports and its latency is measured. Every attack must get the proper reply or a
clean close, the honest client must keep being served, and the server's memory must stay
bounded.

usage: scripts/hostile_smtp.py PATH/TO/hakendesk
"""
import os
import resource
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
import hakentest  # noqa: E402

SECRETARIAT = "senmonka-haken@example.jp"
IDLE = 3   # seconds without a complete line before the server hangs up
results = {"passed": 0, "failed": 0}


def check(name, condition, detail=""):
    results["passed" if condition else "failed"] += 1
    print(f"{'ok  ' if condition else 'FAIL'} {name}" + ("" if condition else f" {detail}"), flush=True)


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Client:
    def __init__(self, port, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.file = self.sock.makefile("rb")

    def reply(self):
        lines = []
        while True:
            line = self.file.readline()
            if not line:
                return b"".join(lines) or b"<closed>"
            lines.append(line)
            if len(line) < 4 or line[3:4] != b"-":
                return b"".join(lines)

    def send(self, data):
        self.sock.sendall(data)

    def command(self, line):
        self.send(line + b"\r\n")
        return self.reply()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def honest_transaction(port, number):
    c = Client(port)
    try:
        assert c.reply().startswith(b"220")
        assert c.command(b"EHLO honest.example").startswith(b"250")
        assert c.command(b"MAIL FROM:<info@basona.example.jp>").startswith(b"250")
        assert c.command(b"RCPT TO:<" + SECRETARIAT.encode() + b">").startswith(b"250")
        assert c.command(b"DATA").startswith(b"354")
        body = f"From: info@basona.example.jp\r\nTo: {SECRETARIAT}\r\nSubject: honest {number}\r\nMessage-ID: <honest-{number}-{time.time()}@x>\r\n\r\nbody\r\n.\r\n"
        c.send(body.encode())
        assert c.reply().startswith(b"250")
        c.command(b"QUIT")
        return True
    finally:
        c.close()


class Honest(threading.Thread):
    """Sends a report every 0.2 s and records how long each took."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port, self.latencies, self.failures, self.stop = port, [], 0, threading.Event()

    def run(self):
        number = 0
        while not self.stop.is_set():
            number += 1
            began = time.monotonic()
            try:
                honest_transaction(self.port, number)
                self.latencies.append(time.monotonic() - began)
            except Exception as error:  # noqa: BLE001 - any failure counts
                self.failures += 1
                print(f"     honest client failed: {error!r}", flush=True)
            time.sleep(0.2)


def start_server(binary, data_dir, cert=None, key=None, descriptors=None, **settings):
    """`hakendesk serve` with SMTP; every attacker here shares the loopback address, so the
    per-address cap is lifted unless a test sets it. Returns (process, smtp_port, http_port)."""
    base = dict(HAKEN_SECRETARIAT_ADDRESS=SECRETARIAT, HAKEN_SMTP_IDLE_TIMEOUT=IDLE, HAKEN_SMTP_MAX_CONNECTIONS_PER_ADDRESS=5000,
                LOG_LEVEL="info")
    if cert:
        base.update(HAKEN_SMTP_TLS_CERT=cert, HAKEN_SMTP_TLS_KEY=key)
    base.update(settings)
    process, http_port, smtp_port = hakentest.serve(binary, data_dir, smtp=True, descriptors=descriptors, **base)
    return process, smtp_port, http_port


stop_server = hakentest.stop


def descriptor_exhaustion(binary):
    """With `ulimit -n 1024` and the default connection cap (derived from that limit),
    1,100 idle SMTP connections are answered 220 or 421 and /healthz still answers."""
    data_dir = tempfile.mkdtemp(prefix="hakendesk-fds-")
    process, port, http_port = start_server(binary, data_dir, descriptors=1024, HAKEN_SMTP_IDLE_TIMEOUT=60)
    clients = []
    try:
        for _ in range(1100):
            try:
                clients.append(Client(port, timeout=10))
            except OSError:
                break
        greetings = [c.reply()[:3] for c in clients]
        check("1,100 connections under ulimit -n 1024: each gets 220 or 421",
              len(clients) == 1100 and set(greetings) <= {b"220", b"421"} and greetings.count(b"421") > 0,
              (len(clients), greetings.count(b"220"), greetings.count(b"421")))
        began = time.monotonic()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{http_port}/healthz", timeout=5) as response:
                healthy = response.status == 200
        except OSError:
            healthy = False
        check("/healthz still answers while SMTP is full", healthy and time.monotonic() - began < 5, time.monotonic() - began)
        honest = Client(port, timeout=5)
        check("a client over the cap is told 421, not left hanging", honest.reply()[:3] in (b"421", b"220"))
        honest.close()
    finally:
        for c in clients:
            c.close()
        stop_server(process)


def ready(c):
    c.reply()
    c.command(b"EHLO attacker.example")


def main():
    binary = sys.argv[1]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
    data_dir = tempfile.mkdtemp(prefix="hakendesk-hostile-")
    cert, key = os.path.join(data_dir, "cert.pem"), os.path.join(data_dir, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    process, port, _ = start_server(binary, data_dir, cert, key, HAKEN_SMTP_MAX_CONNECTIONS=3000)
    honest = Honest(port)
    try:
        time.sleep(1)
        baseline = rss_mb(process.pid)
        honest.start()

        # One byte a second (a minute, scaled down) and never a whole line: cut off at the idle limit.
        slow = [Client(port) for _ in range(20)]
        for c in slow:
            c.reply()
        began = time.monotonic()
        closed = 0
        while time.monotonic() - began < IDLE * 3 and closed < len(slow):
            closed = 0
            for c in slow:
                try:
                    c.send(b"N")
                except OSError:
                    closed += 1
            time.sleep(1)
        answers = [c.reply() for c in slow]
        check("byte-a-second clients are closed at the idle limit with 421", all(a.startswith(b"421") or a == b"<closed>" for a in answers)
              and time.monotonic() - began < IDLE * 3, answers[:2])
        for c in slow:
            c.close()

        # 1,000 idle connections: all greeted, then closed by the server, none kept forever.
        idle = []
        for _ in range(1000):
            c = Client(port, timeout=IDLE * 4)
            idle.append(c)
        greeted = sum(1 for c in idle if c.reply().startswith(b"220"))
        check("1,000 idle connections are all greeted", greeted == 1000, greeted)
        goodbyes = [c.reply() for c in idle]
        check("idle connections are closed with 421 after the idle limit", all(g.startswith(b"421") or g == b"<closed>" for g in goodbyes),
              goodbyes[:2])
        for c in idle:
            c.close()

        # 100 MB of DATA against a 30 MB limit: read to the end, refused with 552, memory bounded.
        c = Client(port, timeout=60)
        ready(c)
        c.command(b"MAIL FROM:<big@example.jp>")
        c.command(b"RCPT TO:<" + SECRETARIAT.encode() + b">")
        c.command(b"DATA")
        line = b"x" * 998 + b"\r\n"
        chunk = line * 1000
        peak = 0.0
        for index in range(105):
            c.send(chunk)
            if index % 20 == 0:
                peak = max(peak, rss_mb(process.pid))
        c.send(b".\r\n")
        answer = c.reply()
        peak = max(peak, rss_mb(process.pid))
        check("a 100 MB DATA gets 552", answer.startswith(b"552"), answer)
        check(f"memory stays bounded during it (peak {peak:.0f} MB, baseline {baseline:.0f} MB)", peak - baseline < 200, peak)
        check("the connection goes on after 552", c.command(b"NOOP").startswith(b"250"))
        c.close()

        # A 1 MB line: 500, connection still usable.
        c = Client(port)
        ready(c)
        c.send(b"NOOP " + b"a" * (1024 * 1024) + b"\r\n")
        answer = c.reply()
        check("a 1 MB command line gets 500", answer.startswith(b"500"), answer)
        check("the connection goes on after the long line", c.command(b"NOOP").startswith(b"250"))
        c.close()

        # 1,000 RCPTs: 100 accepted, the rest 452.
        c = Client(port)
        ready(c)
        c.command(b"MAIL FROM:<many@example.jp>")
        c.send(b"".join(b"RCPT TO:<" + SECRETARIAT.encode() + b">\r\n" for _ in range(1000)))
        codes = [c.reply()[:3] for _ in range(1000)]
        check("1,000 RCPTs: 100 accepted, the rest 452", codes.count(b"250") == 100 and codes.count(b"452") == 900,
              (codes.count(b"250"), codes.count(b"452")))
        c.close()

        # Bare LF line ends and NUL bytes.
        c = Client(port)
        c.reply()
        c.send(b"EHLO lf.example\nMAIL FROM:<lf@example.jp>\nRCPT TO:<" + SECRETARIAT.encode() + b">\nDATA\n")
        answers = [c.reply()[:3] for _ in range(4)]
        c.send(b"Subject: lf\n\nbo\x00dy\n\r\n.\r\n")
        stored = c.reply()
        check("bare-LF commands are understood", answers == [b"250", b"250", b"250", b"354"], answers)
        check("a message with NUL bytes and bare LFs is stored (250)", stored.startswith(b"250"), stored)
        c.close()

        # Smuggling: only <CRLF>.<CRLF> ends DATA, so a second transaction hidden behind bare
        # LFs is part of the first message, never a message of its own.
        c = Client(port)
        ready(c)
        c.command(b"MAIL FROM:<a@example.jp>")
        c.command(b"RCPT TO:<" + SECRETARIAT.encode() + b">")
        c.command(b"DATA")
        c.send(b"Subject: first\r\n\r\nhello\n.\nMAIL FROM:<info@basona.example.jp>\nRCPT TO:<" + SECRETARIAT.encode()
               + b">\nDATA\nFrom: info@basona.example.jp\n\nforged\r\n.\n\r\n.\r\n")
        first = c.reply()
        after = c.command(b"NOOP")
        check("a message smuggled behind bare LFs stays inside the first (one 250, then NOOP 250)",
              first.startswith(b"250") and after.startswith(b"250"), (first, after))
        check("NUL bytes in a command get 500", c.command(b"NO\x00OP").startswith(b"500"))
        c.close()

        # Commands out of order, and mail for somebody else.
        c = Client(port)
        c.reply()
        check("MAIL before EHLO gets 503", c.command(b"MAIL FROM:<a@example.jp>").startswith(b"503"))
        c.command(b"EHLO order.example")
        check("DATA before MAIL gets 503", c.command(b"DATA").startswith(b"503"))
        c.command(b"MAIL FROM:<a@example.jp>")
        check("a recipient other than the secretariat gets 550", c.command(b"RCPT TO:<victim@elsewhere.example>").startswith(b"550"))
        check("VRFY is refused", c.command(b"VRFY root").startswith(b"502"))
        c.close()

        # Pipelined garbage: errors, then the server hangs up.
        c = Client(port)
        ready(c)
        c.send(b"".join(os.urandom(40).replace(b"\n", b"").replace(b"\r", b"") + b"\r\n" for _ in range(200)))
        replies = []
        while True:
            answer = c.reply()
            replies.append(answer)
            if answer == b"<closed>" or answer.startswith(b"421"):
                break
        check("pipelined garbage ends in 421 and a close", replies[-1].startswith(b"421") or replies[-1] == b"<closed>", replies[-3:])
        c.close()

        # STARTTLS downgrade: commands pipelined behind STARTTLS in plain text are not run.
        c = Client(port)
        ready(c)
        c.send(b"STARTTLS\r\nMAIL FROM:<injected@example.jp>\r\n")
        started = c.reply()
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        tls = context.wrap_socket(c.sock, server_hostname="localhost")
        tls.sendall(b"MAIL FROM:<after@example.jp>\r\n")
        first = tls.makefile("rb").readline()
        check("plain text injected behind STARTTLS is dropped", started.startswith(b"220") and first.startswith(b"503"), (started, first))
        tls.close()

        time.sleep(1)
    finally:
        honest.stop.set()
        honest.join(timeout=30)
        final = rss_mb(process.pid) if process.poll() is None else 0
        stop_server(process)
    latencies = sorted(honest.latencies)
    if latencies:
        p50 = statistics.median(latencies) * 1000
        worst = latencies[-1] * 1000
        print(f"     honest client: {len(latencies)} reports, p50 {p50:.0f} ms, max {worst:.0f} ms, server RSS {final:.0f} MB")
    check("the honest client was served throughout", honest.failures == 0 and len(latencies) > 20, (honest.failures, len(latencies)))
    check("the honest client never waited more than 2 s", bool(latencies) and latencies[-1] < 2.0, latencies[-1:] if latencies else None)
    descriptor_exhaustion(binary)
    print(f"hostile: {results['passed']} passed, {results['failed']} failed")
    sys.exit(1 if results["failed"] else 0)


if __name__ == "__main__":
    main()
