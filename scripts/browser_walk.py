#!/usr/bin/env python3
"""The browser suite (#10, #11): a real headless Chromium walks one whole dispatch as four
people against `hakendesk serve --demo`, with report mail sent over real SMTP and the outgoing
mail caught by an aiosmtpd relay:

  business signs up (mailed link) and registers its details → institution staff record the
  consultation (with a real JPEG) and file the dispatch → the business's today page carries
  the right mailto: subject → the start report is typed by hand and matches nothing; the end
  report and the photo come from a phone nobody registered → the page shows them waiting
  without a reload → the business mails its photo consent → the expert files the report →
  the business certifies through the mailed link → at the secretariat's desk: the unmatched
  start report is assigned by hand, the phone's report accepted, the consent accepted, the
  photo rejected and the declaration that replaces it recorded → the dispatch is complete.
  Another dispatch, past its final deadline, is confirmed outside the programme; the inbox is
  searched and exported as CSV, read back as UTF-8 with BOM and as CP932.

Every page visited is checked with axe-core 4 (WCAG 2.x A/AA and best practices): zero
serious or critical violations. Screenshots at phone (375 px) and desktop (1280 px) widths go
to var/screenshots/.

usage: browser_walk.py path/to/hakendesk
"""
import asyncio
import csv
import datetime
import email
import email.message
import email.policy
import io
import os
import re
import smtplib
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import piexif
from aiosmtpd.controller import Controller
from axe_selenium_python import Axe
from PIL import Image, ImageDraw
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.dirname(__file__))
from hakentest import Checks, free_port, serve, stop  # noqa: E402

TOKYO = datetime.timezone(datetime.timedelta(hours=9))
PASSWORD = "demo-pass-2026"
BUSINESS_MAIL = "tanaka@hinode-kogyo.example.jp"
BUSINESS_PASSWORD = "hinode-pass-2026"
PHONE = "tanaka.genba@ezweb.ne.jp"
SECRETARIAT = "jimukyoku@haken-demo.example.jp"
checks = Checks("browser")
SHOTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "var", "screenshots")


class Relay:
    """The relay our outbox sends through: keeps every message."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 2.0.0 Ok"

    def link(self, to, prefix, seconds=60):
        """The newest mailed link to `to` whose path starts with `prefix`."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            for message in reversed(self.messages):
                if to in message["To"]:
                    found = re.search(r"https?://\S+?" + re.escape(prefix) + r"\S+", message.get_body().get_content())
                    if found:
                        return found.group(0)
            time.sleep(0.5)
        return None


def axe_script():
    """axe-core 4 (as bundled by axe-playwright-python; axe-selenium-python's own copy is 3.1)."""
    import axe_playwright_python
    return os.path.join(os.path.dirname(axe_playwright_python.__file__), "axe.min.js")


class Walk:
    def __init__(self, driver, base):
        self.driver, self.base, self.pages = driver, base, 0

    def go(self, path):
        self.driver.get(self.base + path if path.startswith("/") else path)

    def look(self, name):
        """axe-core on the current page, and screenshots at both widths."""
        self.pages += 1
        axe = Axe(self.driver, script_url=axe_script())
        axe.inject()
        results = axe.run(options="{resultTypes: ['violations']}")
        bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
        detail = "; ".join(f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in bad)
        checks.check(f"axe: {name} has no serious or critical violations", not bad, detail)
        for width, label in ((375, "phone"), (1280, "desktop")):
            self.driver.set_window_size(width, 900)
            height = self.driver.execute_script("return document.documentElement.scrollHeight")
            self.driver.set_window_size(width, min(max(height, 600), 6000))
            self.driver.save_screenshot(os.path.join(SHOTS, f"{self.pages:02d}-{name}-{label}.png"))
        self.driver.set_window_size(375, 900)

    def fill(self, values):
        for name, value in values.items():
            element = self.driver.find_element(By.NAME, name)
            kind = element.get_attribute("type")
            if kind in ("date", "time") or element.tag_name == "select":
                self.driver.execute_script("arguments[0].value = arguments[1]", element, value)
            elif kind == "radio":
                self.driver.find_element(By.CSS_SELECTOR, f"input[name='{name}'][value='{value}']").click()
            else:
                element.clear()
                element.send_keys(value)

    def submit(self, label=None):
        """Clicks the form's button and waits for the next page."""
        buttons = self.driver.find_elements(By.CSS_SELECTOR, "main button[type=submit]")
        button = buttons[-1] if label is None else next(b for b in buttons if label in b.text)
        self.click_and_wait(button)

    def click_and_wait(self, element):
        """Clicks, then waits until a new document has loaded (the old one carried a mark)."""
        self.driver.execute_script("window.__hakenOldPage = true")
        element.click()
        WebDriverWait(self.driver, 30, ignored_exceptions=(Exception,)).until(
            lambda d: d.execute_script("return window.__hakenOldPage !== true && document.readyState === 'complete'"))

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "main").text

    def sign_in(self, address, password=PASSWORD):
        self.go("/login")
        self.fill({"email": address, "password": password})
        self.submit("ログイン")
        checks.check(f"{address} signs in", "/login" not in self.driver.current_url, self.driver.current_url)

    def sign_out(self):
        self.click_and_wait(self.driver.find_element(By.CSS_SELECTOR, "header form button"))


