#!/usr/bin/env python3
"""Mail-reading benchmark: HakenDesk's reader against Python's `email`, fast-mail-parser
and a floor that only hashes each file, on one generated corpus, in one run. Every
figure is reported as a ratio against those references, measured here and now.

The same work for everyone: read the message, decode the subject, walk the parts,
decode every attachment and SHA-256 it.

usage: scripts/bench_read.py PATH/TO/release/hakendesk [--mails 20000] [--photo-share 0.2]
       [--corpus DIR] (the corpus is generated once per parameters and reused)
"""
import argparse
import email
import email.parser
import hashlib
import json
import os
import random
import subprocess
import time
from email import policy
from email.header import Header
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

CHARSETS = ["iso-2022-jp", "utf-8", "shift_jis", "euc-jp"]


def make_corpus(folder, mails, share, seed=20191021):
    os.makedirs(folder, exist_ok=True)
    if len([n for n in os.listdir(folder) if n.endswith(".eml")]) == mails:
        return
    rng = random.Random(seed)
    businesses = ["ばそな建設", "有限会社さくら製菓", "株式会社ミドリ精機", "合同会社あおば農園", "㈱ひまわり商店"]
    experts = ["専門家次郎", "山田一郎", "佐藤花子", "高橋①郎"]
    for number in range(mails):
        charset = CHARSETS[number % len(CHARSETS)]
        business, expert = rng.choice(businesses), rng.choice(experts)
        hour, minute = rng.randint(8, 18), rng.choice([0, 15, 30, 45])
        photo = rng.random() < share
        subject = f"{business}/{expert}/8月{rng.randint(1, 28)}日 {hour}:{minute:02d}" + (f"~{hour + 2}:{minute:02d}" if photo else "")
        try:
            subject.encode(charset)
        except UnicodeEncodeError:   # ㈱ and ① exist only in the Windows supersets
            charset = "utf-8"
        text = MIMEText("支援を開始しました。" if not photo else "", "plain", charset)
        if photo:
            msg = MIMEMultipart()
            msg.attach(text)
            size = rng.randint(1_000_000, 3_000_000)
            jpeg = b"\xff\xd8\xff\xe0" + rng.randbytes(size - 6) + b"\xff\xd9"
            image = MIMEImage(jpeg, "jpeg")
            image.add_header("Content-Disposition", "attachment", filename="IMG_%04d.JPG" % number)
            msg.attach(image)
        else:
            msg = text
        msg["From"] = f"info{number % 997}@example.jp"
        msg["To"] = "senmonka-haken@example.jp"
        msg["Subject"] = Header(subject, charset)
        msg["Date"] = "Wed, 21 Aug 2019 10:30:00 +0900"
        msg["Message-ID"] = f"<bench-{number}@example.jp>"
        with open(os.path.join(folder, "%06d.eml" % number), "wb") as f:
            f.write(msg.as_bytes())


def files(folder):
    return [os.path.join(folder, n) for n in sorted(os.listdir(folder)) if n.endswith(".eml")]


def run_floor(paths):
    for path in paths:
        with open(path, "rb") as f:
            hashlib.sha256(f.read()).hexdigest()


def run_python_email(paths):
    parser = email.parser.BytesParser(policy=policy.default)
    for path in paths:
        with open(path, "rb") as f:
            msg = parser.parse(f)
        str(msg["subject"])
        for part in msg.walk():
            if part.is_multipart():
                continue
            payload = part.get_payload(decode=True) or b""
            if part.get_content_maintype() != "text" or part.get_filename():
                hashlib.sha256(payload).hexdigest()


def run_fast_mail_parser(paths):
    from fast_mail_parser import parse_email
    for path in paths:
        with open(path, "rb") as f:
            mail = parse_email(f.read())
        mail.subject
        for attachment in mail.attachments:
            hashlib.sha256(attachment.content).hexdigest()


def timed(function, paths, passes):
    best = float("inf")
    for _ in range(passes):
        began = time.perf_counter()
        function(paths)
        best = min(best, time.perf_counter() - began)
    return best


