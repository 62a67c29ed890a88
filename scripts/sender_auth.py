#!/usr/bin/env python3
"""#12, who really sent it: `hakendesk serve` with HAKEN_SENDER_CHECK=dns against a DNS server
this script starts on loopback (dnslib), with mails signed by dkimpy with keys made for the run.

  - a report signed by the business's domain (rsa-sha256, and ed25519-sha256) passes;
  - the same signed report replayed with its Subject changed fails and goes to review;
  - a forged From with a valid signature of another domain fails (DMARC);
  - SPF alone: pass, fail, softfail and none for unsigned mail from the client 127.0.0.1;
  - a key lookup that DNS never answers: the 250 comes at once, the mail is stored and waits
    as unverified (never lost, never blocked);
  - the dispatch page shows the secretariat each report's result.

usage: scripts/sender_auth.py PATH/TO/hakendesk
"""
import datetime
import email.utils
import json
import os
import smtplib
import sys
import tempfile
import time
import urllib.request
from email.header import Header
from email.mime.text import MIMEText

import dkim
from dnslib import QTYPE, RCODE, RR, TXT, A
from dnslib.server import BaseResolver, DNSHandler, DNSServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hakentest import Checks, dkim_ed25519_key, dkim_rsa_key, free_port, serve, sign_in, stop  # noqa: E402

ADMIN = "sender-auth-admin-token-0123"
SECRETARIAT = "senmonka-haken@example.jp"
BUSINESS = "info@basona.example.jp"


class Zone(BaseResolver):
    """TXT and A records from a dict; names in `silent` are never answered (the client times out)."""

    def __init__(self):
        self.txt, self.a, self.silent, self.asked, self.protocols = {}, {}, set(), [], []

    def resolve(self, request, handler):
        name = str(request.q.qname).rstrip(".").lower()
        qtype = QTYPE[request.q.qtype]
        self.asked.append((name, qtype))
        self.protocols.append((name, handler.protocol))
        if name in self.silent:
            time.sleep(5)   # past the client's timeout: its answer is never read
        reply = request.reply()
        if qtype == "TXT" and name in self.txt:
            for text in self.txt[name]:
                data = text.encode()
                reply.add_answer(RR(name, QTYPE.TXT, rdata=TXT([data[i:i + 255] for i in range(0, len(data), 255)]), ttl=60))
        elif qtype == "A" and name in self.a:
            reply.add_answer(RR(name, QTYPE.A, rdata=A(self.a[name]), ttl=60))
        elif name not in self.txt and name not in self.a:
            reply.header.rcode = RCODE.NXDOMAIN
        return reply


class ClassicUDP(DNSHandler):
    """Answers over UDP fit in 512 bytes, as without EDNS: a larger one is truncated (TC)."""
    udplen = 512


def message(sender, subject, body="本日の支援を開始しました。\r\n"):
    msg = MIMEText(body, "plain", "utf-8")
    # The display name as its own encoded word, the address plain (as phones write it; a plain
    # assignment would encode the address too).
    name, address = email.utils.parseaddr(sender)
    msg["From"] = email.utils.formataddr((Header(name, "utf-8").encode(), address)) if name else address
    msg["To"] = SECRETARIAT
    msg["Subject"] = Header(subject, "utf-8")
    msg["Date"] = email.utils.formatdate(localtime=True)
    msg["Message-ID"] = email.utils.make_msgid(domain="phone.example")
    return msg.as_bytes().replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n")


def sign(raw, selector, domain, key, algorithm=b"rsa-sha256"):
    return dkim.sign(raw, selector.encode(), domain.encode(), key, canonicalize=(b"relaxed", b"relaxed"),
                     signature_algorithm=algorithm, include_headers=[b"from", b"to", b"subject", b"date", b"message-id"]) + raw