def photo_jpeg(taken=None):
    """A real JPEG as a phone makes one: the support photo (the person in charge and the expert, in
    spirit), with EXIF of when it was taken (#12: an honest photo is not flagged); without `taken`, the
    consultation photo, another picture (a photo used twice would be flagged)."""
    image = Image.new("RGB", (640, 480), (200, 220, 240))
    draw = ImageDraw.Draw(image)
    if taken:
        draw.rectangle((160, 120, 300, 400), fill=(60, 90, 160))
        draw.rectangle((340, 120, 480, 400), fill=(160, 90, 60))
    else:
        draw.rectangle((0, 300, 640, 480), fill=(90, 70, 40))
        draw.ellipse((220, 60, 420, 260), fill=(230, 190, 150))
    out = io.BytesIO()
    if taken:
        exif = piexif.dump({"0th": {piexif.ImageIFD.Make: b"Apple", piexif.ImageIFD.Model: b"iPhone 13"},
                            "Exif": {piexif.ExifIFD.DateTimeOriginal: taken.strftime("%Y:%m:%d %H:%M:%S").encode(),
                                     piexif.ExifIFD.OffsetTimeOriginal: b"+09:00"}})
        image.save(out, "JPEG", quality=85, exif=exif)
    else:
        image.save(out, "JPEG", quality=85)
    return out.getvalue()


def consent_pdf():
    """The year's photo consent as a PDF, as a business scans its signed form."""
    image = Image.new("RGB", (595, 842), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, 535, 120), outline=(0, 0, 0), width=3)
    draw.line((300, 700, 520, 700), fill=(0, 0, 0), width=2)
    out = io.BytesIO()
    image.save(out, "PDF")
    return out.getvalue()


def send_consent(smtp_port, secretariat):
    message = email.message.EmailMessage()
    message["From"] = BUSINESS_MAIL
    message["To"] = secretariat
    message["Subject"] = "写真提出の同意書（日の出工業）"
    message["Date"] = email.utils.formatdate(localtime=True)
    message["Message-ID"] = email.utils.make_msgid(domain="hinode-kogyo.example.jp")
    message.set_content("同意書を送ります。")
    message.add_attachment(consent_pdf(), maintype="application", subtype="pdf", filename="同意書.pdf")
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=30) as client:
        client.send_message(message, from_addr=BUSINESS_MAIL, to_addrs=[secretariat])


def send_report(smtp_port, secretariat, subject, photo=None, sender=BUSINESS_MAIL):
    message = email.message.EmailMessage()
    message["From"] = sender
    message["To"] = secretariat
    message["Subject"] = subject
    message["Date"] = email.utils.formatdate(localtime=True)
    message["Message-ID"] = email.utils.make_msgid(domain="hinode-kogyo.example.jp")
    message.set_content("")
    if photo:
        message.add_attachment(photo, maintype="image", subtype="jpeg", filename="shien.jpg")
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=30) as client:
        client.send_message(message, from_addr=sender, to_addrs=[secretariat])


def wait_for(driver, condition, seconds=60):
    try:
        WebDriverWait(driver, seconds, poll_frequency=0.5).until(lambda d: condition())
        return True
    except Exception:
        return False