def peak_memory(binary, folder, megabytes=25):
    """Peak resident memory of `hakendesk mail inspect` reading one message of `megabytes`
    (a base64 JPEG), against the same command on a small message (the process's own
    baseline: binary, runtime, ICU tables)."""
    big = os.path.join(folder, "..", f"big-{megabytes}mb.eml")
    small = os.path.join(folder, "..", "small.eml")
    rng = random.Random(25)
    if not os.path.exists(big):
        msg = MIMEMultipart()
        msg.attach(MIMEText("写真を送ります。", "plain", "utf-8"))
        raw_size = megabytes * 1_000_000 * 3 // 4
        image = MIMEImage(b"\xff\xd8\xff\xe0" + rng.randbytes(raw_size - 6) + b"\xff\xd9", "jpeg")
        image.add_header("Content-Disposition", "attachment", filename="IMG_0001.JPG")
        msg.attach(image)
        msg["From"] = "info@example.jp"
        msg["Subject"] = Header("ばそな建設/専門家次郎/8月21日 10:30~12:30", "utf-8")
        with open(big, "wb") as f:
            f.write(msg.as_bytes())
    if not os.path.exists(small):
        msg = MIMEText("支援を開始しました。", "plain", "utf-8")
        msg["From"] = "info@example.jp"
        msg["Subject"] = Header("ばそな建設/専門家次郎/8月21日 10:30", "utf-8")
        with open(small, "wb") as f:
            f.write(msg.as_bytes())

    def rss(path):
        process = subprocess.Popen([binary, "mail", "inspect", path], stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        if status != 0:
            raise SystemExit(f"mail inspect {path} failed")
        return usage.ru_maxrss * 1024   # kilobytes on Linux

    size = os.path.getsize(big)
    # The least of three runs each: the resident size of the same command varies by tens of
    # megabytes from run to run (how much of the binary and ICU's tables it happens to touch).
    base, peak = min(rss(small) for _ in range(3)), min(rss(big) for _ in range(3))
    print(f"peak memory: {size / 1e6:.1f} MB message: {peak / 1e6:.1f} MB resident, baseline {base / 1e6:.1f} MB; "
          f"above baseline {(peak - base) / 1e6:.1f} MB = {(peak - base) / size:.2f}x the message (target <= 3x); "
          f"whole process {peak / size:.2f}x")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--mails", type=int, default=20000)
    parser.add_argument("--photo-share", type=float, default=0.2)
    parser.add_argument("--corpus")
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--skip-memory", action="store_true", help="do not measure peak memory for one 25 MB message")
    args = parser.parse_args()
    folder = args.corpus or os.path.join("var", f"bench-corpus-{args.mails}-{args.photo_share}")
    make_corpus(folder, args.mails, args.photo_share)
    paths = files(folder)
    total = sum(os.path.getsize(p) for p in paths)
    print(f"corpus: {len(paths)} mails, {total / 1e6:.0f} MB, {args.photo_share:.0%} with a 1-3 MB photo ({folder})")

    results = {}
    run_floor(paths)   # warm the page cache for everyone
    results["floor (read + SHA-256 of the file)"] = timed(run_floor, paths, args.passes)
    out = subprocess.run([args.binary, "bench", "read", folder, "--passes", str(args.passes)], capture_output=True, text=True, check=True)
    results["HakenDesk"] = json.loads(out.stdout.strip().splitlines()[-1])["seconds"]
    results["Python email (policy.default)"] = timed(run_python_email, paths, max(1, args.passes - 1))
    try:
        results["fast-mail-parser"] = timed(run_fast_mail_parser, paths, args.passes)
    except ImportError:
        print("fast-mail-parser is not installed (pip install fast-mail-parser)")

    ours = results["HakenDesk"]
    print(f"{'reader':40} {'seconds':>9} {'µs/mail':>9}  HakenDesk is")
    for name, seconds in results.items():
        ratio = seconds / ours
        relation = "—" if name == "HakenDesk" else (f"{ratio:.2f}x faster" if ratio >= 1 else f"{1 / ratio:.2f}x slower")
        print(f"{name:40} {seconds:9.3f} {seconds * 1e6 / len(paths):9.1f}  {relation}")
    if not args.skip_memory:
        peak_memory(args.binary, folder)


if __name__ == "__main__":
    main()
