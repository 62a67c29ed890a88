#!/usr/bin/env python3
"""End-to-end test of mail intake over real SMTP on loopback.

Starts `hakendesk serve` (SQLite in a temporary folder, or PostgreSQL when
HAKEN_E2E_DATABASE_URL is set) with an aiosmtpd server as its relay, registers a dispatch
through the API, then:
  - sends a start report with smtplib (ISO-2022-JP), and checks the evidence and the receipt;
  - sends pipelined commands over a raw socket, and an 8-bit SMTPUTF8 report;
  - stops processing, sends the end report, kills the server with SIGKILL after the 250,
    restarts it, and checks the report is processed exactly once (DEC-8);
  - checks refusals: a recipient that is not the secretariat, a message over SIZE.

usage: scripts/e2e_smtp.py PATH/TO/hakendesk
"""
import datetime
import email
import email.policy
import email.mime.image
import email.mime.multipart
import json
import os
import signal
import socket
import smtplib
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from email.header import Header
from email.mime.text import MIMEText

from aiosmtpd.controller import Controller

ADMIN = "e2e-admin-token-0123456789"
SECRETARIAT = "senmonka-haken@example.jp"
BUSINESS = "info@basona.example.jp"
results = {"passed": 0, "failed": 0}


def check(name, condition, detail=""):
    if condition:
        results["passed"] += 1
        print(f"ok   {name}")
    else:
        results["failed"] += 1
        print(f"FAIL {name} {detail}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Relay:
    """aiosmtpd as the relay: keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 2.0.0 Ok: relayed"


class Server:
    def __init__(self, binary, data_dir, http_port, smtp_port, relay_port, cert, key):
        self.binary, self.data_dir = binary, data_dir
        self.cert, self.key = cert, key
        self.http_port, self.smtp_port, self.relay_port = http_port, smtp_port, relay_port
        self.process = None

    def start(self, processing=True):
        env = dict(os.environ, HAKEN_DATA_DIR=self.data_dir, HAKEN_HTTP_PORT=str(self.http_port),
                   HAKEN_SMTP_PORT=str(self.smtp_port), HAKEN_ADMIN_TOKEN=ADMIN, HAKEN_SECRETARIAT_ADDRESS=SECRETARIAT,
                   HAKEN_SMTP_RELAY=f"127.0.0.1:{self.relay_port}", HAKEN_MAIL_PROCESSING="1" if processing else "0",
                   HAKEN_SMTP_MAX_SIZE="200000", HAKEN_SMTP_TLS_CERT=self.cert, HAKEN_SMTP_TLS_KEY=self.key,
                   HAKEN_SMTP_RELAY_STARTTLS="1", HAKEN_SMTP_RELAY_CA=self.cert,
                   HAKEN_SMTP_RELAY_USER="hakendesk", HAKEN_SMTP_RELAY_PASSWORD="relay-secret")
        if os.environ.get("HAKEN_E2E_DATABASE_URL"):
            env["HAKEN_DATABASE_URL"] = os.environ["HAKEN_E2E_DATABASE_URL"]
        self.log = open(os.path.join(self.data_dir, "serve.log"), "ab")
        self.process = subprocess.Popen([self.binary, "serve"], env=env, stdout=self.log, stderr=self.log)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}/healthz", timeout=1):
                    pass
                with socket.create_connection(("127.0.0.1", self.smtp_port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("hakendesk serve did not start; see " + self.log.name)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        return self.process.returncode

    def api(self, method, path, body=None):
        request = urllib.request.Request(f"http://127.0.0.1:{self.http_port}{path}", method=method,
                                         data=json.dumps(body).encode() if body is not None else None,
                                         headers={"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())


def wait_for(predicate, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return predicate()


def report_mail(subject, charset="iso-2022-jp", message_id=None):
    msg = MIMEText("", "plain", charset)
    msg["From"] = BUSINESS
    msg["To"] = SECRETARIAT
    msg["Subject"] = Header(subject, charset)
    msg["Date"] = email.utils.formatdate(localtime=True)
    msg["Message-ID"] = message_id or email.utils.make_msgid(domain="basona.example.jp")
    return msg


def main():
    binary = sys.argv[1]
    now = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=9)))
    if now.hour == 23 and now.minute >= 50:
        time.sleep((60 - now.minute) * 60 + 65)   # keep the dispatch inside one day
        now = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=9)))
    start = now.replace(second=0, microsecond=0)
    end = start + datetime.timedelta(minutes=2)
    day = f"{start.month}月{start.day}日"

    data_dir = tempfile.mkdtemp(prefix="hakendesk-e2e-")
    # One self-signed certificate for our STARTTLS and the relay's (which requires it).
    cert, key = os.path.join(data_dir, "cert.pem"), os.path.join(data_dir, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    relay_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    relay_tls.load_cert_chain(cert, key)
    relay_handler = Relay()
    def authenticate(server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult
        ok = mechanism == "PLAIN" and auth_data.login == b"hakendesk" and auth_data.password == b"relay-secret"
        return AuthResult(success=ok)
    relay = Controller(relay_handler, hostname="127.0.0.1", port=free_port(), tls_context=relay_tls, require_starttls=True,
                       authenticator=authenticate, auth_required=True)
    relay.start()
    server = Server(binary, data_dir, free_port(), free_port(), relay.port, cert, key)
    server.start()
    try:
        institution = server.api("POST", "/api/v1/institutions", {"name": "東京都よろず支援拠点", "kind": "yorozu", "email": "yorozu@example.jp"})["id"]
        expert = server.api("POST", "/api/v1/experts", {"name": "専門家次郎", "email": "jiro@example.jp"})["id"]
        business = server.api("POST", "/api/v1/businesses", {"name": "ばそな建設", "contactName": "派遣 太郎", "email": BUSINESS})["id"]
        consultation = server.api("POST", "/api/v1/consultations", {   # CON-1: the dispatch rests on it
            "institutionId": institution, "businessId": business, "date": start.strftime("%Y-%m-%d"), "mode": "対面",
            "consultedPerson": "派遣 太郎", "photographed": True})["id"]
        dispatch = server.api("POST", "/api/v1/dispatches", {
            "businessId": business, "expertId": expert, "institutionId": institution, "consultationId": consultation,
            "date": start.strftime("%Y-%m-%d"),
            "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M"), "place": "本社"})["id"]

        def evidence(kind):
            return server.api("GET", f"/api/v1/dispatches/{dispatch}")["evidence"][kind]["status"]

        # 1. A start report from smtplib, ISO-2022-JP as Japanese phones send it.
        with smtplib.SMTP("127.0.0.1", server.smtp_port) as smtp:
            code, lines = smtp.ehlo()
            features = lines.decode()
            check("EHLO offers SIZE, 8BITMIME, SMTPUTF8, PIPELINING, ENHANCEDSTATUSCODES",
                  all(word in features for word in ["SIZE", "8BITMIME", "SMTPUTF8", "PIPELINING", "ENHANCEDSTATUSCODES"]), features)
            refused = smtp.sendmail(BUSINESS, [SECRETARIAT], report_mail(f"ばそな建設/専門家次郎/{day} {start:%H:%M}").as_bytes())
            check("start report accepted with 250", refused == {})
            try:
                smtp.sendmail(BUSINESS, ["someone@else.example"], b"Subject: x\r\n\r\nx\r\n")
                check("a foreign recipient is refused with 550", False)
            except smtplib.SMTPRecipientsRefused as error:
                code = list(error.recipients.values())[0][0]
                check("a foreign recipient is refused with 550", code == 550, str(error.recipients))
            try:
                smtp.sendmail(BUSINESS, [SECRETARIAT], b"Subject: big\r\n\r\n" + b"x" * 300000)
                check("a message over SIZE is refused with 552", False)
            except smtplib.SMTPException as error:
                check("a message over SIZE is refused with 552", "552" in str(error), str(error))
        check("start report recorded as accepted evidence", wait_for(lambda: evidence("startReport") == "accepted"), evidence("startReport"))

        # The receipt answers the report (In-Reply-To); the dispatch notice mailed at filing does not.
        receipt = wait_for(lambda: [m for m in relay_handler.messages if BUSINESS in m[1] and b"In-Reply-To:" in m[2]])
        check("a receipt reaches the relay (STARTTLS and AUTH PLAIN, which the relay requires)", bool(receipt))
        if receipt:
            parsed = email.message_from_bytes(receipt[0][2], policy=email.policy.default)
            check("the receipt says what was understood", "支援開始報告を受け付けました" in parsed.get_content(), parsed.get_content()[:200])
            check("the receipt is marked Auto-Submitted: auto-replied", parsed["Auto-Submitted"] == "auto-replied")
            check("the receipt subject is Japanese", "受付" in str(parsed["Subject"]), str(parsed["Subject"]))

        # 2. Pipelining over a raw socket, and an 8-bit SMTPUTF8 message.
        with socket.create_connection(("127.0.0.1", server.smtp_port)) as raw:
            raw.settimeout(10)
            reader = raw.makefile("rb")
            reader.readline()
            raw.sendall(b"EHLO pipeline.example\r\n")
            while not reader.readline().startswith(b"250 "):
                pass
            body = report_mail(f"RE: ばそな建設/専門家次郎/{day} {start:%H:%M}", "utf-8").as_bytes().replace(b"\n", b"\r\n")
            raw.sendall(b"MAIL FROM:<" + BUSINESS.encode() + b">\r\nRCPT TO:<" + SECRETARIAT.encode() + b">\r\nDATA\r\n")
            replies = [reader.readline() for _ in range(3)]
            raw.sendall(body + b"\r\n..leading dot line\r\n.\r\nQUIT\r\n")
            replies += [reader.readline(), reader.readline()]
            check("pipelined MAIL/RCPT/DATA get 250, 250, 354", [r[:3] for r in replies[:3]] == [b"250", b"250", b"354"], replies)
            check("pipelined message gets 250 and QUIT 221", replies[3][:3] == b"250" and replies[4][:3] == b"221", replies)
        utf8_subject = f"ばそな建設/専門家次郎/{day}（{'月火水木金土日'[start.weekday()]}）{start:%H時%M分}"
        raw8 = (f"From: {BUSINESS}\r\nTo: {SECRETARIAT}\r\nSubject: {utf8_subject}\r\nMessage-ID: <utf8-{time.time()}@x>\r\n"
                f"Date: {email.utils.formatdate(localtime=True)}\r\nContent-Type: text/plain; charset=utf-8\r\n"
                f"Content-Transfer-Encoding: 8bit\r\n\r\n本文\r\n").encode("utf-8")
        with smtplib.SMTP("127.0.0.1", server.smtp_port) as smtp:
            smtp.ehlo()
            refused = smtp.sendmail(BUSINESS, [SECRETARIAT], raw8, mail_options=["SMTPUTF8", "BODY=8BITMIME"])
            check("8-bit SMTPUTF8 message accepted", refused == {})

        def mails():
            request = urllib.request.Request(f"http://127.0.0.1:{server.http_port}/api/v1/mail?per=500",
                                             headers={"Authorization": f"Bearer {ADMIN}"})
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read())
        utf8_row = wait_for(lambda: [m for m in mails() if m["subject"] == utf8_subject and m["status"] != "queued"])
        check("8-bit subject read as typed", bool(utf8_row), json.dumps(mails(), ensure_ascii=False)[:500])

        # STARTTLS on our server; plain text pipelined behind the command must not be run inside TLS.
        client_tls = ssl.create_default_context(cafile=cert)
        with smtplib.SMTP("127.0.0.1", server.smtp_port) as smtp:
            smtp.ehlo()
            check("EHLO offers STARTTLS when a certificate is configured", smtp.has_extn("starttls"))
            smtp.starttls(context=client_tls)
            smtp.ehlo()
            check("after STARTTLS STARTTLS is no longer offered", not smtp.has_extn("starttls"))
            refused = smtp.sendmail(BUSINESS, [SECRETARIAT], report_mail(f"ばそな建設/専門家次郎/{day} {start:%H:%M}",
                                                                           message_id="<tls@e2e>").as_bytes())
            check("a report over TLS is accepted", refused == {})
        with socket.create_connection(("127.0.0.1", server.smtp_port)) as raw:
            raw.settimeout(10)
            reader = raw.makefile("rb")
            reader.readline()
            raw.sendall(b"EHLO inject.example\r\n")
            while not reader.readline().startswith(b"250 "):
                pass
            raw.sendall(b"STARTTLS\r\nRSET\r\n")
            ready = reader.readline()
            tls = client_tls.wrap_socket(raw, server_hostname="localhost")
            tls.sendall(b"EHLO after.example\r\n")
            first = tls.makefile("rb").readline()
            check("STARTTLS answers 220 and ignores commands injected behind it", ready.startswith(b"220") and first.startswith(b"250-"),
                  (ready, first))
            tls.close()

        # 3. Killed between 250 and processing: processed once after the restart (DEC-8).
        server.stop()
        server.start(processing=False)
        end_id = email.utils.make_msgid(domain="crash.example.jp")
        with smtplib.SMTP("127.0.0.1", server.smtp_port) as smtp:
            refused = smtp.sendmail(BUSINESS, [SECRETARIAT], report_mail(f"ばそな建設/専門家次郎/{day} {end:%H:%M}", message_id=end_id).as_bytes())
            check("end report accepted with 250 while processing is off", refused == {})
        server.kill()
        server.start(processing=True)
        check("after SIGKILL and restart the end report is processed", wait_for(lambda: evidence("endReport") == "accepted"), evidence("endReport"))
        rows = [m for m in mails() if m["messageId"] == end_id]
        check("the end report is stored once", len(rows) == 1, rows)
        time.sleep(2)
        receipts = [m for m in relay_handler.messages if end_id.encode() in m[2]]
        check("the end report got exactly one receipt", len(receipts) == 1, len(receipts))
        code = server.stop()
        check("SIGTERM stops the server cleanly", code == 0, code)

        # 4. `hakendesk mail ingest` takes the same path: a photo mail from a file.
        photo = email.mime.multipart.MIMEMultipart()
        photo["From"] = BUSINESS
        photo["To"] = SECRETARIAT
        photo["Subject"] = Header(f"ばそな建設/専門家次郎/{day}({'月火水木金土日'[start.weekday()]}){start:%H:%M}~{end:%H:%M}", "utf-8")
        photo["Message-ID"] = email.utils.make_msgid(domain="photo.example.jp")
        image = email.mime.image.MIMEImage(b"\xff\xd8\xff\xe0" + bytes(range(256)) + b"\xff\xd9", "jpeg")
        image.add_header("Content-Disposition", "attachment", filename="IMG_0001.JPG")
        photo.attach(image)
        path = os.path.join(data_dir, "photo.eml")
        with open(path, "wb") as f:
            f.write(photo.as_bytes())
        env = dict(os.environ, HAKEN_DATA_DIR=data_dir, HAKEN_SECRETARIAT_ADDRESS=SECRETARIAT)
        if os.environ.get("HAKEN_E2E_DATABASE_URL"):
            env["HAKEN_DATABASE_URL"] = os.environ["HAKEN_E2E_DATABASE_URL"]
        ingest = subprocess.run([binary, "mail", "ingest", path], env=env, capture_output=True, text=True)
        check("mail ingest records the photo", ingest.returncode == 0 and " matched " in ingest.stdout, ingest.stdout + ingest.stderr[-500:])
    finally:
        if server.process and server.process.poll() is None:
            server.process.kill()
        relay.stop()
    print(f"e2e: {results['passed']} passed, {results['failed']} failed")
    sys.exit(1 if results["failed"] else 0)


if __name__ == "__main__":
    main()