def main(binary):
    os.makedirs(SHOTS, exist_ok=True)
    # Start and end must fall on one Tokyo day: near midnight, wait for the next day.
    now = datetime.datetime.now(TOKYO)
    if now.hour == 23 and now.minute >= 40:
        time.sleep((60 - now.minute + 1) * 60)
    relay = Relay()
    controller = Controller(relay, hostname="127.0.0.1", port=free_port())
    controller.start()
    data = tempfile.mkdtemp(prefix="haken-browser-")
    process, http_port, smtp_port = serve(binary, data, args=("serve", "--demo"), smtp=True,
                                          HAKEN_SMTP_RELAY=f"127.0.0.1:{controller.port}")
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=375,900", "--lang=ja-JP"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    walk = Walk(driver, f"http://127.0.0.1:{http_port}")
    secretariat = "senmonka-haken@localhost"
    try:
        # 1. The business signs up and confirms its address (REG-1, REG-2).
        walk.go("/")
        walk.look("front")
        walk.go("/signup")
        walk.fill({"email": "not-an-address", "password": "short", "passwordConfirmation": "x"})
        walk.submit()
        checks.check("sign-up errors are shown beside their fields", "パスワードは10文字以上" in walk.text())
        walk.look("signup-errors")
        walk.fill({"email": BUSINESS_MAIL, "password": BUSINESS_PASSWORD, "passwordConfirmation": BUSINESS_PASSWORD})
        walk.submit()
        checks.check("sign-up asks to open the mailed link", "確認メールを送りました" in walk.text())
        link = relay.link(BUSINESS_MAIL, "/signup/verify/")
        checks.check("the sign-up mail carries its link", link is not None)
        walk.go(link)
        walk.look("signup-verify")
        walk.submit()
        checks.check("the confirmed account goes on to the details", "/business/details" in driver.current_url)
        walk.look("business-details-form")
        walk.fill({"name": "日の出工業", "kanaName": "ヒノデコウギョウ", "corporateNumber": "", "representative": "日野 出男",
                   "postalCode": "1000005", "address": "東京都千代田区丸の内1-1-1", "phone": "03-1234-5678",
                   "industry": "E", "employees": "25", "capital": "10,000,000", "contactName": "田中 一郎", "mobileEmail": ""})
        walk.submit()
        checks.check("the details are registered", "事業者情報を登録しました" in walk.text(), walk.text()[:300])
        walk.look("dispatch-list-empty")
        walk.sign_out()

        # 2. The institution records the consultation and files the dispatch (CON-1…CON-5).
        walk.sign_in("staff@tokyo-yorozu.example.jp")
        walk.go("/consultations/new")
        walk.look("consultation-form")
        today = datetime.datetime.now(TOKYO)
        photo_path = os.path.join(data, "consultation.jpg")
        with open(photo_path, "wb") as f:
            f.write(photo_jpeg())
        walk.fill({"businessEmail": BUSINESS_MAIL, "date": today.strftime("%Y-%m-%d"), "consultedPerson": "田中 一郎",
                   "theme": "原価管理と資金繰りの改善", "expertNeeded": "yes", "businessWish": "財務に詳しい専門家"})
        driver.find_element(By.NAME, "photo").send_keys(photo_path)
        walk.submit()
        checks.check("the consultation is recorded", "/dispatch" in driver.current_url and "派遣の申請" in walk.text(), walk.text()[:300])
        walk.look("dispatch-form")
        start = datetime.datetime.now(TOKYO).replace(second=0, microsecond=0)
        end = start + datetime.timedelta(minutes=10)
        expert = driver.find_element(By.XPATH, "//select[@name='expertId']/option[normalize-space(.)='専門家次郎']").get_attribute("value")
        walk.fill({"expertId": expert, "date": start.strftime("%Y-%m-%d"), "start": start.strftime("%H:%M"),
                   "end": end.strftime("%H:%M"), "place": "日の出工業 本社"})
        walk.submit("派遣を申請する")
        checks.check("the dispatch is filed", "派遣を申請しました" in walk.text(), walk.text()[:300])
        dispatch_url = driver.current_url
        walk.look("dispatch-institution")
        checks.check("the business is told by mail (CON-5)", relay.link(BUSINESS_MAIL, "/", seconds=30) is not None
                     or any(BUSINESS_MAIL in m["To"] and "派遣が決まりました" in m["Subject"] for m in relay.messages))
        walk.sign_out()

        # 3. The business's today page: the mailto: subject (DAY-1), then the reports over SMTP.
        walk.sign_in(BUSINESS_MAIL, BUSINESS_PASSWORD)
        walk.go(dispatch_url.replace(walk.base, "") + "/today")
        walk.look("today")
        href = driver.find_element(By.CSS_SELECTOR, "a[data-mailto=time]").get_attribute("href")
        parsed = urllib.parse.urlparse(href)
        subject = urllib.parse.parse_qs(parsed.query)["subject"][0]
        minute = datetime.datetime.now(TOKYO)
        expected = {f"日の出工業/専門家次郎/{t.month}月{t.day}日 {t:%H:%M}" for t in (minute, minute - datetime.timedelta(minutes=1))}
        checks.check("the start button opens mail to the secretariat with the subject filled in",
                     parsed.scheme == "mailto" and parsed.path == secretariat and subject in expected, f"{href} → {subject}")
        # Typed by hand instead of through the button: a subject that is not a report (DEC-8).
        send_report(smtp_port, secretariat, "日の出工業です。支援を開始しました")
        status = lambda kind: driver.find_element(By.CSS_SELECTOR, f"[data-item={kind}]").text
        end_subject = f"日の出工業/専門家次郎/{end.month}月{end.day}日 {end:%H:%M}"
        # DEC-7: the end report and the photo from a phone nobody registered.
        send_report(smtp_port, secretariat, end_subject, photo=photo_jpeg(taken=datetime.datetime.now(TOKYO)), sender=PHONE)
        checks.check("the phone's end report and photo show as waiting for the secretariat, without a reload",
                     wait_for(driver, lambda: status("endReport") == "確認中" and status("photo") == "確認中"),
                     f"{status('endReport')} / {status('photo')}")
        checks.check("the hand-typed start report is not counted yet", status("startReport") == "未提出", status("startReport"))
        walk.look("today-reported")
        # AFT-1: the year's photo consent, mailed as a PDF; the secretariat checks it below.
        send_consent(smtp_port, secretariat)
        walk.sign_out()

        # 4. The expert files the report (AFT-2), which mails the certification link.
        walk.sign_in("jiro@senmonka.example.jp")
        walk.go(dispatch_url.replace(walk.base, ""))
        walk.look("dispatch-expert")
        walk.click_and_wait(driver.find_element(By.LINK_TEXT, "支援報告を入力する"))
        walk.look("expert-report-form")
        walk.fill({"actualStart": start.strftime("%H:%M"), "actualEnd": end.strftime("%H:%M"),
                   "work": "原価計算の見直しと資金繰り表の作成を支援しました。", "nextSteps": "月次で資金繰りを確認する。", "travelExpenses": "1,280"})
        walk.submit()
        checks.check("the expert's report is filed", "支援報告を提出しました" in walk.text(), walk.text()[:300])
        walk.sign_out()

        # 5. The business certifies through the mailed link, without logging in (AFT-2, AFT-3).
        certify = relay.link(BUSINESS_MAIL, "/certify/")
        checks.check("the certification mail carries its link", certify is not None)
        driver.delete_all_cookies()
        walk.go(certify)
        walk.look("certification-form")
        checks.check("the expert's times are shown beside the business's mails", "専門家の報告" in walk.text() and "受信" in walk.text())
        walk.fill({"times": "confirm", "rating": "5", "comment": "分かりやすい説明でした。"})
        walk.submit()
        checks.check("the certification is accepted", "従事証明と評価を受け付けました" in walk.text(), walk.text()[:300])
        walk.look("certified")
        walk.go(certify)
        checks.check("the link works once", "既に入力されています" in walk.text())

        # 6. The secretariat's desk (#11): every queue of the day's mail decided.
        walk.sign_in(SECRETARIAT)
        walk.go("/desk")
        walk.look("desk-home")
        # DEC-8: the hand-typed start report, assigned by hand to the best-ranked dispatch.
        walk.go("/desk/mail?queue=unmatched")
        checks.check("the hand-typed mail waits in the unmatched queue",
                     wait_for(driver, lambda: (driver.refresh() or True) and "支援を開始しました" in walk.text(), seconds=30), walk.text()[:300])
        walk.look("desk-unmatched")
        walk.click_and_wait(driver.find_element(By.XPATH, "//tr[contains(., '支援を開始しました')]//a"))
        walk.look("desk-mail-unmatched")
        checks.check("its best candidate is the dispatch, with the reasons",
                     "差出人はこの事業者の登録アドレス" in walk.text() and "日の出工業" in walk.text(), walk.text()[:400])
        driver.find_element(By.CSS_SELECTOR, "input[name=kind][value=startReport]").click()
        walk.fill({"reason": "件名の書式違い（手入力）"})
        walk.submit("割り当てる")
        checks.check("the mail is assigned as the start report", "記録しました" in walk.text(), walk.text()[:300])
        # DEC-7: the phone's report, accepted; the business is told to register the phone.
        walk.go("/desk/mail?queue=unknownSender")
        walk.click_and_wait(driver.find_element(By.XPATH, f"//tr[contains(., '{PHONE}')]//a"))
        walk.look("desk-mail-review")
        walk.submit("受理する")
        checks.check("the phone's report is accepted", "記録しました" in walk.text(), walk.text()[:300])
        checks.check("the business is told its phone's report was accepted",
                     wait_for(driver, lambda: any(BUSINESS_MAIL in m["To"] and "報告を受理しました" in m["Subject"] for m in relay.messages), 30))
        # AFT-1: the year's photo consent.
        walk.go("/desk/consents")
        checks.check("the mailed consent waits for the secretariat",
                     wait_for(driver, lambda: (driver.refresh() or True) and "日の出工業" in walk.text(), seconds=30), walk.text()[:300])
        walk.look("desk-consents")
        section = driver.find_element(By.XPATH, "//section[.//h3[contains(., '日の出工業')]]")
        walk.click_and_wait(section.find_element(By.XPATH, ".//button[normalize-space(.)='受理する']"))
        checks.check("the consent is accepted", "同意書を受理しました" in walk.text(), walk.text()[:200])
        # DAY-5: the photo, checked and rejected (the consulted person is not in it).
        dispatch_id = dispatch_url.rstrip("/").split("/")[-1]
        walk.go(f"/desk/photos/{dispatch_id}")
        walk.look("desk-photo")
        checks.check("the photo is shown beside the consultation photo and the consulted person",
                     len(driver.find_elements(By.CSS_SELECTOR, "img.photo")) == 2 and "田中 一郎" in walk.text(), walk.text()[:300])
        checks.check("#12: the photo's EXIF time and camera are shown, and it is not the same picture as another",
                     "撮影日時（EXIF）" in walk.text() and "Apple iPhone 13" in walk.text() and "同じ写真が別の記録にあります" not in walk.text(),
                     walk.text()[:600])
        driver.find_element(By.ID, "point-expertPresent").click()
        walk.fill({"reason": "経営相談を受けた田中様が写っていません"})
        walk.submit("不受理にする")
        checks.check("the photo is rejected and a declaration asked for", "不受理にしました" in walk.text(), walk.text()[:300])
        checks.check("the business is asked for the photo declaration (DAY-7)",
                     wait_for(driver, lambda: any(BUSINESS_MAIL in m["To"] and "写真不備" in m.get_body().get_content() for m in relay.messages), 30))
        # DAY-7: the declaration arrives on paper with all three seals.
        walk.go(f"/desk/dispatches/{dispatch_id}/declarations")
        walk.look("desk-declarations")
        checks.check("the dispatch asks for the photo declaration", "写真不備" in walk.text(), walk.text()[:300])
        driver.find_element(By.ID, "receipt-paper").click()
        walk.fill({"receivedOn": datetime.datetime.now(TOKYO).strftime("%Y-%m-%d"), "note": "原本を郵送で受領"})
        for seal in ("sealedByBusiness", "sealedByExpert", "sealedByInstitution"):
            driver.find_element(By.ID, seal).click()
        driver.find_element(By.ID, "decision-accept").click()
        walk.submit("記録する")
        checks.check("the declaration settles the photo", "必要な申告書がそろいました" in walk.text(), walk.text()[:300])
        # The inbox: a Japanese substring finds the day's mail; CSV read back as Excel would.
        walk.go("/desk/mail?q=" + urllib.parse.quote("日の出"))
        walk.look("desk-inbox-search")
        checks.check("the inbox finds the business's mail by a Japanese substring", "日の出工業" in walk.text(), walk.text()[:300])
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
        for encoding, codec in (("utf-8", "utf-8-sig"), ("cp932", "cp932")):
            request = urllib.request.Request(f"{walk.base}/desk/mail.csv?encoding={encoding}", headers={"Cookie": cookie})
            body = urllib.request.urlopen(request, timeout=30).read()
            rows = list(csv.reader(io.StringIO(body.decode(codec), newline="")))
            checks.check(f"the inbox CSV reads as {codec} with its header and the day's mail",
                         rows[0][:3] == ["受信日時", "差出人", "件名"] and any("支援を開始しました" in r[2] for r in rows[1:])
                         and (encoding != "utf-8" or body.startswith(b"\xef\xbb\xbf")), str(rows[:2]))
        # NOTE-2: a dispatch past its final deadline, confirmed outside the programme.
        walk.go("/desk/deadlines")
        checks.check("the scheduler proposed the overdue dispatch",
                     wait_for(driver, lambda: (driver.refresh() or True) and "あおば農園" in walk.text(), seconds=90), walk.text()[:300])
        walk.look("desk-deadlines")
        section = driver.find_element(By.XPATH, "//section[.//h3[contains(., 'あおば農園')]]")
        section.find_element(By.TAG_NAME, "textarea").send_keys("最終期限までに専門家の報告と従事証明がなく、事業者・専門家に確認した")
        walk.click_and_wait(section.find_element(By.XPATH, ".//button[normalize-space(.)='事業対象外と確定する']"))
        checks.check("it is confirmed outside the programme", "事業対象外と確定し" in walk.text(), walk.text()[:300])
        walk.go("/desk/dashboard")
        walk.look("desk-dashboard")
        # #12, DEC-2: the day's reports agree with each other and with the expert's report.
        walk.go("/desk/discrepancies")
        walk.look("desk-discrepancies")
        checks.check("an honest dispatch shows no discrepancy", "未確認の食い違いはありません" in walk.text(), walk.text()[:400])
        walk.go(dispatch_url.replace(walk.base, ""))
        walk.look("dispatch-secretariat")
        checks.check("the secretariat sees the dispatch's mails", "この派遣の受信メール" in walk.text(), walk.text()[-600:])
        walk.go(f"/desk/dispatches/{dispatch_id}/audit")
        walk.look("desk-audit")
        checks.check("the dispatch's trail holds the desk's decisions",
                     "事務局: 派遣に割当" in walk.text() and "事務局: 写真を確認" in walk.text(), walk.text()[:300])
        walk.sign_out()

        # 7. Every duty is done: the dispatch is complete and its fee can be paid (NOTE-1).
        walk.sign_in(BUSINESS_MAIL, BUSINESS_PASSWORD)
        walk.go(dispatch_url.replace(walk.base, ""))
        walk.look("dispatch-business-complete")
        items = {li.find_element(By.CSS_SELECTOR, ".what").text: li.find_element(By.CSS_SELECTOR, ".status").text
                 for li in driver.find_elements(By.CSS_SELECTOR, ".checklist li")}
        checks.check("every item is done, the rejected photo replaced by the accepted declaration",
                     items.get("支援状況写真") == "不受理" and items.get("支援実施申告書兼再発防止誓約書") == "受理"
                     and all(v == "受理" for k, v in items.items() if k not in ("支援状況写真",)), str(items))
        checks.check("the dispatch is complete", "完了（支払可）" in walk.text(), walk.text()[:200])
        walk.sign_out()
        walk.sign_in(SECRETARIAT)
        walk.go("/dispatches")
        checks.check("the other dispatch is outside the programme", "事業対象外" in walk.text(), walk.text()[:300])
        print(f"  ({walk.pages} pages checked with axe-core; screenshots in {SHOTS})")
    finally:
        driver.quit()
        stop(process)
        controller.stop()
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
