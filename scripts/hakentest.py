"""Small helpers shared by the test scripts that drive a real `hakendesk serve`."""
import http.cookiejar
import json
import re
import socket
import subprocess
import time
import urllib.parse
import urllib.request


def free_port():
    """A port nothing listens on right now (loopback)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, seconds=60):
    """Returns once something accepts connections on the port; raises after `seconds`."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def api(http_port, token, path):
    """GET a JSON API path; returns (body, headers)."""
    request = urllib.request.Request(f"http://127.0.0.1:{http_port}{path}", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read()), response.headers


def wait_until_processed(http_port, token, seconds=600):
    """Waits until no stored mail is queued any more."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        _, headers = api(http_port, token, "/api/v1/mail?status=queued&per=1")
        if headers["X-Total-Count"] == "0":
            return True
        time.sleep(1)
    return False


def stored_mail(http_port, token):
    """Every stored mail's statuses by Message-ID (a list, so duplicates show)."""
    seen, page = {}, 1
    while True:
        items, headers = api(http_port, token, f"/api/v1/mail?per=500&page={page}")
        for item in items:
            seen.setdefault(item["messageId"], []).append(item["status"])
        if page * 500 >= int(headers["X-Total-Count"]):
            return seen
        page += 1


def serve(binary, data_dir, args=("serve",), smtp=False, descriptors=None, **settings):
    """Starts `hakendesk serve` on free ports with the given HAKEN_* settings, SMTP on a port of
    its own when `smtp`, under `ulimit -n descriptors` when given; returns
    (process, http_port, smtp_port or None) once /healthz (and SMTP) answer."""
    import os
    import resource
    import subprocess
    http_port, smtp_port = free_port(), (free_port() if smtp else None)
    env = dict(os.environ, HAKEN_DATA_DIR=data_dir, HAKEN_HTTP_PORT=str(http_port), HAKEN_SMTP_PORT=str(smtp_port or 0),
               LOG_LEVEL="warning")
    env.update({name: str(value) for name, value in settings.items()})

    def limit():
        if descriptors:
            resource.setrlimit(resource.RLIMIT_NOFILE, (descriptors, descriptors))

    log = open(os.path.join(data_dir, "serve.log"), "ab")
    process = subprocess.Popen([binary, *args], env=env, stdout=log, stderr=log, preexec_fn=limit)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{http_port}/healthz", timeout=1):
                pass
            if smtp_port:
                socket.create_connection(("127.0.0.1", smtp_port), timeout=1).close()
            return process, http_port, smtp_port
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"hakendesk exited with {process.returncode}; see {data_dir}/serve.log")
            time.sleep(0.2)
    raise RuntimeError("hakendesk did not start")


def stop(process, seconds=20):
    """SIGTERM, then SIGKILL after `seconds`."""
    import signal
    import subprocess
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Checks:
    """Named pass/fail checks and the summary line `scripts/test` adds up (`<name>: N passed, M failed`)."""

    def __init__(self, name):
        self.name, self.passed, self.failed = name, 0, 0

    def check(self, label, condition, detail=""):
        if condition:
            self.passed += 1
            print(f"  ok   {label}")
        else:
            self.failed += 1
            print(f"  FAIL {label} {detail}")
        return condition

    def summary(self):
        """Prints the summary line; returns the exit status."""
        print(f"{self.name}: {self.passed} passed, {self.failed} failed")
        return 0 if self.failed == 0 else 1


# wrk's own summary has no p95: a done() hook prints the percentiles as JSON.
WRK_PERCENTILES = """
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "errors": %d, "non2xx": %d, "p50": %.3f, "p95": %.3f, "p99": %.3f, "seconds": %.3f}\\n',
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.duration / 1e6))
end
"""


def sign_in(port, email, password):
    """The session cookie of a signed-in browser."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"http://127.0.0.1:{port}/login").read().decode()
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"_csrf": csrf, "email": email, "password": password, "next": "/dispatches"}).encode()
    final = opener.open(f"http://127.0.0.1:{port}/login", data=form)
    if "/login" in final.geturl():
        raise SystemExit(f"could not sign in as {email}")
    return next(c.value for c in jar if c.name == "hakendesk_session")


def wrk(port, path, cookie, seconds, connections, script):
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "-s", script, "-H", "Accept: text/html"]
    if cookie:
        command += ["-H", f"Cookie: hakendesk_session={cookie}"]
    out = subprocess.run(command + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def ratio_table(rows):
    """Prints wrk results as the benchmarks' table, each p95 as a ratio of /healthz's (the first and
    last rows, averaged); returns (worst ratio of the measured rows, names that were not all 2xx).
    `rows`: (name, measured, result) with `measured` False for the /healthz references."""
    reference = (rows[0][2]["p95"] + rows[-1][2]["p95"]) / 2
    print("| page | requests/s | p50 ms | p95 ms | p99 ms | p95 ÷ /healthz p95 | non-2xx |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    worst = 0
    for name, measured, r in rows:
        ratio = r["p95"] / reference if reference else 0
        if measured:
            worst = max(worst, ratio)
        print(f"| {name} | {r['requests'] / r['seconds']:.0f} | {r['p50']:.2f} | {r['p95']:.2f} | {r['p99']:.2f} | {ratio:.1f} | {r['non2xx'] + r['errors']} |")
    return worst, [name for name, _, r in rows if r["non2xx"] or r["errors"]]


def dkim_rsa_key(bits=2048):
    """A new RSA key for DKIM: (private PEM for dkimpy, the key's TXT record)."""
    import base64
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, "v=DKIM1; k=rsa; p=" + base64.b64encode(public).decode()


def dkim_ed25519_key():
    """A new ed25519 key for DKIM (RFC 8463): (base64 seed for dkimpy, the key's TXT record)."""
    import base64
    import nacl.signing
    signing = nacl.signing.SigningKey.generate()
    return base64.b64encode(bytes(signing)), "v=DKIM1; k=ed25519; p=" + base64.b64encode(bytes(signing.verify_key)).decode()
