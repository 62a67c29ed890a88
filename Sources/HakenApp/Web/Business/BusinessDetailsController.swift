import Fluent
import HakenCore
import HakenStore
import Vapor

/// REG-1 stage 2: `/business/details`, the business's details, registered once for the
/// signed-in contact's account; the account's address is the registered address (REG-2).
/// A mobile address (DAY-3) counts once the link mailed to it is opened (DEC-10).
enum BusinessDetailsController {
    static let fields = ["name", "kanaName", "corporateNumber", "representative", "postalCode", "address", "phone",
                         "industry", "employees", "capital", "contactName", "mobileEmail"]

    struct Context: Encodable {
        var email: String
        var form: FormState
        var fields: [FormField]
        /// Registered already: the details as a list instead of the form.
        var registered: [Fact]?
        var mobileStatus: String?
        var consent: Consent?
        var mobileForm: FormState
    }

    /// AFT-1: this fiscal year's photo consent, and how to send it.
    struct Consent: Encodable {
        var year: String
        var status: String
        var tone: String
        var secretariat: String
        /// #13: the form pre-filled, while one is still needed.
        var form: String?
    }

    struct Fact: Encodable { var label: String; var value: String }

    static func show(req: Request) async throws -> Response {
        let (principal, account) = try business(req)
        if let id = principal.partyID, let model = try await BusinessModel.find(id, on: req.db) {
            return try await req.page("business-details", title: "事業者情報", try await registered(model, email: account.email, req: req))
        }
        return try await req.page("business-details", title: "事業者情報の登録", form(email: account.email, state: FormState()))
    }

    static func create(req: Request) async throws -> Response {
        let (principal, account) = try business(req)
        guard principal.partyID == nil else { return req.seeOther("/business/details") }
        let values = req.formValues(fields)
        var input = BusinessProfile.Input(name: values["name"], kanaName: values["kanaName"], corporateNumber: values["corporateNumber"],
                                          address: values["address"], phone: values["phone"], contactName: values["contactName"],
                                          email: account.email, mobileEmail: values["mobileEmail"])
        input.representative = values["representative"]
        input.postalCode = values["postalCode"]
        input.industry = values["industry"]
        input.employees = values["employees"]
        input.capital = values["capital"]
        let profile: BusinessProfile
        do {
            profile = try BusinessProfile.validate(input, complete: true)
        } catch {
            return try await req.page("business-details", title: "事業者情報の登録", form(email: account.email, state: FormState(values: values, failure: error, order: fields)),
                                      status: .unprocessableEntity)
        }
        let now = req.application.hakenClock.now()
        let key = req.application.haken.auditKey
        do {
            try await req.db.hakenTransaction { db in
                let business = try await Accounts.registerBusiness(profile, for: account, on: db, key: key, now: now)
                try await MobileVerificationController.mailLink(for: business, req: req, on: db)
            }
        } catch let taken as AddressRegistry.Taken {
            let failure = ValidationFailure([FieldError(field: taken.field == "email" ? "mobileEmail" : taken.field, code: "already_registered",
                                                        message: "このメールアドレスは既に他の事業者・専門家・支援機関に登録されています。別のアドレスを入力してください。")])
            return try await req.page("business-details", title: "事業者情報の登録", form(email: account.email, state: FormState(values: values, failure: failure)),
                                      status: .conflict)
        }
        let mobileNote = profile.mobileEmail == nil ? "" : "携帯メールアドレスに確認のメールを送りました。リンクを開くと、そのアドレスからの報告も受け付けます。"
        return req.seeOther("/dispatches", flash: "事業者情報を登録しました。" + mobileNote)
    }

    static func business(_ req: Request) throws -> (Principal, AccountModel) {
        let principal = try req.signedIn()
        guard principal.role == .business, let account = req.account else { throw APIError.forbidden }
        return (principal, account)
    }

    static func form(email: String, state: FormState) -> Context {
        Context(email: email, form: state, fields: [
            state.field("name", "事業者名", required: true, hint: "当日の報告メールの件名に書く名前です。", autocomplete: "organization"),
            state.field("kanaName", "事業者名（カナ）", required: true, hint: "カタカナで入力してください。"),
            state.field("corporateNumber", "法人番号", hint: "13桁。個人事業主の方は空欄のままで構いません。", inputmode: "numeric"),
            state.field("representative", "代表者名", required: true),
            state.field("postalCode", "郵便番号", required: true, hint: "例: 100-0005", autocomplete: "postal-code", inputmode: "numeric"),
            state.field("address", "所在地", required: true, autocomplete: "street-address"),
            state.field("phone", "電話番号", type: "tel", required: true, hint: "例: 03-1234-5678", autocomplete: "tel"),
            state.field("industry", "業種", type: "select", required: true, options: Industry.allCases.map { ($0.rawValue, $0.japaneseName) }),
            state.field("employees", "従業員数（人）", required: true, inputmode: "numeric"),
            state.field("capital", "資本金（円）", hint: "個人事業主の方は空欄のままで構いません。", inputmode: "numeric"),
            state.field("contactName", "ご担当者名", required: true, hint: "支援を受け、当日の報告をする方です。", autocomplete: "name"),
            state.field("mobileEmail", "携帯メールアドレス", type: "email",
                        hint: "支援の現場で登録メールアドレスが使えないときに報告を送るアドレスです。確認のメールが届きます。"),
        ], registered: nil, mobileStatus: nil, consent: nil, mobileForm: FormState())
    }

