#!/usr/bin/env python3
"""Page benchmark (#10): with a programme of 100,000 dispatches seeded, each role's dispatch
list and the dispatch page are loaded by wrk (32 connections) against `hakendesk serve`,
signed in as that role; each p95 is given as a ratio of /healthz's p95 measured in the same
run (before and after, averaged). Seeding is not timed. Goal: every ratio ≤ 5.

usage: scripts/bench_web.py PATH/TO/release/hakendesk [--dispatches 100000] [--businesses 20000]
       [--seconds 10] [--connections 32]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from hakentest import WRK_PERCENTILES, ratio_table, serve, sign_in, stop, wrk  # noqa: E402

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--businesses", type=int, default=20000)
    parser.add_argument("--dispatches", type=int, default=100000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="bench-web-")
    script = os.path.join(data, "percentiles.lua")
    with open(script, "w") as f:
        f.write(WRK_PERCENTILES)
    env = dict(os.environ, HAKEN_DATA_DIR=data, LOG_LEVEL="warning")
    env.pop("HAKEN_DATABASE_URL", None)
    seeded = subprocess.run([args.binary, "bench", "web-seed", "--businesses", str(args.businesses), "--dispatches", str(args.dispatches)],
                            env=env, capture_output=True, text=True)
    if seeded.returncode != 0:
        raise SystemExit(seeded.stderr[-3000:])
    seed = json.loads(seeded.stdout.strip().splitlines()[-1])
    process, port, _ = serve(args.binary, data, args=("serve",), LOG_LEVEL="warning")
    try:
        cookies = {role: sign_in(port, email, seed["password"]) for role, email in seed["accounts"].items()}
        for cookie in cookies.values():   # warm: templates compiled, caches filled
            wrk(port, "/dispatches", cookie, 2, 4, script)
        rows = [("/healthz", None, wrk(port, "/healthz", None, args.seconds, args.connections, script))]
        for role in ("business", "expert", "institution", "secretariat"):
            rows.append((f"{role}: /dispatches", role, wrk(port, "/dispatches", cookies[role], args.seconds, args.connections, script)))
            rows.append((f"{role}: /dispatches/{{id}}", role,
                         wrk(port, f"/dispatches/{seed['dispatch']}", cookies[role], args.seconds, args.connections, script)))
        rows.append(("/healthz (after)", None, wrk(port, "/healthz", None, args.seconds, args.connections, script)))
    finally:
        stop(process)
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(data + "-keys", ignore_errors=True)
    print(f"{args.dispatches} dispatches, {args.businesses} businesses; wrk -c {args.connections}, {args.seconds} s each; SQLite")
    worst, bad = ratio_table([(name, role is not None, r) for name, role, r in rows])
    print(f"worst ratio {worst:.1f} (goal ≤ 5)" + (f"; answers that were not 2xx: {bad}" if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
