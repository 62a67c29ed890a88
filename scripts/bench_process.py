#!/usr/bin/env python3
"""Processing benchmark: `hakendesk bench process` on a fresh SQLite database and, when a
PostgreSQL URL is given, on a fresh PostgreSQL schema, with the same seeded programme and
the same mails. Seeding and queueing are not timed; processing is (read the mail, match
it, record the evidence, append the audit entry, queue the receipt).
Targets (issue #4): >= 2,000 mails/s on SQLite, p99 per mail <= 20 ms; PostgreSQL beside it.

usage: scripts/bench_process.py PATH/TO/release/hakendesk [--businesses 20000]
       [--dispatches 100000] [--mails 50000] [--postgres-url URL]
(--postgres-url defaults to $HAKEN_TEST_POSTGRES_URL; a schema of its own is created and dropped)
"""
import argparse
import json
import os
import sys
import shutil
import subprocess
import tempfile


def run(binary, args, database_url=None):
    folder = tempfile.mkdtemp(prefix="bench-process-")
    env = dict(os.environ, HAKEN_DATA_DIR=folder, LOG_LEVEL="warning")
    env.pop("HAKEN_DATABASE_URL", None)
    if database_url:
        env["HAKEN_DATABASE_URL"] = database_url
    try:
        out = subprocess.run([binary, "bench", "process", "--businesses", str(args.businesses), "--dispatches", str(args.dispatches),
                              "--mails", str(args.mails)], env=env, capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(f"bench process failed:\n{out.stderr[-3000:]}")
        result = json.loads(out.stdout.strip().splitlines()[-1])
        verify = subprocess.run([binary, "audit", "verify"], env=env, capture_output=True, text=True)
        lines = [line for line in verify.stdout.splitlines() if line.startswith("audit log")]
        result["auditVerify"] = "; ".join(lines) or verify.stderr.strip()[-300:]
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(folder + "-keys", ignore_errors=True)   # the audit key folder beside it


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--businesses", type=int, default=20000)
    parser.add_argument("--dispatches", type=int, default=100000)
    parser.add_argument("--mails", type=int, default=50000)
    parser.add_argument("--postgres-url", default=os.environ.get("HAKEN_TEST_POSTGRES_URL"))
    args = parser.parse_args()

    print(f"{args.businesses} businesses, {args.dispatches} dispatches, {args.mails} report mails (start and end reports)")
    results = {"SQLite": run(args.binary, args)}
    if args.postgres_url:
        schema = f"bench_{os.getpid()}"
        separator = "&" if "?" in args.postgres_url else "?"
        try:
            results["PostgreSQL"] = run(args.binary, args, f"{args.postgres_url}{separator}schema={schema}")
        finally:
            subprocess.run(["psql", args.postgres_url, "-q", "-c", f"DROP SCHEMA IF EXISTS {schema} CASCADE"], check=False,
                           env=dict(os.environ, PGOPTIONS="--client-min-messages=warning"))

    print(f"{'database':12} {'mails':>7} {'seconds':>8} {'mails/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7}  statuses / audit")
    for name, r in results.items():
        print(f"{name:12} {r['processed']:7} {r['seconds']:8.2f} {r['mailsPerSecond']:8.0f} {r['p50ms']:7.1f} {r['p99ms']:7.1f} "
              f"{r['maxms']:7.1f}  {r['statuses']} / {r['auditVerify']}")
    if "PostgreSQL" in results:
        ratio = results["PostgreSQL"]["mailsPerSecond"] / results["SQLite"]["mailsPerSecond"]
        print(f"PostgreSQL processes {ratio:.2f}x the mails per second of SQLite")
    print(json.dumps(results))
    # A run that did not match every report measured another path (once, every seeded mail was
    # read as machine mail and set aside): its numbers mean nothing.
    wrong = {name: r["statuses"] for name, r in results.items() if r["statuses"] != {"matched": args.mails}}
    if wrong:
        sys.exit(f"not every report was matched, so this run measured something else: {wrong}")


if __name__ == "__main__":
    main()
