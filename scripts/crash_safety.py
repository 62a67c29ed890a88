#!/usr/bin/env python3
"""Crash safety of mail intake (DEC-8): send many messages over SMTP from parallel clients
while `hakendesk serve` is killed with SIGKILL at random moments and restarted, then check
that every message that got `250` is stored exactly once and processed exactly once, and
that clients retrying after a dropped connection created no duplicate.

usage: scripts/crash_safety.py PATH/TO/hakendesk [--messages 20000] [--clients 20] [--kills 5]
       (PostgreSQL: set HAKEN_CRASH_DATABASE_URL=postgres://…)
"""
import argparse
import os
import random
import signal
import smtplib
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

from hakentest import free_port, stored_mail, wait_for_port, wait_until_processed

SECRETARIAT = "senmonka-haken@example.jp"
ADMIN = "crash-admin-token-0123456789"


class Server:
    def __init__(self, binary, data_dir, database_url):
        self.binary, self.data_dir, self.database_url = binary, data_dir, database_url
        self.http_port, self.smtp_port = free_port(), free_port()
        self.process = None
        self.lock = threading.Lock()

    def start(self):
        env = dict(os.environ, HAKEN_DATA_DIR=self.data_dir, HAKEN_HTTP_PORT=str(self.http_port), HAKEN_SMTP_PORT=str(self.smtp_port),
                   HAKEN_SECRETARIAT_ADDRESS=SECRETARIAT, HAKEN_ADMIN_TOKEN=ADMIN, HAKEN_RECEIPTS_PER_HOUR="0")
        if self.database_url:
            env["HAKEN_DATABASE_URL"] = self.database_url
        log = open(os.path.join(self.data_dir, "serve.log"), "ab")
        self.process = subprocess.Popen([self.binary, "serve"], env=env, stdout=log, stderr=log)
        wait_for_port(self.smtp_port)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


def message(number):
    body = f"crash test message {number}\r\n" + ("x" * 76 + "\r\n") * 60
    return (f"From: sender{number % 50}@example.org\r\nTo: {SECRETARIAT}\r\nSubject: crash {number}\r\n"
            f"Message-ID: <crash-{number}@crash.example>\r\nDate: Wed, 21 Aug 2019 10:30:00 +0900\r\n\r\n{body}").encode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--kills", type=int, default=5)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="hakendesk-crash-")
    database_url = os.environ.get("HAKEN_CRASH_DATABASE_URL")
    server = Server(args.binary, data_dir, database_url)
    server.start()

    acked, retries, lock = set(), [0], threading.Lock()
    queue = list(range(args.messages))
    queue_lock = threading.Lock()

    def client():
        while True:
            with queue_lock:
                if not queue:
                    return
                number = queue.pop()
            data = message(number)
            while True:   # retry the same bytes until a 250 or a permanent refusal
                try:
                    with smtplib.SMTP("127.0.0.1", server.smtp_port, timeout=30) as smtp:
                        smtp.sendmail(f"sender{number % 50}@example.org", [SECRETARIAT], data)
                    with lock:
                        acked.add(number)
                    break
                except (OSError, smtplib.SMTPException):
                    with lock:
                        retries[0] += 1
                    time.sleep(0.2)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(args.clients)]
    for t in threads:
        t.start()

    kills = 0
    while any(t.is_alive() for t in threads):
        if kills < args.kills and len(acked) > (kills + 1) * args.messages / (args.kills + 2):
            time.sleep(random.uniform(0, 0.5))
            server.kill()
            kills += 1
            print(f"killed at {len(acked)} acknowledged; restarting", flush=True)
            time.sleep(random.uniform(0, 0.5))
            server.start()
        time.sleep(0.05)
    for t in threads:
        t.join()

    wait_until_processed(server.http_port, ADMIN)
    seen = stored_mail(server.http_port, ADMIN)
    server.process.send_signal(signal.SIGTERM)
    server.process.wait(timeout=30)

    missing = [n for n in acked if f"<crash-{n}@crash.example>" not in seen]
    doubled = {k: v for k, v in seen.items() if len(v) > 1}
    unprocessed = {k: v for k, v in seen.items() if "queued" in v}
    # Processed exactly once: one mail.process audit entry per stored mail.
    if database_url:
        out = subprocess.run(["psql", database_url.split("?")[0], "-Atc",
                              "SELECT subject, count(*) FROM " + (f"{database_url.split('schema=')[1]}." if "schema=" in database_url else "")
                              + "audit_log WHERE action = 'mail.process' GROUP BY subject HAVING count(*) > 1"],
                             capture_output=True, text=True)
        twice = [line for line in out.stdout.splitlines() if line]
        processed = None
    else:
        db = sqlite3.connect(os.path.join(data_dir, "hakendesk.sqlite"))
        twice = db.execute("SELECT subject, count(*) FROM audit_log WHERE action = 'mail.process' GROUP BY subject HAVING count(*) > 1").fetchall()
        processed = db.execute("SELECT count(DISTINCT subject) FROM audit_log WHERE action = 'mail.process'").fetchone()[0]
    verify = subprocess.run([args.binary, "audit", "verify"], env=dict(os.environ, HAKEN_DATA_DIR=data_dir,
                            **({"HAKEN_DATABASE_URL": database_url} if database_url else {})), capture_output=True, text=True)

    print(f"messages {args.messages}, acknowledged {len(acked)}, client retries {retries[0]}, kills {kills}, stored {len(seen)}"
          + (f", processed {processed}" if processed is not None else ""))
    failures = []
    if kills < args.kills:
        failures.append(f"only {kills} kills happened")
    if len(acked) != args.messages:
        failures.append(f"{args.messages - len(acked)} messages never acknowledged")
    if missing:
        failures.append(f"{len(missing)} acknowledged messages lost, e.g. {missing[:5]}")
    if doubled:
        failures.append(f"{len(doubled)} messages stored twice")
    if unprocessed:
        failures.append(f"{len(unprocessed)} messages never processed")
    if twice:
        failures.append(f"{len(twice)} messages processed twice: {twice[:3]}")
    if processed is not None and processed != len(seen):
        failures.append(f"processed {processed} of {len(seen)}")
    if verify.returncode != 0:
        failures.append("audit chain broken: " + verify.stdout + verify.stderr[-300:])
    for failure in failures:
        print("FAIL", failure)
    print(f"crash: {0 if failures else 1} passed, {1 if failures else 0} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
