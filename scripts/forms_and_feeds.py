#!/usr/bin/env python3
"""#13 from outside: `hakendesk serve --demo`, signed in as the business, the institution and the
expert of the demo data.

- Calendar feeds: each party issues its feed from the dispatch list, a calendar program (no
  cookie) fetches it, and Python's `icalendar` parses it: the Asia/Tokyo zone, one event per
  dispatch of the party (the same ids the API lists), tz-aware start and end, SEQUENCE and
  STATUS, lines of at most 75 octets. Issuing again retires the old URL.
- The institution moves one of its coming dispatches and then cancels it on its pages: the same
  UID comes back with SEQUENCE raised and the new start, then as STATUS:CANCELLED.
- Forms: every PDF linked from the party's dispatch pages opens, is A4, has its fonts embedded
  (pdffonts) and says the business's name (pdftotext).

Usage: scripts/forms_and_feeds.py path/to/hakendesk
"""
import http.cookiejar
import json
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

import hakentest

PASSWORD = "demo-pass-2026"
PARTIES = {"business": "info@basona-kensetsu.example.jp", "institution": "staff@tokyo-yorozu.example.jp", "expert": "jiro@senmonka.example.jp"}


class Browser:
    def __init__(self, port):
        self.port = port
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path, accept="text/html"):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers={"Accept": accept})
        with self.opener.open(request, timeout=60) as response:
            return response.status, response.headers, response.read()

    def post(self, path, form, page_path="/dispatches"):
        page = self.get(page_path)[2].decode()
        form = dict(form, _csrf=re.search(r'name="_csrf" value="([^"]+)"', page).group(1))
        with self.opener.open(f"http://127.0.0.1:{self.port}{path}", data=urllib.parse.urlencode(form).encode(), timeout=60) as response:
            return response.status, response.read().decode()

    def sign_in(self, email):
        page = self.get("/login")[2].decode()
        csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"_csrf": csrf, "email": email, "password": PASSWORD, "next": "/dispatches"}).encode()
        with self.opener.open(f"http://127.0.0.1:{self.port}/login", data=form, timeout=60) as response:
            if "/login" in response.geturl():
                raise SystemExit(f"could not sign in as {email}")


def fetch(port, path):
    """A GET with no cookie, as a calendar program sends it: (status, headers, body)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def check_feed(checks, party, port, url, expected_ids, today):
    status, headers, body = fetch(port, url)
    checks.check(f"{party}: the feed answers without a login as text/calendar", status == 200 and headers["Content-Type"].startswith("text/calendar"),
                 f"{status} {headers.get('Content-Type')}")
    lines = body.split(b"\r\n")
    checks.check(f"{party}: CRLF lines of at most 75 octets", body.endswith(b"\r\n") and all(len(line) <= 75 for line in lines) and b"\n" not in b"".join(lines))
    calendar = Calendar.from_ical(body)
    checks.check(f"{party}: icalendar reads VERSION 2.0 and a PRODID", str(calendar.get("VERSION")) == "2.0" and calendar.get("PRODID") is not None)
    zones = [component for component in calendar.walk("VTIMEZONE")]
    checks.check(f"{party}: the Asia/Tokyo VTIMEZONE is defined", len(zones) == 1 and str(zones[0].get("TZID")) == "Asia/Tokyo")
    events = calendar.walk("VEVENT")
    uids = [str(event.get("UID")) for event in events]
    ids = {uid.removeprefix("dispatch-").removesuffix("@hakendesk") for uid in uids}
    checks.check(f"{party}: one event per dispatch of the party ({len(events)}), the same ids as the API lists",
                 len(set(uids)) == len(uids) and ids == expected_ids, f"feed {sorted(ids)} api {sorted(expected_ids)}")
    good = True
    for event in events:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        good &= isinstance(start, datetime) and start.utcoffset() == timedelta(hours=9) and end > start
        good &= str(event.get("DTSTART").params.get("TZID")) == "Asia/Tokyo"
        good &= isinstance(event.get("SEQUENCE"), int) and event.get("SEQUENCE") >= 0
        good &= str(event.get("STATUS")) in ("CONFIRMED", "CANCELLED") and str(event.get("SUMMARY")).startswith(("専門家派遣", "【取消】"))
        good &= event.decoded("DTSTAMP").utcoffset() == timedelta(0)
    checks.check(f"{party}: every event is in Tokyo time, with SEQUENCE, STATUS and a UTC DTSTAMP", good and len(events) > 0)
    round_trip = Calendar.from_ical(calendar.to_ical())
    checks.check(f"{party}: the parsed calendar writes back and reads again alike", len(round_trip.walk("VEVENT")) == len(events))
    return calendar


def event(port, url, dispatch):
    """The feed's event for `dispatch`, as icalendar reads it."""
    calendar = Calendar.from_ical(fetch(port, url)[2])
    return next((e for e in calendar.walk("VEVENT") if str(e.get("UID")) == f"dispatch-{dispatch}@hakendesk"), None)


