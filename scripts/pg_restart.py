#!/usr/bin/env python3
"""PostgreSQL restarted under load: while clients keep sending mail over SMTP, the local
PostgreSQL cluster is stopped for a few seconds and started again. HakenDesk must answer
/healthz with 503 "degraded" while the database is away, refuse mail with a temporary 4xx
(never 250 without storing it), reconnect on its own, and in the end have stored and
processed every acknowledged message exactly once.

Needs root (pg_ctlcluster) and HAKEN_PGRESTART_DATABASE_URL=postgres://… on that cluster.
usage: scripts/pg_restart.py PATH/TO/hakendesk [--seconds 5]
"""
import argparse
import json
import os
import signal
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from hakentest import free_port, stored_mail, wait_for_port, wait_until_processed

SECRETARIAT = "senmonka-haken@example.jp"
ADMIN = "pgrestart-admin-token-0123456789"


def cluster():
    line = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout.split("\n")[0].split()
    return line[0], line[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--seconds", type=float, default=5)
    args = parser.parse_args()
    url = os.environ["HAKEN_PGRESTART_DATABASE_URL"]
    version, name = cluster()
    data_dir = tempfile.mkdtemp(prefix="hakendesk-pgrestart-")
    http_port, smtp_port = free_port(), free_port()
    env = dict(os.environ, HAKEN_DATA_DIR=data_dir, HAKEN_HTTP_PORT=str(http_port), HAKEN_SMTP_PORT=str(smtp_port),
               HAKEN_SECRETARIAT_ADDRESS=SECRETARIAT, HAKEN_ADMIN_TOKEN=ADMIN, HAKEN_DATABASE_URL=url, HAKEN_RECEIPTS_PER_HOUR="0")
    log = open(os.path.join(data_dir, "serve.log"), "ab")
    process = subprocess.Popen([args.binary, "serve"], env=env, stdout=log, stderr=log)
    wait_for_port(smtp_port)

    def health():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{http_port}/healthz", timeout=15) as response:
                return response.status, json.loads(response.read())["status"]
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())["status"]

    acked, temporary, lock, stop = set(), [0], threading.Lock(), threading.Event()

    def sender(first):
        number = first
        while not stop.is_set():
            data = (f"From: load@example.org\r\nTo: {SECRETARIAT}\r\nSubject: load {number}\r\n"
                    f"Message-ID: <load-{number}@pg.example>\r\n\r\nbody {number}\r\n").encode()
            while not stop.is_set():
                try:
                    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=30) as smtp:
                        smtp.sendmail("load@example.org", [SECRETARIAT], data)
                    with lock:
                        acked.add(number)
                    break
                except (OSError, smtplib.SMTPException):
                    with lock:
                        temporary[0] += 1
                    time.sleep(0.2)
            number += 4
    threads = [threading.Thread(target=sender, args=(i,), daemon=True) for i in range(4)]
    for t in threads:
        t.start()

    results = []
    time.sleep(2)
    results.append(("healthy before", health() == (200, "ok")))
    subprocess.run(["pg_ctlcluster", version, name, "stop", "-m", "fast"], check=True)
    time.sleep(1)
    during = health()
    results.append((f"/healthz says degraded while PostgreSQL is away ({during})", during == (503, "degraded")))
    before = len(acked)
    time.sleep(args.seconds)
    results.append(("no message is acknowledged while the database is away", len(acked) - before <= 0))
    subprocess.run(["pg_ctlcluster", version, name, "start"], check=True)
    deadline = time.time() + 60
    while time.time() < deadline and health() != (200, "ok"):
        time.sleep(0.5)
    results.append(("/healthz is ok again after the restart", health() == (200, "ok")))
    after = len(acked)
    # Sessions whose insert was in flight when PostgreSQL went away may wait out the intake's
    # 20 s transaction deadline (postgres-nio can lose a query's answer when the server
    # terminates the connection); recovery is due within that bound, not at once.
    deadline = time.time() + 30
    while time.time() < deadline and len(acked) <= after:
        time.sleep(0.5)
    recovered = time.time() - (deadline - 30)
    results.append((f"mail is accepted again after the restart (after {recovered:.1f} s)", len(acked) > after))
    stop.set()
    for t in threads:
        t.join(timeout=60)

    wait_until_processed(http_port, ADMIN, seconds=180)
    seen = stored_mail(http_port, ADMIN)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    missing = [n for n in acked if f"<load-{n}@pg.example>" not in seen]
    results.append((f"every acknowledged message is stored ({len(acked)} acknowledged, {temporary[0]} temporary failures)", not missing))
    results.append(("none is stored twice", all(len(v) == 1 for v in seen.values())))
    results.append(("all are processed", all("queued" not in v for v in seen.values())))
    failed = 0
    for name, ok in results:
        print(("ok   " if ok else "FAIL ") + name)
        failed += 0 if ok else 1
    print(f"pgrestart: {len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
