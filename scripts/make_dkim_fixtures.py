"""Writes the DKIM test mails of Tests/HakenMailTests/Corpus/dkim/ (#12): real keys, signed by
dkimpy, so the Swift verifier is checked against another implementation's signatures.

    .venv-test/bin/python scripts/make_dkim_fixtures.py   # needs dkimpy, pynacl, cryptography

Each run makes new keys; the mails, the zone (zone.txt: name, TAB, TXT value) and the expected
results (expected.txt: file, TAB, the results the verifier must give) are written together.
"""
import base64
import pathlib
import sys

import dkim

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from hakentest import dkim_ed25519_key, dkim_rsa_key  # noqa: E402

out = pathlib.Path(__file__).resolve().parent.parent / "Tests/HakenMailTests/Corpus/dkim"
out.mkdir(parents=True, exist_ok=True)
zone, expected = [], []


def message(from_addr, subject, body="本日の支援を開始しました。\r\n"):
    text = (f"From: {from_addr}\r\nTo: senmonka-haken@example.jp\r\nSubject: {subject}\r\n"
            "Date: Wed, 21 Aug 2019 10:31:00 +0900\r\nMessage-ID: <m-%s@example>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" % abs(hash(subject)))
    return (text + body).encode()


def sign(msg, selector, domain, key, algo=b"rsa-sha256", canon=(b"relaxed", b"relaxed"), length=False):
    signature = dkim.sign(msg, selector.encode(), domain.encode(), key, canonicalize=canon,
                          signature_algorithm=algo, include_headers=[b"from", b"to", b"subject", b"date", b"message-id"],
                          length=length)
    return signature + msg


def write(name, data, results):
    (out / name).write_bytes(data)
    expected.append(f"{name}\t{results}")


subject = "=?UTF-8?B?" + base64.b64encode("ばそな建設/専門家次郎/8月21日 10:30".encode()).decode() + "?="
rsa_private, rsa_record = dkim_rsa_key()
zone.append(("sel2019._domainkey.basona.example.jp", rsa_record))
ed_private, ed_record = dkim_ed25519_key()
zone.append(("ed._domainkey.basona.example.jp", ed_record))
small_private, small_record = dkim_rsa_key(1024)
zone.append(("old._domainkey.basona.example.jp", small_record))
evil_private, evil_record = dkim_rsa_key()
zone.append(("s1._domainkey.evil.example", evil_record))
zone.append(("revoked._domainkey.basona.example.jp", "v=DKIM1; k=rsa; p="))

plain = message("ばそな建設 <info@basona.example.jp>", subject)
write("rsa-relaxed.eml", sign(plain, "sel2019", "basona.example.jp", rsa_private), "pass basona.example.jp")
write("rsa-simple.eml", sign(plain, "sel2019", "basona.example.jp", rsa_private, canon=(b"simple", b"simple")),
      "pass basona.example.jp")
write("rsa-1024.eml", sign(plain, "old", "basona.example.jp", small_private), "pass basona.example.jp")
write("ed25519.eml", sign(plain, "ed", "basona.example.jp", ed_private, algo=b"ed25519-sha256"), "pass basona.example.jp")
both = sign(sign(plain, "sel2019", "basona.example.jp", rsa_private), "ed", "basona.example.jp", ed_private,
            algo=b"ed25519-sha256")
write("two-signatures.eml", both, "pass basona.example.jp,pass basona.example.jp")
# Replayed: a real signed report with its Subject changed to another day's time.
signed = sign(plain, "sel2019", "basona.example.jp", rsa_private)
write("replayed-subject.eml", signed.replace(subject.encode(), "ばそな建設/専門家次郎/8月22日 10:30".encode()),
      "fail basona.example.jp")
write("body-changed.eml", signed.replace("開始".encode(), "終了".encode()), "fail basona.example.jp")
# Relaxed canonicalisation survives re-folding and added whitespace, as a relay may do.
refolded = signed.replace(b"To: senmonka-haken@example.jp", b"To:   senmonka-haken@example.jp  ")
refolded = refolded.replace("開始しました。\r\n".encode(), "開始しました。   \r\n\r\n\r\n".encode())
write("relaxed-refolded.eml", refolded, "pass basona.example.jp")
write("unix-line-ends.eml", signed.replace(b"\r\n", b"\n"), "pass basona.example.jp")
# A forged From with a valid signature of another domain.
forged = message("ばそな建設 <info@basona.example.jp>", subject)
write("forged-from.eml", sign(forged, "s1", "evil.example", evil_private), "pass evil.example")
write("body-length.eml", sign(plain, "sel2019", "basona.example.jp", rsa_private, length=True), "permerror basona.example.jp")
write("revoked-key.eml", sign(plain, "sel2019", "basona.example.jp", rsa_private).replace(b"s=sel2019", b"s=revoked"),
      "fail basona.example.jp")
write("no-key.eml", sign(plain, "sel2019", "basona.example.jp", rsa_private).replace(b"s=sel2019", b"s=gone"),
      "permerror basona.example.jp")
write("unsigned.eml", plain, "")

# dkimpy must agree with what we wrote.
records = dict(zone)
def dnsfunc(name, timeout=5):
    return records.get(name.decode().rstrip("."), "").encode()
for line in expected:
    name, results = line.split("\t")
    data = (out / name).read_bytes()
    if not results or name == "unix-line-ends.eml":
        continue
    verdict = dkim.verify(data, dnsfunc=dnsfunc, minkey=1024)
    should = results.startswith("pass") and name != "body-length.eml"
    if verdict != should and name != "body-length.eml":
        sys.exit(f"dkimpy disagrees on {name}: {verdict}")

(out / "zone.txt").write_text("".join(f"{n}\t{v}\n" for n, v in zone))
(out / "expected.txt").write_text("\n".join(expected) + "\n")
print(f"wrote {len(expected)} mails to {out}")
