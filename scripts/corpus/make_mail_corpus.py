#!/usr/bin/env python3
"""Writes HakenDesk's mail test corpus: Tests/HakenMailTests/Corpus/NAME.eml and
NAME.expected.json (the keys of `hakendesk mail inspect` this message must produce).

Messages are made with Python's own `email` package where a real mailer would make them,
and by hand (bytes) for the quirks mailers and phones produce. The expected values are
written here from what each message was built with, never by running HakenDesk.

    python3 scripts/corpus/make_mail_corpus.py
"""
import base64
import hashlib
import json
import os
import quopri
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.image import MIMEImage
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email import encoders, policy
from email.utils import formataddr

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "HakenMailTests", "Corpus")
SECRETARIAT = "senmonka-haken@example.jp"
# A tiny but real JPEG (SOI, APP0, EOI) padded with data: enough for type and hash checks.
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000") + bytes(range(256)) * 40 + bytes.fromhex("ffd9")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def sha(data):
    return hashlib.sha256(data).hexdigest()


def att(filename, ctype, data):
    return {"filename": filename, "contentType": ctype, "size": len(data), "sha256": sha(data)}


def write(name, raw, expected):
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    with open(os.path.join(OUT, name + ".eml"), "wb") as f:
        f.write(raw)
    with open(os.path.join(OUT, name + ".expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=2, sort_keys=True)
        f.write("\n")


def report_time(business, expert, month, day, time):
    return {"kind": "time", "business": business, "expert": expert, "month": month, "day": day, "time": time}


def report_period(business, expert, month, day, start, end):
    return {"kind": "period", "business": business, "expert": expert, "month": month, "day": day, "start": start, "end": end}


def cp50220(text):
    """ISO-2022-JP with the CP932 extensions (what Windows mailers send): each two-byte
    Shift_JIS code converted to its JIS row and cell."""
    out, mode = bytearray(), "ascii"
    for ch in text:
        code = ch.encode("cp932")
        if len(code) == 1:
            if mode != "ascii":
                out += b"\x1b(B"
                mode = "ascii"
            out += code
            continue
        if mode != "jis":
            out += b"\x1b$B"
            mode = "jis"
        s1, s2 = code
        row = (s1 - (0x70 if s1 < 0xA0 else 0xB0)) * 2 - (1 if s2 < 0x9F else 0)
        cell = s2 - (0x1F if s2 < 0x7F else 0x20 if s2 < 0x9F else 0x7E)
        out += bytes([row, cell])
    if mode != "ascii":
        out += b"\x1b(B"
    return bytes(out)


def crlf(text):
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("ascii")


def with_headers(msg, sender, subject_header, date="Wed, 21 Aug 2019 10:30:12 +0900", mid="<r1@mail.example.jp>"):
    msg["From"] = sender
    msg["To"] = SECRETARIAT
    msg["Subject"] = subject_header
    msg["Date"] = date
    msg["Message-ID"] = mid
    return msg


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.endswith(".eml") or old.endswith(".expected.json"):
            os.remove(os.path.join(OUT, old))

    # 1. The guide's start report from a Japanese feature phone mailer: ISO-2022-JP, no body.
    msg = MIMEText("", "plain", "iso-2022-jp")
    with_headers(msg, "info@basona.example.jp", Header("ばそな建設/専門家次郎/8月21日 10:30", "iso-2022-jp"))
    write("time-iso2022jp", msg.as_bytes(), {
        "messageId": "<r1@mail.example.jp>", "from": "info@basona.example.jp", "to": [SECRETARIAT],
        "subject": "ばそな建設/専門家次郎/8月21日 10:30", "date": "2019-08-21T10:30:12+09:00", "autoSubmitted": False,
        "report": report_time("ばそな建設", "専門家次郎", 8, 21, "10:30"), "attachments": [], "problems": []})

    # 2. The photo mail from a smartphone: UTF-8, period subject, JPEG attached.
    msg = MIMEMultipart()
    with_headers(msg, formataddr(("派遣 太郎", "info@basona.example.jp")), Header("ばそな建設/専門家次郎/8月21日(水)10:30~15:00", "utf-8"),
                 date="Wed, 21 Aug 2019 15:03:00 +0900", mid="<photo1@mail.example.jp>")
    msg.attach(MIMEText("", "plain", "utf-8"))
    image = MIMEImage(JPEG, "jpeg")
    image.add_header("Content-Disposition", "attachment", filename="IMG_0001.JPG")
    msg.attach(image)
    write("period-photo-utf8", msg.as_bytes(), {
        "messageId": "<photo1@mail.example.jp>", "from": "info@basona.example.jp", "to": [SECRETARIAT],
        "subject": "ばそな建設/専門家次郎/8月21日(水)10:30~15:00", "autoSubmitted": False,
        "report": report_period("ばそな建設", "専門家次郎", 8, 21, "10:30", "15:00"),
        "attachments": [att("IMG_0001.JPG", "image/jpeg", JPEG)], "problems": []})

    # 3. Shift_JIS (CP932) with ①, ㈱ and ～ in subject and body, from an older PC mailer.
    subject = "㈱さくら製菓／山田一郎／８月２１日　１３時～"
    body = "①開始しました。"
    raw = crlf("From: yumi@sakura.example.jp\nTo: %s\nDate: Wed, 21 Aug 2019 13:01:00 +0900\nMessage-ID: <sjis@x>\n"
               "Subject: =?Shift_JIS?B?%s?=\nMIME-Version: 1.0\nContent-Type: text/plain; charset=Shift_JIS\n"
               "Content-Transfer-Encoding: base64\n\n%s\n" % (SECRETARIAT, base64.b64encode(subject.encode("cp932")).decode(),
                                                              base64.b64encode(body.encode("cp932")).decode()))
    write("cp932-subject", raw, {"from": "yumi@sakura.example.jp", "subject": subject,
                                 "report": report_time("㈱さくら製菓", "山田一郎", 8, 21, "13:00"), "problems": []})

    # 4. ISO-2022-JP carrying CP932-only characters (①, ㈱, ～) in an encoded word (CP50220).
    subject = "㈱ミドリ精機/佐藤花子①/8月21日 9:30～"
    jis = cp50220(subject)
    raw = crlf("From: ken@midori.example.jp\nTo: %s\nDate: Wed, 21 Aug 2019 09:31:00 +0900\nMessage-ID: <cp50220@x>\n"
               "Subject: =?ISO-2022-JP?B?%s?=\nMIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-2022-JP\n\n"
               % (SECRETARIAT, base64.b64encode(jis).decode()))
    write("iso2022jp-cp932-chars", raw, {"subject": subject, "report": report_time("㈱ミドリ精機", "佐藤花子①", 8, 21, "09:30"),
                                         "problems": []})

    # 5. EUC-JP, from a Unix mailer.
    subject = "あおば農園/山田一郎/8月21日 14:00"
    raw = crlf("From: sayaka@aoba.example.jp\nTo: %s\nDate: Wed, 21 Aug 2019 14:05:00 +0900\nMessage-ID: <euc@x>\n"
               "Subject: =?EUC-JP?B?%s?=\nMIME-Version: 1.0\nContent-Type: text/plain; charset=EUC-JP\n"
               "Content-Transfer-Encoding: 8bit\n\n" % (SECRETARIAT, base64.b64encode(subject.encode("euc_jp")).decode()))
    raw += "了解しました。\r\n".encode("euc_jp")
    write("eucjp-subject", raw, {"subject": subject, "report": report_time("あおば農園", "山田一郎", 8, 21, "14:00"), "problems": []})

    # 6. One UTF-8 character split across two B words, words folded onto two lines.
    subject = "ばそな建設/専門家次郎/8月21日 15:00"
    data = subject.encode("utf-8")
    cut = data.index("次".encode()) + 1   # in the middle of 次
    raw = crlf("From: info@basona.example.jp\nTo: %s\nDate: Wed, 21 Aug 2019 15:01:00 +0900\nMessage-ID: <split@x>\n"
               "Subject: =?UTF-8?B?%s?=\n =?utf-8?b?%s?=\n\n" % (SECRETARIAT, base64.b64encode(data[:cut]).decode(),
                                                               base64.b64encode(data[cut:]).decode()))
    write("split-multibyte-word", raw, {"subject": subject, "report": report_time("ばそな建設", "専門家次郎", 8, 21, "15:00"), "problems": []})

    # 7. Q encoding, lower case, underscores for spaces, a plain-text prefix "Re: ".
    subject = "Re: ばそな建設/専門家次郎/8/21 10:30"
    q = "".join("_" if b == 0x20 else ("=%02X" % b if b > 0x7E or chr(b) in "=?_" else chr(b)) for b in "ばそな建設/専門家次郎/8/21 10:30".encode())
    raw = crlf("From: info@basona.example.jp\nTo: %s\nDate: Wed, 21 Aug 2019 10:31:00 +0900\nMessage-ID: <q@x>\n"
               "Subject: Re: =?utf-8?q?%s?=\n\n" % (SECRETARIAT, q))
    write("q-encoding-reply", raw, {"subject": subject, "report": report_time("ばそな建設", "専門家次郎", 8, 21, "10:30"), "problems": []})

    # 8. LF-only line ends and raw 8-bit UTF-8 in the header (SMTPUTF8), folded Message-ID.
    raw = ("From: 派遣 太郎 <info@basona.example.jp>\nTo: %s\nDate: Wed, 21 Aug 2019 10:29:00 +0900 (JST)\n"
           "Message-ID:\n <lf-only@mail.example.jp>\nSubject: ばそな建設／専門家次郎／８月２１日（水）１０：３０\n\n" % SECRETARIAT).encode("utf-8")
    write("lf-only-8bit-header", raw, {"messageId": "<lf-only@mail.example.jp>", "date": "2019-08-21T10:29:00+09:00",
                                       "subject": "ばそな建設／専門家次郎／８月２１日（水）１０：３０",
                                       "report": report_time("ばそな建設", "専門家次郎", 8, 21, "10:30"), "problems": []})

    # 9. Raw ISO-2022-JP escapes in an unencoded Subject (old Japanese mailers).
    raw = (b"From: info@basona.example.jp\r\nTo: " + SECRETARIAT.encode() + b"\r\nDate: Wed, 21 Aug 2019 10:30:00 +0900\r\n"
           b"Message-ID: <rawjis@x>\r\nSubject: " + "ばそな建設/専門家次郎/8月21日 10時30分".encode("iso-2022-jp") + b"\r\n\r\n")
    write("raw-jis-header", raw, {"subject": "ばそな建設/専門家次郎/8月21日 10時30分",
                                  "report": report_time("ばそな建設", "専門家次郎", 8, 21, "10:30"), "problems": []})

    # 10. RFC 2231 file names: a charset'lang' value and continuations.
    name1 = "支援状況写真.jpg"
    enc = "".join("%%%02X" % b for b in name1.encode("utf-8"))
    name2 = "写真提出の同意書_2019年度.pdf"
    enc2 = "".join("%%%02X" % b for b in name2.encode("utf-8"))
    half = len(enc2) // 2
    while enc2[half - 1] == "%" or enc2[half - 2] == "%":
        half += 1
    raw = crlf("From: info@basona.example.jp\nTo: %s\nDate: Wed, 21 Aug 2019 15:10:00 +0900\nMessage-ID: <rfc2231@x>\n"
               "Subject: =?UTF-8?B?%s?=\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n"
               "--b1\nContent-Type: text/plain; charset=utf-8\n\n\n"
               "--b1\nContent-Type: image/jpeg\nContent-Disposition: attachment; filename*=UTF-8''%s\nContent-Transfer-Encoding: base64\n\n%s\n"
               "--b1\nContent-Type: application/pdf\nContent-Disposition: attachment;\n filename*0*=utf-8''%s;\n filename*1*=%s\n"
               "Content-Transfer-Encoding: base64\n\n%s\n--b1--\n"
               % (SECRETARIAT, base64.b64encode("ばそな建設/専門家次郎/8月21日(水)10:30~15:00".encode()).decode(), enc,
                  base64.b64encode(JPEG).decode(), enc2[:half], enc2[half:], base64.b64encode(PDF).decode()))
    write("rfc2231-filenames", raw, {"attachments": [att(name1, "image/jpeg", JPEG), att(name2, "application/pdf", PDF)],
                                     "report": report_period("ばそな建設", "専門家次郎", 8, 21, "10:30", "15:00"), "problems": []})

    # 11. The common non-standard encoded word inside a quoted name (Outlook, old phones).
    name = "写真.JPG"
    raw = crlf("From: info@basona.example.jp\nTo: %s\nDate: Wed, 21 Aug 2019 15:10:00 +0900\nMessage-ID: <nonstd@x>\n"
               "Subject: photo\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"=_b2\"\n\n"
               "--=_b2\nContent-Type: image/jpeg; name=\"=?ISO-2022-JP?B?%s?=\"\nContent-Disposition: inline\n"
               "Content-Transfer-Encoding: base64\n\n%s\n--=_b2--\n"
               % (SECRETARIAT, base64.b64encode(name.encode("iso-2022-jp")).decode(), base64.encodebytes(JPEG).decode()))
    write("nonstandard-encoded-name", raw, {"attachments": [att(name, "image/jpeg", JPEG)], "report": None, "problems": ["not-a-report"]})

    # 12. Nesting: mixed > alternative (text, related > html + inline image) + a forwarded message + an unnamed PDF.
    outer = MIMEMultipart("mixed")
    with_headers(outer, "info@basona.example.jp", Header("Fwd: 転送: ばそな建設/専門家次郎/8月21日 15:00", "utf-8"), mid="<nested@x>")
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText("本文です。", "plain", "utf-8"))
    related = MIMEMultipart("related")
    related.attach(MIMEText("<p>本文です。</p>", "html", "utf-8"))
    inline = MIMEImage(JPEG, "jpeg")
    inline.add_header("Content-ID", "<logo>")
    related.attach(inline)
    alternative.attach(related)
    outer.attach(alternative)
    inner = MIMEText("転送元の本文", "plain", "utf-8")
    inner["Subject"] = "original"
    inner["From"] = "someone@example.jp"
    forwarded = MIMEMessage(inner)
    outer.attach(forwarded)
    pdf = MIMEApplication(PDF, "pdf")
    outer.attach(pdf)
    raw = outer.as_bytes()
    forwarded_bytes = raw.split(b"Content-Type: message/rfc822\nMIME-Version: 1.0\n\n", 1)[1].split(b"\n--", 1)[0]
    write("nested-multipart", raw, {
        "subject": "Fwd: 転送: ばそな建設/専門家次郎/8月21日 15:00",
        "report": report_time("ばそな建設", "専門家次郎", 8, 21, "15:00"),
        "attachments": [att(None, "image/jpeg", JPEG), att(None, "message/rfc822", forwarded_bytes), att(None, "application/pdf", PDF)],
        "problems": []})

    # 13. base64 on one long line and a quoted-printable text part.
    text = "開始の報告です。" * 20
    raw = crlf("From: info@basona.example.jp\nTo: %s\nDate: Wed, 21 Aug 2019 10:30:00 +0900\nMessage-ID: <b64@x>\n"
               "Subject: =?UTF-8?B?%s?=\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=zz\n\n"
               "--zz\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n%s\n"
               "--zz\nContent-Type: image/jpeg\nContent-Transfer-Encoding: base64\n\n%s\n--zz--\n"
               % (SECRETARIAT, base64.b64encode("ばそな建設/専門家次郎/8月21日 10:30".encode()).decode(),
                  quopri.encodestring(text.encode()).decode(), base64.b64encode(JPEG).decode()))
    write("base64-one-line-qp", raw, {"attachments": [att(None, "image/jpeg", JPEG)], "problems": []})

    # 14. Machine mail of every kind, and the one header that is not (X-Auto-Response-Suppress).
    base = "From: %s\nTo: " + SECRETARIAT + "\nDate: Wed, 21 Aug 2019 10:30:00 +0900\nMessage-ID: <%s@x>\nSubject: %s\n%s\n"
    cases = [
        ("auto-submitted", "info@basona.example.jp", "Auto-Submitted: auto-replied", True),
        ("auto-submitted-no", "info@basona.example.jp", "Auto-Submitted: no", False),
        ("precedence-bulk", "news@example.jp", "Precedence: bulk", True),
        ("precedence-list", "news@example.jp", "Precedence: list", True),
        ("list-id", "news@example.jp", "List-Id: <news.example.jp>", True),
        ("list-unsubscribe", "news@example.jp", "List-Unsubscribe: <mailto:u@example.jp>", True),
        ("x-autoreply", "info@basona.example.jp", "X-Autoreply: yes", True),
        ("return-path-empty", "info@basona.example.jp", "Return-Path: <>", True),
        ("mailer-daemon", "MAILER-DAEMON@mx.example.jp", "X-Note: bounce", True),
        ("postmaster", "postmaster@example.jp", "X-Note: bounce", True),
        ("auto-response-suppress", "info@basona.example.jp", "X-Auto-Response-Suppress: All", False),
    ]
    for name, sender, header, automatic in cases:
        write("machine-" + name, crlf(base % (sender, name, "Out of office", header)),
              {"autoSubmitted": automatic, "report": None, "problems": ["not-a-report"]})
    dsn = crlf("From: MAILER-DAEMON@mx.example.jp\nTo: " + SECRETARIAT + "\nDate: Wed, 21 Aug 2019 10:30:00 +0900\n"
               "Message-ID: <dsn@x>\nSubject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
               "Content-Type: multipart/report; report-type=delivery-status; boundary=\"dsn\"\n\n"
               "--dsn\nContent-Type: text/plain\n\nfailed\n--dsn\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx\n"
               "--dsn--\n")
    write("machine-dsn", dsn, {"autoSubmitted": True, "attachments": [], "problems": ["not-a-report"]})

    # 15. Addresses: legacy docomo local part, empty group, display names and comments.
    raw = crlf("From: \"=?UTF-8?B?5rS+6YGj?=\" <a..b.@DoCoMo.ne.jp>\nTo: undisclosed-recipients:;\n"
               "Cc: other@example.jp\nDate: 21 Aug 19 10:30 JST\nMessage-ID: <docomo@x>\n"
               "Subject: =?ISO-2022-JP?B?%s?=\n\n" % base64.b64encode("ばそな建設/専門家次郎/8月21日 10:30".encode("iso-2022-jp")).decode())
    write("docomo-legacy-address", raw, {"from": "a..b.@docomo.ne.jp", "to": [], "date": "2019-08-21T10:30:00+09:00",
                                         "report": report_time("ばそな建設", "専門家次郎", 8, 21, "10:30"), "problems": []})
    raw = crlf("From: info (comment) @basona.example.jp\nTo: a@example.jp, \"B, Person\" <B@EXAMPLE.JP>, group: c@example.jp, d@example.jp;\n"
               "Date: Wed, 21 Aug 2019 10:30:00 +0900\nMessage-ID: <addr@x>\nSubject: x\n\n")
    write("address-forms", raw, {"from": "info@basona.example.jp", "to": ["a@example.jp", "B@example.jp", "c@example.jp", "d@example.jp"]})

    # 16. Damage: NUL byte, a subject split by a bare LF in CRLF mail, a broken encoded word, a bad date, an unknown charset.
    write("damage-nul", ("From: a@example.jp\r\nTo: " + SECRETARIAT + "\r\nDate: Wed, 21 Aug 2019 10:30:00 +0900\r\nMessage-ID: <nul@x>\r\n"
                         "Subject: ばそな建設/専門家次郎/8月21日 10:30\r\n\r\nbo\x00dy\r\n").encode("utf-8"),
          {"report": report_time("ばそな建設", "専門家次郎", 8, 21, "10:30"), "problems": ["nul-byte"]})
    raw = ("From: a@example.jp\r\nTo: " + SECRETARIAT + "\r\nDate: Wed, 21 Aug 2019 10:30:00 +0900\r\nMessage-ID: <barelf@x>\r\n"
           "Subject: ばそな建設/専門家\n次郎/8月21日 10:30\r\n\r\n").encode("utf-8")
    write("damage-bare-lf-subject", raw, {"subject": "ばそな建設/専門家次郎/8月21日 10:30",
                                          "report": report_time("ばそな建設", "専門家次郎", 8, 21, "10:30"), "problems": ["bare-lf"]})
    raw = crlf("From: a@example.jp\nTo: " + SECRETARIAT + "\nDate: someday\nMessage-ID: <broken@x>\n"
               "Subject: =?utf-8?q?=ZZbroken?=\n\n")
    write("damage-broken-word-bad-date", raw, {"date": None, "subject": "=?utf-8?q?=ZZbroken?=",
                                               "problems": ["invalid-date", "undecodable-encoded-word", "not-a-report"]})
    raw = crlf("From: a@example.jp\nTo: " + SECRETARIAT + "\nDate: Wed, 21 Aug 2019 10:30:00 +0900\nMessage-ID: <unknown@x>\n"
               "Subject: =?x-unknown-charset?B?%s?=\n\n" % base64.b64encode("ばそな建設/専門家次郎/8月21日 10:30".encode()).decode())
    write("damage-unknown-charset", raw, {"subject": "ばそな建設/専門家次郎/8月21日 10:30", "problems": ["unknown-charset"]})

    # 17. Subjects that are not reports, or are reports of days and times that do not exist.
    for name, subject, problem in [
        ("consent-pdf", "写真提出の同意書", "not-a-report"),
        ("invalid-date", "ばそな建設/専門家次郎/2月30日 10:30", "report-invalid-date"),
        ("invalid-time", "ばそな建設/専門家次郎/8月21日 25:30", "report-invalid-time"),
    ]:
        msg = MIMEText("", "plain", "utf-8")
        with_headers(msg, "info@basona.example.jp", Header(subject, "utf-8"), mid="<%s@x>" % name)
        write("subject-" + name, msg.as_bytes(), {"subject": subject, "report": None, "problems": [problem]})
    msg = MIMEMultipart()
    with_headers(msg, "info@basona.example.jp", Header("写真提出の同意書", "utf-8"), mid="<consent@x>")
    pdf = MIMEApplication(PDF, "pdf")
    pdf.add_header("Content-Disposition", "attachment", filename=("utf-8", "", "同意書.pdf"))
    msg.attach(pdf)
    write("consent-pdf-attached", msg.as_bytes(), {"attachments": [att("同意書.pdf", "application/pdf", PDF)], "report": None})

    # 18. A leap day exists, 2月29日.
    msg = MIMEText("", "plain", "utf-8")
    with_headers(msg, "info@basona.example.jp", Header("ばそな建設/専門家次郎/2月29日 9:05", "utf-8"), mid="<leap@x>",
                 date="Sat, 29 Feb 2020 09:06:00 +0900")
    write("leap-day", msg.as_bytes(), {"report": report_time("ばそな建設", "専門家次郎", 2, 29, "09:05"), "problems": []})


if __name__ == "__main__":
    main()
