import Fluent
import HakenCore
import HakenStore
import Vapor

/// `/desk/invitations`: the secretariat invites institution staff and experts (and colleagues).
enum InvitationPageController {
    static let fields = ["email", "name", "party"]

    static func page(_ state: FormState, req: Request) async throws -> FormPage {
        var options: [(String, String)] = [("secretariat", "事務局の職員")]
        for institution in try await InstitutionModel.query(on: req.db).sort(\.$name).limit(1000).all() {
            if let id = institution.id { options.append(("institution:\(id.apiString)", "支援機関: \(institution.name)")) }
        }
        for expert in try await ExpertModel.query(on: req.db).sort(\.$name).limit(1000).all() {
            if let id = expert.id { options.append(("expert:\(id.apiString)", "専門家: \(expert.name)")) }
        }
        return FormPage(heading: "招待", intro: "支援機関の職員・専門家・事務局の職員を招待します。招待された方には、パスワードを設定するリンクがメールで届きます（有効期限7日）。",
                    action: "/desk/invitations", multipart: false, submit: "招待メールを送る", form: state, fields: [
                        state.field("email", "メールアドレス", type: "email", required: true),
                        state.field("name", "氏名", required: true),
                        state.field("party", "所属・立場", type: "select", required: true, options: options),
                    ])
    }

    static func show(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        return try await req.page("form", title: "招待", page(FormState(), req: req))
    }

    static func invite(req: Request) async throws -> Response {
        _ = try req.signedIn()
        let principal = try req.authorize(.manage, .secretariatDesk)
        let values = req.formValues(fields)
        var check = FieldChecker()
        let email = check.email(values["email"], field: "email", label: "メールアドレス")
        let name = check.required(values["name"], field: "name", label: "氏名")
        var role: Role?
        var partyID: UUID?
        let party = values["party"] ?? ""
        if party == "secretariat" {
            role = .secretariat
        } else if let colon = party.firstIndex(of: ":"), let kind = Role(rawValue: String(party[..<colon])), kind == .institution || kind == .expert,
                  let id = UUID(uuidString: String(party[party.index(after: colon)...])) {
            role = kind
            partyID = id
        } else {
            check.add(FieldError(field: "party", code: "required", message: "所属・立場を選んでください。"))
        }
        guard check.errors.isEmpty, let email, let role else {
            return try await req.page("form", title: "招待", page(FormState(values: values, failure: ValidationFailure(check.errors)), req: req),
                                      status: .unprocessableEntity)
        }
        do {
            _ = try await Invitations.invite(email: email, name: name, role: role, partyID: partyID, by: principal.actor,
                                             configuration: req.application.haken.configuration, on: req.db,
                                             key: req.application.haken.auditKey, now: req.application.hakenClock.now())
        } catch let problem as Accounts.InvitationProblem {
            let field = problem == .addressTaken ? "email" : "party"
            return try await req.page("form", title: "招待",
                                      page(FormState(values: values, failure: ValidationFailure([FieldError(field: field, code: "refused", message: problem.description)])), req: req),
                                      status: .unprocessableEntity)
        }
        return req.seeOther("/desk/invitations", flash: "\(name)様（\(email.address)）に招待メールを送りました。")
    }
}