    static func registered(_ model: BusinessModel, email: String, req: Request, mobileForm: FormState = FormState()) async throws -> Context {
        var facts: [Fact] = [.init(label: "事業者名", value: model.name)]
        func add(_ label: String, _ value: String?) { if let value, !value.isEmpty { facts.append(.init(label: label, value: value)) } }
        add("事業者名（カナ）", model.kanaName)
        add("法人番号", model.corporateNumber)
        add("代表者名", model.representative)
        add("郵便番号", model.postalCode.map { "〒\($0)" })
        add("所在地", model.address)
        add("電話番号", model.phone)
        add("業種", model.industry.flatMap(Industry.init(rawValue:))?.japaneseName)
        add("従業員数", model.employees.map { "\($0)人" })
        add("資本金", model.capitalYen.map(YenText.yen))
        add("ご担当者", model.contactName)
        add("登録メールアドレス", email)
        let mobile = model.mobileEmail.map { address in
            model.mobileVerifiedAt == nil ? "\(address)（確認待ち: 携帯に送ったメールのリンクを開いてください）" : "\(address)（確認済み）"
        }
        let year = FiscalYear(containing: req.application.hakenClock.today)
        let consent = try await PhotoConsents.find(businessID: try model.requireID(), fiscalYear: year, on: req.db)
        let status = consent.flatMap { EvidenceStatus(rawValue: $0.status) } ?? .missing
        return Context(email: email, form: FormState(), fields: [], registered: facts, mobileStatus: mobile,
                       consent: Consent(year: "\(year.label)（\(year.eraLabel)）", status: status.japaneseName,
                                        tone: ChecklistText.tone(.photoConsent, status), secretariat: req.application.haken.configuration.mail.senderAddress,
                                        form: [.missing, .rejected].contains(status) ? FormLinks.consent(businessID: try model.requireID(), year: year).href : nil),
                       mobileForm: mobileForm)
    }

    /// DAY-3, DEC-10: a new mobile address (or none); a new one counts once its mailed link is opened.
    static func changeMobile(req: Request) async throws -> Response {
        let (principal, account) = try business(req)
        guard let id = principal.partyID, let model = try await BusinessModel.find(id, on: req.db) else { return req.redirect(to: "/business/details") }
        let typed = (try? req.content.get(String.self, at: "mobileEmail")) ?? ""
        var check = FieldChecker()
        let mobile = check.optionalEmail(typed, field: "mobileEmail", label: "携帯メールアドレス")
        if let mobile, mobile.matchKey == model.emailKey {
            check.add(FieldError(field: "mobileEmail", code: "same_as_email", message: "携帯メールアドレスには登録メールアドレスと別のアドレスを入力してください。"))
        }
        func again(_ errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
            try await req.page("business-details", title: "事業者情報",
                               try await registered(model, email: account.email, req: req,
                                                    mobileForm: FormState(values: ["mobileEmail": typed], failure: ValidationFailure(errors))), status: status)
        }
        guard check.errors.isEmpty else { return try await again(check.errors, status: .unprocessableEntity) }
        guard mobile?.matchKey != model.mobileEmailKey else { return req.seeOther("/business/details", flash: "変更はありません。") }
        let old = model.mobileEmail.flatMap(EmailAddress.init)
        var profile = try model.profile()
        profile.mobileEmail = mobile
        model.apply(profile)
        let now = req.application.hakenClock.now()
        do {
            try await req.db.hakenTransaction { db in
                if let old { try await AddressRegistry.release(old, partyID: id, on: db) }
                if let mobile { try await AddressRegistry.claim([(address: mobile, field: "mobileEmail")], partyKind: "business", partyID: id, on: db) }
                try await model.save(on: db)
                try await AuditLog.append(.init(actor: principal.actor, action: "business.mobile.change", subject: AuditLog.subject("business", id),
                                                details: ["before": old?.address ?? "", "after": mobile?.address ?? ""]),
                                          on: db, key: req.application.haken.auditKey, now: now)
                try await MobileVerificationController.mailLink(for: model, req: req, on: db)
            }
        } catch is AddressRegistry.Taken {
            return try await again([FieldError(field: "mobileEmail", code: "already_registered",
                                               message: "このメールアドレスは既に他の事業者・専門家・支援機関に登録されています。")], status: .conflict)
        }
        return req.seeOther("/business/details", flash: mobile == nil ? "携帯メールアドレスの登録を外しました。"
                                                                      : "携帯メールアドレスを変更しました。届いたメールのリンクを開くと、そのアドレスからの報告も受け付けます。")
    }
}
