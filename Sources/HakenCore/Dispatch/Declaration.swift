/// DAY-4, DAY-7: the declaration (支援実施申告書兼再発防止誓約書) that replaces a time report or
/// photo that is missing, late or rejected. The real programme has three variants of the form;
/// the dispatch asks for the ones its evidence needs. It counts only with the names and seals
/// of all three: the person in charge, the expert and the institution.
public enum DeclarationVariant: String, CaseIterable, Sendable, Codable {
    /// A time report not sent, or sent outside ±20 minutes (DAY-4).
    case reportForgotten
    /// No photo, or a photo that does not show what DAY-5 asks (DAY-7).
    case photoDeficient
    /// A time report sent with a time that was wrong (DEC-2: rejected after review).
    case timeCorrected

    public var japaneseName: String {
        switch self {
        case .reportForgotten: return "報告失念"
        case .photoDeficient: return "写真不備"
        case .timeCorrected: return "報告時刻訂正"
        }
    }

    /// The items this variant can stand in for.
    public var covers: [EvidenceKind] {
        switch self {
        case .reportForgotten, .timeCorrected: return [.startReport, .endReport]
        case .photoDeficient: return [.photo]
        }
    }
}

/// How the declaration reached the secretariat.
public enum DeclarationReceipt: Equatable, Sendable {
    /// A scan or PDF (uploaded, or taken from a mail), at `file` in the blob store.
    case scan(file: String)
    /// The paper original by post, on the day it arrived.
    case paper(receivedOn: CivilDate)
}

public struct DeclarationRecord: Equatable, Sendable {
    public var variant: DeclarationVariant
    public var covers: [EvidenceKind]
    public var receipt: DeclarationReceipt
    public var sealedByBusiness: Bool
    public var sealedByExpert: Bool
    public var sealedByInstitution: Bool
    public var accepted: Bool
    public var note: String?

    public var allSealed: Bool { sealedByBusiness && sealedByExpert && sealedByInstitution }

    public init(variant: DeclarationVariant, covers: [EvidenceKind], receipt: DeclarationReceipt, sealedByBusiness: Bool,
                sealedByExpert: Bool, sealedByInstitution: Bool, accepted: Bool, note: String?) {
        self.variant = variant; self.covers = covers; self.receipt = receipt
        self.sealedByBusiness = sealedByBusiness; self.sealedByExpert = sealedByExpert; self.sealedByInstitution = sealedByInstitution
        self.accepted = accepted; self.note = note
    }
}

public enum DeclarationRules {
    /// What a dispatch asks for: one variant per kind of gap. A rejected time report asks for
    /// the time correction, any other failed report for the forgotten-report form.
    public static func required(_ evidence: EvidenceChecklist, assessment: DispatchAssessment) -> [(DeclarationVariant, [EvidenceKind])] {
        var byVariant: [DeclarationVariant: [EvidenceKind]] = [:]
        for kind in assessment.needsDeclarationFor {
            let variant: DeclarationVariant
            switch kind {
            case .photo: variant = .photoDeficient
            default: variant = evidence.status(kind) == .rejected ? .timeCorrected : .reportForgotten
            }
            byVariant[variant, default: []].append(kind)
        }
        return DeclarationVariant.allCases.compactMap { variant in byVariant[variant].map { (variant, $0) } }
    }

    /// Whether the accepted declarations together cover every item that needs one.
    public static func settles(_ needs: [EvidenceKind], accepted: [DeclarationRecord]) -> Bool {
        guard !needs.isEmpty else { return false }
        let covered = Set(accepted.filter(\.accepted).flatMap(\.covers))
        return Set(needs).isSubset(of: covered)
    }

    public struct Input: Sendable {
        public var variant: String?
        public var covers: [String]
        /// `scan` or `paper`.
        public var receipt: String?
        /// For paper: the day it arrived (yyyy-mm-dd).
        public var receivedOn: String?
        public var sealedByBusiness: Bool
        public var sealedByExpert: Bool
        public var sealedByInstitution: Bool
        /// `accept` or `reject`.
        public var decision: String?
        public var note: String?

