#!/usr/bin/env python3
"""Desk benchmark (#11): with 100,000 dispatches and 1,000,000 received mails seeded (every
queue populated, photos waiting), the secretariat's desk — its start page with every queue's
count, the inbox, Japanese substring search (three characters and more: SQLite's FTS5 trigram
index; fewer: a scan) and each queue's first page — is loaded by wrk (32 connections) against
`hakendesk serve`, signed in as the secretariat; each p95 is given as a ratio of /healthz's
p95 in the same run (before and after, averaged). Seeding is not timed.

usage: scripts/bench_desk.py PATH/TO/release/hakendesk [--mails 1000000] [--dispatches 100000]
       [--seconds 10] [--connections 32]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from hakentest import WRK_PERCENTILES, ratio_table, serve, sign_in, stop, wrk  # noqa: E402

QUEUES = ["unmatched", "unknownSender", "scheduleDiscrepancy", "late", "nameMismatch", "refused", "authenticationFailed", "declarations"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--businesses", type=int, default=20000)
    parser.add_argument("--dispatches", type=int, default=100000)
    parser.add_argument("--mails", type=int, default=1000000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="bench-desk-")
    script = os.path.join(data, "percentiles.lua")
    with open(script, "w") as f:
        f.write(WRK_PERCENTILES)
    env = dict(os.environ, HAKEN_DATA_DIR=data, LOG_LEVEL="warning")
    env.pop("HAKEN_DATABASE_URL", None)
    started = time.time()
    seeded = subprocess.run([args.binary, "bench", "desk-seed", "--businesses", str(args.businesses), "--dispatches", str(args.dispatches),
                             "--mails", str(args.mails)], env=env, capture_output=True, text=True)
    if seeded.returncode != 0:
        raise SystemExit(seeded.stderr[-3000:])
    seed = json.loads(seeded.stdout.strip().splitlines()[-1])
    print(f"seeded in {time.time() - started:.0f} s: {seed['mails']} mails, {seed['photos']} photos waiting", file=sys.stderr)
    # The scheduler would walk 100,000 dispatches at start; it is measured on its own, not here.
    process, port, _ = serve(args.binary, data, args=("serve",), LOG_LEVEL="warning", HAKEN_SCHEDULER_INTERVAL_SECONDS="0")
    q = urllib.parse.quote
    pages = [("/desk (every queue's count)", "/desk"), ("inbox, first page", "/desk/mail"),
             ("search: 3+ characters (trigram index)", "/desk/mail?q=" + q("ひまわり建設")),
             ("search: sender address", "/desk/mail?q=" + q("info123@example")),
             ("search: 2 characters (scan)", "/desk/mail?q=" + q("北斗"))]
    pages += [(f"queue {name}, first page", f"/desk/mail?queue={name}") for name in QUEUES]
    pages += [("photo queue", "/desk/photos"), ("consent register", "/desk/consents"), ("deadlines", "/desk/deadlines")]
    try:
        cookie = sign_in(port, seed["account"], seed["password"])
        for _, path in pages:   # warm: templates compiled, pages cached by the OS
            wrk(port, path, cookie, 1, 2, script)
        rows = [("/healthz", False, wrk(port, "/healthz", None, args.seconds, args.connections, script))]
        for name, path in pages:
            rows.append((name, True, wrk(port, path, cookie, args.seconds, args.connections, script)))
        rows.append(("/healthz (after)", False, wrk(port, "/healthz", None, args.seconds, args.connections, script)))
    finally:
        stop(process)
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(data + "-keys", ignore_errors=True)
    print(f"{args.mails} mails, {args.dispatches} dispatches; wrk -c {args.connections}, {args.seconds} s each; SQLite")
    _, bad = ratio_table(rows)
    if bad:
        print(f"answers that were not 2xx: {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
