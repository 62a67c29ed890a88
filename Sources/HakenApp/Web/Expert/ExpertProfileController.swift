import Fluent
import HakenCore
import HakenStore
import Vapor

/// `/expert/profile`: the expert's specialties and region (CON-4: institutions search by
/// them), qualifications, the bank account for the fee (holder in half-width kana, as banks
/// require), and the institutions the expert belongs to or is paid by (those cannot choose them).
enum ExpertProfileController {
    static let fields = ["specialties", "region", "qualifications", "bank", "bankCode", "branch", "branchCode", "kind", "number", "holderKana"]

    struct Affiliation: Encodable { var id: String; var institution: String; var relation: String }

    struct Page: Encodable {
        var name: String
        var form: FormState
        var fields: [FormField]
        var affiliations: [Affiliation]
        var institutions: [FormField.Option]
    }

    static func expert(_ req: Request) async throws -> (Principal, ExpertModel) {
        let principal = try req.signedIn()
        guard principal.role == .expert, let id = principal.partyID, let expert = try await ExpertModel.find(id, on: req.db) else {
            throw APIError.forbidden
        }
        try req.authorize(.editProfile, .expert(id))
        return (principal, expert)
    }

    static func show(req: Request) async throws -> Response {
        let (_, expert) = try await expert(req)
        let values = ["specialties": expert.specialties ?? "", "region": expert.region ?? "", "qualifications": expert.qualifications ?? "",
                      "bank": expert.bank ?? "", "bankCode": expert.bankCode ?? "", "branch": expert.branch ?? "", "branchCode": expert.branchCode ?? "",
                      "kind": expert.accountKind ?? "ordinary", "number": expert.accountNumber ?? "", "holderKana": expert.holderKana ?? ""]
        return try await req.page("expert-profile", title: "専門家のプロフィール", try await page(expert, FormState(values: values), req: req))
    }

    static func save(req: Request) async throws -> Response {
        let (principal, expert) = try await expert(req)
        let values = req.formValues(fields)
        var errors: [FieldError] = []
        var details: ExpertDetails?
        var account: BankAccount?
        do { details = try ExpertDetails.validate(specialties: values["specialties"], region: values["region"], qualifications: values["qualifications"]) } catch {
            errors += error.errors
        }
        do {
            account = try BankAccount.validate(.init(bank: values["bank"], bankCode: values["bankCode"], branch: values["branch"], branchCode: values["branchCode"],
                                                     kind: values["kind"], number: values["number"], holderKana: values["holderKana"]))
        } catch {
            errors += error.errors
        }
        guard let details, let account, errors.isEmpty else {
            return try await req.page("expert-profile", title: "専門家のプロフィール",
                                      try await page(expert, FormState(values: values, failure: ValidationFailure(errors), order: fields), req: req),
                                      status: .unprocessableEntity)
        }
        expert.apply(details)
        expert.apply(account)
        let now = req.application.hakenClock.now()
        let key = req.application.haken.auditKey
        try await req.db.hakenTransaction { db in
            try await expert.save(on: db)
            // The account number is kept out of the log; that it changed, and to which bank, is not.
            try await AuditLog.append(.init(actor: principal.actor, action: "expert.profile", subject: AuditLog.subject("expert", expert.id),
                                            details: ["specialties": expert.specialties ?? "", "region": expert.region ?? "",
                                                      "qualifications": expert.qualifications ?? "", "bank": "\(account.bank) \(account.branch)",
                                                      "holderKana": account.holderKana]), on: db, key: key, now: now)
        }
        return req.seeOther("/expert/profile", flash: "プロフィールを保存しました。口座名義は「\(account.holderKana)」で登録しました。")
    }