def check_changes(checks, browser, port, url, today):
    """CON-5 through the institution's pages, followed in its feed."""
    listed = json.loads(browser.get("/api/v1/dispatches?per=100", accept="application/json")[2])["items"]
    coming = [item for item in listed if item["date"] >= today.isoformat() and item["state"] != "cancelled"]
    if not checks.check("institution: the demo has a coming dispatch to move", bool(coming)):
        return
    dispatch = coming[0]["id"]
    before = event(port, url, dispatch)
    new_day = (today + timedelta(days=9)).isoformat()
    status, _ = browser.post(f"/dispatches/{dispatch}/reschedule", {"date": new_day, "start": "13:00", "end": "16:30",
                                                                     "place": "本社 2階会議室", "reason": "事業者の都合"},
                             page_path=f"/dispatches/{dispatch}/reschedule")
    moved = event(port, url, dispatch)
    checks.check("institution: a reschedule keeps the UID, raises SEQUENCE and moves DTSTART (icalendar)",
                 status == 200 and before is not None and moved is not None and moved.get("SEQUENCE") == before.get("SEQUENCE") + 1
                 and moved.decoded("DTSTART") == datetime.fromisoformat(f"{new_day}T13:00:00+09:00"),
                 f"{before and before.get('SEQUENCE')} → {moved and moved.get('SEQUENCE')} {moved and moved.decoded('DTSTART')}")
    status, _ = browser.post(f"/dispatches/{dispatch}/cancel", {"reason": "事業者の都合で中止"}, page_path=f"/dispatches/{dispatch}")
    cancelled = event(port, url, dispatch)
    checks.check("institution: a cancellation stays in the feed as CANCELLED with SEQUENCE raised again",
                 status == 200 and cancelled is not None and str(cancelled.get("STATUS")) == "CANCELLED"
                 and cancelled.get("SEQUENCE") == moved.get("SEQUENCE") + 1)


def dispatch_ids(browser, today):
    """The party's dispatches the feed should hold: from a year back on (the API through its session)."""
    ids, page = set(), 1
    while True:
        listed = json.loads(browser.get(f"/api/v1/dispatches?per=100&page={page}", accept="application/json")[2])
        for item in listed["items"]:
            if item["date"] >= (today - timedelta(days=366)).isoformat():
                ids.add(item["id"])
        if page * 100 >= listed["total"]:
            return ids
        page += 1


def check_forms(checks, party, browser, ids):
    """Every form linked from the party's dispatch pages: A4 PDF, fonts embedded, its title in its text.
    Returns how many were opened (a party whose dispatches need nothing has none)."""
    links = set()
    for dispatch in sorted(ids):
        page = browser.get(f"/dispatches/{dispatch}")[2].decode()
        links.update(link.replace("&amp;", "&") for link in re.findall(r'href="([^"]+\.pdf[^"]*)"', page))
    good = True
    with tempfile.TemporaryDirectory() as folder:
        for index, link in enumerate(sorted(links)):
            status, headers, body = browser.get(link, accept="application/pdf")
            path = f"{folder}/{index}.pdf"
            with open(path, "wb") as file:
                file.write(body)
            info = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
            fonts = subprocess.run(["pdffonts", path], capture_output=True, text=True).stdout.splitlines()[2:]
            text = re.sub(r"\s", "", subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", path, "-"], capture_output=True, text=True).stdout)
            title = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("Title:")), "")
            ok = (status == 200 and body.startswith(b"%PDF-") and "(A4)" in info and fonts and all(" yes yes " in row for row in fonts)
                  and title and re.sub(r"\s", "", title) in text)
            if not ok:
                print(f"    {link}: {status} {info.splitlines()[:2]} {fonts}")
            good &= bool(ok)
    checks.check(f"{party}: the {len(links)} forms linked from its dispatch pages open as A4 PDFs with embedded fonts and their title", good)
    return len(links)


def main():
    binary = sys.argv[1]
    checks = hakentest.Checks("forms-feeds")
    with tempfile.TemporaryDirectory() as data_dir:
        process, port, _ = hakentest.serve(binary, data_dir, args=("serve", "--demo"), HAKEN_ADMIN_TOKEN="forms-feeds-admin-token")
        try:
            today = datetime.now(ZoneInfo("Asia/Tokyo")).date()   # the server's day (DEC-1)
            forms = 0
            for party, email in PARTIES.items():
                browser = Browser(port)
                browser.sign_in(email)
                status, page = browser.post("/calendar/feed", {})
                url = re.search(r"(/calendar/[A-Za-z0-9_-]+\.ics)", page)
                if not checks.check(f"{party}: the dispatch list issues a feed URL", status == 200 and url is not None):
                    continue
                ids = dispatch_ids(browser, today)
                check_feed(checks, party, port, url.group(1), ids, today)
                if party == "institution":
                    check_changes(checks, browser, port, url.group(1), today)
                if party == "business":
                    _, second = browser.post("/calendar/feed", {})
                    rotated = re.search(r"(/calendar/[A-Za-z0-9_-]+\.ics)", second).group(1)
                    checks.check("business: a new URL retires the old one",
                                 fetch(port, url.group(1))[0] == 404 and fetch(port, rotated)[0] == 200 and rotated != url.group(1))
                forms += check_forms(checks, party, browser, ids)
            checks.check(f"the demo's dispatches offer forms to print ({forms})", forms > 0)
        finally:
            hakentest.stop(process)
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