def main():
    binary = sys.argv[1]
    checks = Checks("sender-auth")
    now = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=9)))
    if now.hour == 23 and now.minute >= 40:
        time.sleep((60 - now.minute) * 60 + 65)   # keep the dispatch inside one day
        now = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=9)))
    start = now.replace(second=0, microsecond=0)
    end = start + datetime.timedelta(minutes=10)
    day = f"{start.month}月{start.day}日"

    zone = Zone()
    rsa_private, rsa_record = dkim_rsa_key()
    ed_private, ed_record = dkim_ed25519_key()
    evil_private, evil_record = dkim_rsa_key()
    zone.txt["sel._domainkey.basona.example.jp"] = [rsa_record]
    zone.txt["ed._domainkey.basona.example.jp"] = [ed_record]
    zone.txt["s1._domainkey.evil.example"] = [evil_record]
    big_private, big_record = dkim_rsa_key(4096)   # its key record does not fit in 512 bytes: fetched over TCP
    zone.txt["big._domainkey.basona.example.jp"] = [big_record]
    zone.silent.add("slow._domainkey.basona.example.jp")
    # The business's SPF does not cover 127.0.0.1: its reports pass by their signatures alone.
    zone.txt["basona.example.jp"] = ["v=spf1 ip4:192.0.2.0/24 -all"]
    zone.txt["_dmarc.basona.example.jp"] = ["v=DMARC1; p=reject"]
    zone.txt["evil.example"] = ["v=spf1 ip4:127.0.0.1 -all"]
    zone.txt["spf-pass.example.jp"] = ["v=spf1 include:_spf.spf-pass.example.jp -all"]
    zone.txt["_spf.spf-pass.example.jp"] = ["v=spf1 ip4:127.0.0.0/8 ~all"]
    zone.txt["spf-fail.example.jp"] = ["v=spf1 ip4:192.0.2.1 -all"]
    zone.txt["spf-soft.example.jp"] = ["v=spf1 ip4:192.0.2.1 ~all"]
    zone.a["mx.example.jp"] = "192.0.2.99"   # a name that exists, for contrast with the NXDOMAIN of spf-none
    dns_port = free_port()
    udp = DNSServer(zone, port=dns_port, address="127.0.0.1", handler=ClassicUDP)
    tcp = DNSServer(zone, port=dns_port, address="127.0.0.1", tcp=True)
    udp.start_thread()
    tcp.start_thread()

    data_dir = tempfile.mkdtemp(prefix="hakendesk-sender-auth-")
    settings = dict(HAKEN_ADMIN_TOKEN=ADMIN, HAKEN_SECRETARIAT_ADDRESS=SECRETARIAT, HAKEN_SENDER_CHECK="dns",
                    HAKEN_DNS_RESOLVER=f"127.0.0.1:{dns_port}", HAKEN_DNS_TIMEOUT_MS="400")
    if os.environ.get("HAKEN_SENDER_AUTH_DATABASE_URL"):
        settings["HAKEN_DATABASE_URL"] = os.environ["HAKEN_SENDER_AUTH_DATABASE_URL"]
    # The demo's secretariat account reads the dispatch page; the dispatch itself is made here.
    process, http_port, smtp_port = serve(binary, data_dir, args=("serve", "--demo"), smtp=True, **settings)

    def api(method, path, body=None):
        request = urllib.request.Request(f"http://127.0.0.1:{http_port}{path}", method=method,
                                         data=json.dumps(body).encode() if body is not None else None,
                                         headers={"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def send(raw, envelope_from):
        started = time.time()
        with smtplib.SMTP("127.0.0.1", smtp_port) as smtp:
            smtp.ehlo("phone.example")
            refused = smtp.sendmail(envelope_from, [SECRETARIAT], raw)
        return refused == {}, time.time() - started

    def mail(message_id, seconds=20):
        deadline = time.time() + seconds
        while time.time() < deadline:
            for item in api("GET", "/api/v1/mail?per=100"):
                if (item.get("messageId") or "").strip("<>") == message_id and item["status"] != "queued":
                    return item
            time.sleep(0.2)
        return None

    def message_id(raw):
        return email.message_from_bytes(raw)["Message-ID"].strip("<>")

    try:
        institution = api("POST", "/api/v1/institutions", {"name": "東京都よろず支援拠点", "kind": "yorozu", "email": "yorozu@example.jp"})["id"]
        expert = api("POST", "/api/v1/experts", {"name": "専門家次郎", "email": "jiro@example.jp"})["id"]
        business = api("POST", "/api/v1/businesses", {"name": "ばそな建設", "contactName": "派遣 太郎", "email": BUSINESS})["id"]
        consultation = api("POST", "/api/v1/consultations", {
            "institutionId": institution, "businessId": business, "date": start.strftime("%Y-%m-%d"), "mode": "対面",
            "consultedPerson": "派遣 太郎", "photographed": True})["id"]
        dispatch = api("POST", "/api/v1/dispatches", {
            "businessId": business, "expertId": expert, "institutionId": institution, "consultationId": consultation,
            "date": start.strftime("%Y-%m-%d"), "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M"), "place": "本社"})["id"]

        def evidence(kind):
            return api("GET", f"/api/v1/dispatches/{dispatch}")["evidence"][kind]["status"]

        print("signed reports")
        subject = f"ばそな建設/専門家次郎/{day} {start:%H:%M}"
        signed = sign(message(f"ばそな建設 <{BUSINESS}>", subject), "sel", "basona.example.jp", rsa_private)
        ok, _ = send(signed, BUSINESS)
        item = mail(message_id(signed))
        checks.check("a report signed by the business's domain passes", item and item["senderAuthVerdict"] == "pass", item)
        checks.check("its start report counts", evidence("startReport") == "accepted", evidence("startReport"))
        checks.check("the pass names the signature", item and "DKIM 署名 basona.example.jp" in (item["senderAuth"] or ""), item)

        replayed = signed.replace(Header(subject, "utf-8").encode().encode(),
                                  Header(f"ばそな建設/専門家次郎/{day} {end:%H:%M}", "utf-8").encode().encode())
        replayed = replayed.replace(message_id(signed).encode(), b"replayed-" + message_id(signed).encode())
        checks.check("the replay really changed the subject", replayed != signed)
        send(replayed, BUSINESS)
        item = mail(message_id(replayed))
        checks.check("the signed report replayed with a changed Subject fails", item and item["senderAuthVerdict"] == "fail", item)
        checks.check("… and waits for a person", item and item["status"] == "review" and "authenticationFailed" in item["flags"], item)
        checks.check("… its end report is not counted", evidence("endReport") in ("review", "missing"), evidence("endReport"))

        ed = sign(message(f"ばそな建設 <{BUSINESS}>", f"ばそな建設/専門家次郎/{day} {end:%H:%M}"), "ed", "basona.example.jp",
                  ed_private, algorithm=b"ed25519-sha256")
        send(ed, BUSINESS)
        item = mail(message_id(ed))
        checks.check("an ed25519-sha256 signature passes", item and item["senderAuthVerdict"] == "pass", item)
        checks.check("… and its end report counts", evidence("endReport") == "accepted", evidence("endReport"))

        big = sign(message(f"ばそな建設 <{BUSINESS}>", "写真を送ります"), "big", "basona.example.jp", big_private)
        send(big, BUSINESS)
        item = mail(message_id(big))
        checks.check("a 4096-bit key, truncated over UDP, is fetched over TCP and passes", item and item["senderAuthVerdict"] == "pass"
                     and ("big._domainkey.basona.example.jp", "tcp") in zone.protocols, (item, [p for p in zone.protocols if p[0].startswith("big")]))

        print("forged From")
        forged = sign(message(f"ばそな建設 <{BUSINESS}>", subject), "s1", "evil.example", evil_private)
        send(forged, "bounce@evil.example")
        item = mail(message_id(forged))
        checks.check("a forged From with another domain's valid signature fails DMARC", item and item["senderAuthVerdict"] == "fail", item)
        checks.check("… the reason says the signature is another domain's", item and "evil.example" in (item["senderAuth"] or ""), item)

        print("SPF alone (unsigned, from 127.0.0.1)")
        for domain, verdict, spf in [("spf-pass.example.jp", "pass", "spf=pass"), ("spf-fail.example.jp", "fail", "spf=fail"),
                                     ("spf-soft.example.jp", "fail", "spf=softfail"), ("spf-none.example.jp", "fail", "spf=none")]:
            raw = message(f"社長 <boss@{domain}>", "ご相談")
            send(raw, f"boss@{domain}")
            item = mail(message_id(raw))
            checks.check(f"{spf} for {domain}: {verdict}", item and item["senderAuthVerdict"] == verdict and spf in (item["senderAuth"] or ""),
                         item)

        print("DNS that never answers")
        slow = sign(message(f"ばそな建設 <{BUSINESS}>", f"ばそな建設/専門家次郎/{day} {start:%H:%M}", body="再送します。\r\n"),
                    "slow", "basona.example.jp", rsa_private)
        ok, seconds = send(slow, BUSINESS)
        checks.check("the 250 does not wait for DNS", ok and seconds < 2, f"{seconds:.2f} s")
        item = mail(message_id(slow), seconds=30)
        checks.check("the mail is stored and waits as unverified", item and item["senderAuthVerdict"] == "unverified"
                     and item["status"] == "review", item)
        checks.check("the key was really asked for", ("slow._domainkey.basona.example.jp", "TXT") in zone.asked)

        print("shown where a person decides")
        cookie = sign_in(http_port, "jimukyoku@haken-demo.example.jp", "demo-pass-2026")
        request = urllib.request.Request(f"http://127.0.0.1:{http_port}/dispatches/{dispatch}",
                                         headers={"Cookie": f"hakendesk_session={cookie}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            page = response.read().decode()
        checks.check("the dispatch page lists each report with its sender check",
                     "送信元認証" in page and "確認済み" in page and "失敗" in page and "未確認" in page, page[-2000:])
    finally:
        stop(process)
        udp.stop()
        tcp.stop()
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