        public init(variant: String?, covers: [String], receipt: String?, receivedOn: String?, sealedByBusiness: Bool,
                    sealedByExpert: Bool, sealedByInstitution: Bool, decision: String?, note: String?) {
            self.variant = variant; self.covers = covers; self.receipt = receipt; self.receivedOn = receivedOn
            self.sealedByBusiness = sealedByBusiness; self.sealedByExpert = sealedByExpert; self.sealedByInstitution = sealedByInstitution
            self.decision = decision; self.note = note
        }
    }

    /// Checks what the secretariat entered. `scanFile` is the stored upload (or the mail's PDF),
    /// when there is one; `today` bounds the day a paper original arrived.
    /// `needs` are the items the dispatch needs a declaration for now: a declaration covers
    /// only those.
    public static func validate(_ input: Input, needs: [EvidenceKind], scanFile: String?, today: CivilDate) throws(ValidationFailure) -> DeclarationRecord {
        var check = FieldChecker()
        let variant = input.variant.flatMap(DeclarationVariant.init(rawValue:))
        if variant == nil {
            check.add(FieldError(field: "variant", code: "required", message: "申告書の種類を選んでください。"))
        }
        let covers = EvidenceKind.allCases.filter { input.covers.contains($0.rawValue) }
        if covers.isEmpty || covers.count != Set(input.covers).count {
            check.add(FieldError(field: "covers", code: "required", message: "申告書が代わりとなる項目を選んでください。"))
        } else if let variant, !Set(covers).isSubset(of: variant.covers) {
            check.add(FieldError(field: "covers", code: "invalid_choice",
                                 message: "「\(variant.japaneseName)」の申告書で代えられるのは\(variant.covers.map(\.japaneseName).joined(separator: "・"))です。"))
        } else if !Set(covers).isSubset(of: needs) {
            let needed = needs.isEmpty ? "ありません" : "\(needs.map(\.japaneseName).joined(separator: "・"))です"
            check.add(FieldError(field: "covers", code: "not_needed", message: "この派遣で申告書が必要な項目は\(needed)。"))
        }
        var receipt: DeclarationReceipt?
        switch input.receipt {
        case "scan":
            if let scanFile { receipt = .scan(file: scanFile) } else {
                check.add(FieldError(field: "file", code: "required", message: "申告書のスキャン（PDF・画像）を添付してください。"))
            }
        case "paper":
            let text = (input.receivedOn ?? "").trimmingWhitespace
            if text.isEmpty {
                check.add(FieldError(field: "receivedOn", code: "required", message: "原本の到着日を入力してください。"))
            } else if let day = CivilDate(iso: text), day.year >= 1900, day <= today {
                receipt = .paper(receivedOn: day)
            } else {
                check.add(FieldError(field: "receivedOn", code: "invalid_date", message: "原本の到着日は今日までの日付を 2026-12-01 の形で入力してください。"))
            }
        default:
            check.add(FieldError(field: "receipt", code: "required", message: "受け取り方法（スキャン・郵送の原本）を選んでください。"))
        }
        let note = check.optional(input.note, field: "note", label: "備考・理由", maxLength: MailRuling.reasonLimit)
        let accept: Bool
        switch input.decision {
        case "accept": accept = true
        case "reject": accept = false
        default:
            accept = false
            check.add(FieldError(field: "decision", code: "required", message: "受理するか不受理とするかを選んでください。"))
        }
        let allSealed = input.sealedByBusiness && input.sealedByExpert && input.sealedByInstitution
        if input.decision == "accept" && !allSealed {
            check.add(FieldError(field: "seals", code: "seals_missing",
                                 message: "受理できるのは、ご担当者・専門家・支援機関の三者の記名押印がそろった申告書だけです（DAY-4）。"))
        }
        if input.decision == "reject" && note == nil {
            check.add(FieldError(field: "note", code: "required", message: "不受理の理由を入力してください。"))
        }
        try check.finish()
        guard let variant, let receipt else { throw ValidationFailure([.required("variant", label: "申告書の種類")]) }
        return DeclarationRecord(variant: variant, covers: covers, receipt: receipt, sealedByBusiness: input.sealedByBusiness,
                                 sealedByExpert: input.sealedByExpert, sealedByInstitution: input.sealedByInstitution,
                                 accepted: accept, note: note)
    }
}
