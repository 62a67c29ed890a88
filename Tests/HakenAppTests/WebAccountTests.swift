import Fluent
import Foundation
import HakenApp
import HakenCore
import HakenStore
import HakenTestSupport
import Testing
import Vapor

/// Accounts on the pages, with the real database: sign-up with a mailed link, REG-1 stage 2,
/// login with throttling, CSRF, password reset, invitations.
@Suite struct WebAccountTests {
    @Test("REG-1, REG-2: sign-up, the mailed single-use link, then the business's details", arguments: TestDatabase.all)
    func testREG1_signUpVerifyAndDetails(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let browser = Browser(app)
            try await browser.get("/signup")
            let short = try await browser.post("/signup", ["email": "taro@basona.example.jp", "password": "short", "passwordConfirmation": "short"])
            #expect(short.status == .unprocessableEntity)
            #expect(short.fieldErrors["password"] == "パスワードは10文字以上にしてください。")
            #expect(short.html.contains(#"value="taro@basona.example.jp""#), "the typed address is kept")

            let sent = try await browser.post("/signup", ["email": "taro@basona.example.jp", "password": WebFixtures.password,
                                                          "passwordConfirmation": WebFixtures.password])
            #expect(sent.status == .seeOther && sent.location == "/signup/sent")
            let account = try #require(try await AccountModel.query(on: app.db).filter(\.$emailKey == "taro@basona.example.jp").first())
            #expect(account.verifiedAt == nil)
            // Not verified yet: no login.
            let early = try await Browser(app).signIn("taro@basona.example.jp")
            #expect(early.status == .unauthorized)

            let link = try #require(try await WebFixtures.mailedLink(app, to: "taro@basona.example.jp", prefix: "/signup/verify/"))
            let shown = try await browser.get(link)
            #expect(shown.status == .ok && shown.html.contains("taro@basona.example.jp"))
            #expect(try await AccountModel.find(account.id, on: app.db)?.verifiedAt == nil, "opening the link (GET) verifies nothing")
            let verified = try await browser.post(link, [:])
            #expect(verified.status == .seeOther && verified.location == "/business/details")
            #expect(try await browser.get(link).status == .gone, "the link works once")

            // Stage 2: errors beside their fields, what was typed kept.
            let incomplete = try await browser.post("/business/details", ["name": "ばそな建設", "kanaName": "バソナケンセツ", "contactName": "派遣 太郎",
                                                                          "postalCode": "12-34", "employees": "多数"])
            #expect(incomplete.status == .unprocessableEntity)
            #expect(incomplete.fieldErrors["postalCode"] == "郵便番号は7桁の数字で入力してください（例: 100-0005）。")
            #expect(incomplete.fieldErrors["employees"] == "従業員数は数字で入力してください。")
            #expect(incomplete.fieldErrors["representative"] == "代表者名を入力してください。")
            #expect(incomplete.html.contains(#"value="ばそな建設""#))
            #expect(incomplete.html.contains(##"<a href="#postalCode">"##), "the summary links to the field")

            let done = try await browser.post("/business/details", [
                "name": "ばそな建設", "kanaName": "バソナケンセツ", "corporateNumber": "7000012050002", "representative": "派遣 一郎",
                "postalCode": "100-0005", "address": "東京都千代田区丸の内1-1-1", "phone": "03-1234-5678", "industry": "D",
                "employees": "12", "capital": "3,000,000", "contactName": "派遣 太郎", "mobileEmail": "basona@docomo.ne.jp"])
            #expect(done.status == .seeOther && done.location == "/dispatches")
            let business = try #require(try await BusinessModel.query(on: app.db).filter(\.$name == "ばそな建設").first())
            #expect(business.email == "taro@basona.example.jp", "REG-2: the account's address is the registered address")
            #expect(business.postalCode == "100-0005" && business.employees == 12 && business.capitalYen == 3_000_000 && business.industry == "D")
            #expect(try await AccountModel.find(account.id, on: app.db)?.partyID == business.id)
            // DEC-10: the mobile address gets its own link.
            #expect(try await WebFixtures.mailedLink(app, to: "basona@docomo.ne.jp", prefix: "/mobile/verify/") != nil)
            // NOTE-3: who did it.
            let entry = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$action == "business.register").first())
            #expect(entry.actor.contains("account:\(try account.requireID().uuidString.lowercased())"))
            let page = try await browser.get("/business/details")
            #expect(page.html.contains("〒100-0005") && page.html.contains("建設業"))

            // The same address again: no second account, and the page answers alike.
            let again = try await Browser(app).post("/signup", ["email": "TARO@basona.example.jp", "password": WebFixtures.password,
                                                                "passwordConfirmation": WebFixtures.password], withCSRF: false)
            #expect(again.status == .forbidden, "no CSRF token, no sign-up")
            let other = Browser(app)
            try await other.get("/signup")
            let repeated = try await other.post("/signup", ["email": "TARO@basona.example.jp", "password": WebFixtures.password,
                                                            "passwordConfirmation": WebFixtures.password])
            #expect(repeated.location == "/signup/sent")
            #expect(try await AccountModel.query(on: app.db).count() == 1)
            #expect(try await WebFixtures.mailedLink(app, to: "taro@basona.example.jp", prefix: "/password/forgot") != nil)
        }
    }

    @Test("Login: a wrong password and an unknown address answer alike; five failures lock the account", arguments: TestDatabase.all)
    func loginThrottling(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            try await WebFixtures.account(app, "staff@yorozu.example.jp", role: .secretariat, party: nil)
            let wrong = try await Browser(app).signIn("staff@yorozu.example.jp", password: "not-the-password")
            let unknown = try await Browser(app).signIn("nobody@yorozu.example.jp", password: "not-the-password")
            #expect(wrong.status == .unauthorized && unknown.status == .unauthorized)
            #expect(wrong.html.contains("メールアドレスまたはパスワードが正しくありません。") && unknown.html.contains("メールアドレスまたはパスワードが正しくありません。"))
            for _ in 0..<4 { try await Browser(app).signIn("staff@yorozu.example.jp", password: "guess") }
            let locked = try await Browser(app).signIn("staff@yorozu.example.jp")
            #expect(locked.status == .tooManyRequests, "the right password is refused while the account is locked")
            #expect(locked.html.contains("一時的にログインを止めています"))
            // Fifteen minutes later it works again.
            app.hakenClock = .fixed(dayAfterExample.addingTimeInterval(16 * 60))
            let later = try await Browser(app).signIn("staff@yorozu.example.jp")
            #expect(later.status == .seeOther && later.location == "/dispatches")
        }
    }

    @Test("Sessions: HttpOnly SameSite cookie, a new id at login, CSRF on every form, logout ends it", arguments: TestDatabase.all)
    func sessionsAndCSRF(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            try await WebFixtures.account(app, "staff@yorozu.example.jp", role: .secretariat, party: nil)
            let browser = Browser(app)
            let login = try await browser.get("/login")
            let cookie = try #require(login.headers[.setCookie].first)
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"))
            #expect(login.headers.first(name: "Content-Security-Policy")?.contains("unsafe-inline") == false)
            #expect(login.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            let before = browser.cookie
            let forged = try await browser.post("/login", ["email": "staff@yorozu.example.jp", "password": WebFixtures.password], withCSRF: false)
            #expect(forged.status == .forbidden && forged.html.contains("もう一度お試しください"))
            try await browser.post("/login", ["email": "staff@yorozu.example.jp", "password": WebFixtures.password])
            #expect(browser.cookie != nil && browser.cookie != before, "a session id planted before the login is worth nothing after it")
            #expect(try await browser.get("/dispatches").status == .ok)
            // The API reads the same session, but a state-changing call needs the CSRF header.
            let viaSession = try await browser.send(.GET, "/api/v1/dispatches", body: nil, contentType: nil, accept: "application/json")
            #expect(viaSession.status == .ok)
            let postWithoutHeader = try await browser.send(.POST, "/api/v1/experts", body: ByteBuffer(string: #"{"name":"x","email":"x@example.jp"}"#),
                                                           contentType: .json, accept: "application/json")
            #expect(postWithoutHeader.status == .forbidden)
            #expect(try await browser.post("/logout", [:], withCSRF: false).status == .forbidden)
            // A plain form stays within 1 MB (only upload forms may be larger); over a real socket,
            // since the in-memory tester hands the body over already collected.
            let live = try app.testing(method: .running(port: Int.random(in: 40_000...60_000)))
            let huge = try await live.sendRequest(.POST, "/login", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                                  body: ByteBuffer(string: "email=" + String(repeating: "a", count: 2 * 1024 * 1024)))
            #expect(huge.status == .payloadTooLarge)
            let out = try await browser.post("/logout", [:])
            #expect(out.status == .seeOther)
            let after = try await browser.get("/dispatches")
            #expect(after.status == .seeOther && after.location?.hasPrefix("/login") == true)
        }
    }

    @Test("Password reset by a mailed single-use link", arguments: TestDatabase.all)
    func passwordReset(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            try await WebFixtures.account(app, "jiro@example.jp", role: .secretariat, party: nil)
            let browser = Browser(app)
            try await browser.get("/password/forgot")
            #expect(try await browser.post("/password/forgot", ["email": "jiro@example.jp"]).location == "/password/sent")
            #expect(try await browser.post("/password/forgot", ["email": "nobody@example.jp"]).location == "/password/sent", "the same answer")
            let link = try #require(try await WebFixtures.mailedLink(app, to: "jiro@example.jp", prefix: "/password/reset/"))
            try await browser.get(link)
            let mismatch = try await browser.post(link, ["password": "new-password-123", "passwordConfirmation": "other-password-123"])
            #expect(mismatch.fieldErrors["passwordConfirmation"] == "確認用のパスワードが一致しません。")
            let done = try await browser.post(link, ["password": "new-password-123", "passwordConfirmation": "new-password-123"])
            #expect(done.status == .seeOther && done.location == "/dispatches")
            #expect(try await browser.get(link).status == .gone)
            #expect(try await Browser(app).signIn("jiro@example.jp").status == .unauthorized, "the old password no longer works")
            #expect(try await Browser(app).signIn("jiro@example.jp", password: "new-password-123").status == .seeOther)
            // An hour later a link has expired.
            try await browser.post("/password/forgot", ["email": "jiro@example.jp"])
            let second = try #require(try await WebFixtures.mailedLink(app, to: "jiro@example.jp", prefix: "/password/reset/"))
            app.hakenClock = .fixed(dayAfterExample.addingTimeInterval(3601))
            let expired = try await Browser(app).get(second)
            #expect(expired.status == .gone && expired.html.contains("有効期限"))
            // A forged token (right row, wrong signature) is unknown.
            let forged = String(second.dropLast(4)) + "AAAA"
            #expect(try await Browser(app).get(forged).status == .notFound)
        }
    }

    @Test("Invitations: the secretariat invites an expert, who sets a password and sees their own dispatches", arguments: TestDatabase.all)
    func invitations(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let parties = try await app.seedParties()
            #expect(try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(parties)).status == .created)
            let desk = try await WebFixtures.signedIn(app, "desk@example.jp", role: .secretariat, party: nil)
            let form = try await desk.get("/desk/invitations")
            #expect(form.status == .ok && form.html.contains("専門家: 専門家次郎"))
            let missing = try await desk.post("/desk/invitations", ["email": "jiro-login@example.jp", "name": "専門家次郎"])
            #expect(missing.fieldErrors["party"] == "所属・立場を選んでください。")
            let sent = try await desk.post("/desk/invitations", ["email": "jiro-login@example.jp", "name": "専門家次郎", "party": "expert:\(parties.expert)"])
            #expect(sent.status == .seeOther)
            let link = try #require(try await WebFixtures.mailedLink(app, to: "jiro-login@example.jp", prefix: "/invitation/"))
            #expect(try await Browser(app).signIn("jiro-login@example.jp", password: "").status == .unauthorized, "no password before the link")
            let expert = Browser(app)
            try await expert.get(link)
            #expect(try await expert.post(link, ["password": "expert-pass-123", "passwordConfirmation": "expert-pass-123"]).location == "/dispatches")
            let list = try await expert.get("/dispatches")
            #expect(list.html.contains("ばそな建設") && list.html.contains("全1件"))
            // Only the secretariat invites.
            #expect(try await expert.get("/desk/invitations").status == .forbidden)
            let entry = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$action == "account.invite").first())
            #expect(entry.actor.hasPrefix("secretariat:-/account:"))
        }
    }
}
