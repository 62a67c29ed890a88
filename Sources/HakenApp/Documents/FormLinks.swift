import Foundation
import HakenCore
import HakenStore

/// A printable form offered on a page (#13).
struct FormLink: Encodable, Sendable, Equatable {
    var href: String
    var label: String
    var hint: String
}

/// Which forms a page offers: the ones the dispatch needs now, and the copies for the file,
/// each only to whom the policy gives it (the routes ask the same policy again).
enum FormLinks {
    static func forDispatch(_ dispatch: DispatchRow, principal: Principal, facts: DispatchFacts, assessment: DispatchAssessment,
                            hasReport: Bool, hasCertification: Bool) -> [FormLink] {
        let id = dispatch.id.apiString
        var links: [FormLink] = []
        // Owed: not for a cancelled dispatch, nor once the accepted declarations cover every need.
        if !dispatch.cancelled && facts.evidence.status(.declaration) != .accepted {
            for (variant, kinds) in DeclarationRules.required(facts.evidence, assessment: assessment) {
                links.append(FormLink(href: "/dispatches/\(id)/forms/declaration.pdf?variant=\(variant.rawValue)",
                                      label: "支援実施申告書兼再発防止誓約書（\(variant.japaneseName)）",
                                      hint: "\(kinds.map(\.japaneseName).joined(separator: "・"))の代わりです。印刷し、ご担当者・専門家・支援機関の三者が記名・押印してください。"))
            }
        }
        let consentNeeded = [.missing, .rejected].contains(facts.evidence.status(.photoConsent))
        if consentNeeded, principal.may(.read, .business(dispatch.businessID, consultedAt: [dispatch.institutionID])) {
            let year = FiscalYear(containing: facts.date)
            links.append(consent(businessID: dispatch.businessID, year: year))
        }
        if hasReport {
            links.append(FormLink(href: "/dispatches/\(id)/forms/expert-report.pdf", label: "支援報告書（旅費請求を含む）", hint: "専門家が入力した報告の控えです。"))
        }
        if hasCertification, principal.may(.readEvaluation, .dispatch(dispatch.parties)) {
            links.append(FormLink(href: "/dispatches/\(id)/forms/certification.pdf", label: "従事証明・専門家評価",
                                  hint: "ご担当者が入力した内容の控えです。"))
        }
        if principal.may(.manage, .secretariatDesk) {
            links.append(FormLink(href: "/desk/dispatches/\(id)/record.pdf", label: "派遣記録（監査用）",
                                  hint: "受信したメールとその SHA-256、事務局の判断、監査ログの全件です。"))
            links.append(FormLink(href: "/desk/dispatches/\(id)/record.csv", label: "派遣記録（CSV、Excel 用）",
                                  hint: "同じ記録を一つの表にしたものです（UTF-8、BOM 付き。?encoding=cp932 で Shift_JIS）。"))
        }
        return links
    }

    static func consent(businessID: UUID, year: FiscalYear) -> FormLink {
        FormLink(href: "/businesses/\(businessID.apiString)/forms/consent.pdf?year=\(year.startYear)", label: "写真提出の同意書（\(year.label)）",
                 hint: "年度に1回必要です。記名・押印のうえ、PDF をメールで、または原本を郵送で事務局へお送りください。")
    }

    /// The secretariat's declaration screen: every variant, pre-filled for this dispatch.
    static func declarations(_ dispatchID: UUID) -> [FormLink] {
        DeclarationVariant.allCases.map { variant in
            FormLink(href: "/dispatches/\(dispatchID.apiString)/forms/declaration.pdf?variant=\(variant.rawValue)",
                     label: "支援実施申告書兼再発防止誓約書（\(variant.japaneseName)）", hint: variant.covers.map(\.japaneseName).joined(separator: "・"))
        }
    }
}
