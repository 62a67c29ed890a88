#!/usr/bin/env python3
"""The HTTP API against its contract: schemathesis generates requests from openapi.yaml (valid
and invalid ones, every operation) and runs all its checks on a demo server: each status,
header and body must be one the contract declares, no request may crash anything (5xx), and
the answers must match their schemas.

usage: scripts/api_contract.py PATH/TO/hakendesk [--max-examples 30]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import hakentest  # noqa: E402

TOKEN = "contract-admin-token-0123456789"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--max-examples", type=int, default=30)
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    schemathesis = os.path.join(os.path.dirname(sys.executable), "schemathesis")
    data_dir = tempfile.mkdtemp(prefix="hakendesk-contract-")
    process, port, _ = hakentest.serve(args.binary, data_dir, ("serve", "--demo"), HAKEN_ADMIN_TOKEN=TOKEN,
                                    HAKEN_INBOUND_TOKEN="contract-inbound-token-0123456789")
    try:
        # From the temporary folder, so schemathesis' own cache stays out of the repository.
        run = subprocess.run([schemathesis, "--config-file", os.path.join(root, "schemathesis.toml"),
                              "run", os.path.join(root, "openapi.yaml"), "--url", f"http://127.0.0.1:{port}",
                              "--checks", "all", "--max-examples", str(args.max_examples), "--seed", "20191021",
                              "-H", f"Authorization: Bearer {TOKEN}", "--report-dir", os.path.join(data_dir, "report")],
                             capture_output=True, text=True, timeout=1800, cwd=data_dir)
        output = run.stdout + run.stderr
        print(output)
    finally:
        hakentest.stop(process)
    ok = run.returncode == 0
    print(f"contract: {1 if ok else 0} passed, {0 if ok else 1} failed")
    if ok:
        shutil.rmtree(data_dir, ignore_errors=True)
        shutil.rmtree(data_dir + "-keys", ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