    static func addAffiliation(req: Request) async throws -> Response {
        let (principal, expert) = try await expert(req)
        let values = req.formValues(["institution", "relation"])
        guard let institutionID = values["institution"].flatMap(UUID.init(uuidString:)), let institution = try await InstitutionModel.find(institutionID, on: req.db),
              let relation = values["relation"], ["member", "paid"].contains(relation) else {
            return req.seeOther("/expert/profile", flash: "支援機関と関係を選んでください。")
        }
        let expertID = try expert.requireID()
        try await req.db.hakenTransaction { db in
            if try await ExpertAffiliationModel.query(on: db).filter(\.$expert.$id == expertID).filter(\.$institution.$id == institutionID).count() == 0 {
                try await ExpertAffiliationModel(expertID: expertID, institutionID: institutionID, relation: relation).create(on: db)
                try await AuditLog.append(.init(actor: principal.actor, action: "expert.affiliation.add", subject: AuditLog.subject("expert", expertID),
                                                details: ["institution": institutionID.apiString, "relation": relation]),
                                          on: db, key: req.application.haken.auditKey, now: req.application.hakenClock.now())
            }
        }
        return req.seeOther("/expert/profile", flash: "\(institution.name)を登録しました。この支援機関からは派遣されません（CON-4）。")
    }

    static func removeAffiliation(req: Request) async throws -> Response {
        let (principal, expert) = try await expert(req)
        let expertID = try expert.requireID()
        guard let id = req.parameters.get("affiliation").flatMap(UUID.init(uuidString:)),
              let row = try await ExpertAffiliationModel.find(id, on: req.db), row.$expert.id == expertID else { throw APIError.notFound("登録") }
        try await req.db.hakenTransaction { db in
            try await row.delete(on: db)
            try await AuditLog.append(.init(actor: principal.actor, action: "expert.affiliation.remove", subject: AuditLog.subject("expert", expertID),
                                            details: ["institution": row.$institution.id.apiString, "relation": row.relation]),
                                      on: db, key: req.application.haken.auditKey, now: req.application.hakenClock.now())
        }
        return req.seeOther("/expert/profile", flash: "登録を外しました。")
    }

    static func page(_ expert: ExpertModel, _ state: FormState, req: Request) async throws -> Page {
        let expertID = try expert.requireID()
        let rows = try await ExpertAffiliationModel.query(on: req.db).filter(\.$expert.$id == expertID).with(\.$institution).all()
        let institutions = try await InstitutionModel.query(on: req.db).sort(\.$name).limit(1000).all()
        return Page(
            name: expert.name, form: state,
            fields: [
                state.field("specialties", "専門分野", required: true, hint: "「、」で区切って複数。例: 財務・資金繰り、販路開拓"),
                state.field("region", "主な活動地域", type: "select", required: true, options: Prefecture.allCases.map { ($0.rawValue, $0.japaneseName) }),
                state.field("qualifications", "資格", hint: "例: 中小企業診断士、税理士"),
                state.field("bank", "金融機関名", required: true, hint: "謝金・旅費の振込先です。"),
                state.field("bankCode", "金融機関コード（4桁）", required: true, inputmode: "numeric"),
                state.field("branch", "支店名", required: true),
                state.field("branchCode", "支店コード（3桁）", required: true, inputmode: "numeric"),
                state.field("kind", "預金種目", type: "radio", required: true, options: BankAccount.Kind.allCases.map { ($0.rawValue, $0.japaneseName) }),
                state.field("number", "口座番号（7桁）", required: true, inputmode: "numeric"),
                state.field("holderKana", "口座名義（カナ）", required: true, hint: "通帳の表記どおりに。全角カナで入力しても、銀行の形式（半角カナ）で登録します。"),
            ],
            affiliations: rows.compactMap { row in
                row.id.map { Affiliation(id: $0.apiString, institution: row.institution.name, relation: row.relation == "paid" ? "報酬を受けている" : "所属している") }
            },
            institutions: institutions.compactMap { institution in institution.id.map { .init(value: $0.apiString, label: institution.name, selected: false) } })
    }
}
