import Fluent
import Foundation
import HakenCore
import HakenStore

/// A small, realistic data set for trying HakenDesk: the guide's ばそな建設 and 専門家次郎,
/// a few institutions, experts and businesses, and dispatches across two fiscal years in
/// every state a dispatch can be in. Dates are placed around `today` so the states are live.
public enum DemoData {
    public struct Summary: Sendable {
        public var created: Bool
        public var businesses: Int
        public var dispatches: Int
    }

    /// Loads the set once; a second call finds ばそな建設 and changes nothing.
    public static func load(on db: Database, today: CivilDate, now: Date, key: AuditKey) async throws -> Summary {
        if try await BusinessModel.query(on: db).filter(\.$emailKey == "info@basona-kensetsu.example.jp").first() != nil {
            return Summary(created: false, businesses: try await BusinessModel.query(on: db).count(),
                           dispatches: try await DispatchModel.query(on: db).count())
        }
        return try await db.hakenTransaction { db in
            try await build(on: db, today: today, now: now, key: key)
        }
    }

    private static func build(on db: Database, today: CivilDate, now: Date, key: AuditKey) async throws -> Summary {
        func institution(_ name: String, _ kind: InstitutionKind, _ email: String) async throws -> UUID {
            let model = InstitutionModel(profile: InstitutionProfile(name: name, kind: kind, email: EmailAddress(email)!))
            try await model.create(on: db)
            return try model.requireID()
        }
        func expert(_ name: String, _ email: String) async throws -> UUID {
            let model = ExpertModel(profile: ExpertProfile(name: name, email: EmailAddress(email)!))
            try await model.create(on: db)
            return try model.requireID()
        }
        // DEC-10: ばそな建設's site phone has been verified; ミドリ精機's has not (it counts as unknown).
        func business(_ input: BusinessProfile.Input, mobileVerified: Date? = nil) async throws -> UUID {
            let model = BusinessModel(profile: try BusinessProfile.validate(input))
            model.mobileVerifiedAt = mobileVerified
            try await model.create(on: db)
            return try model.requireID()
        }

        let yorozu = try await institution("東京都よろず支援拠点", .yorozu, "yorozu@tokyo-yorozu.example.jp")
        let chamber = try await institution("大手町商工会議所", .chamberOfCommerce, "soudan@otemachi-cci.example.jp")
        let shinkin = try await institution("みらい信用金庫", .financialInstitution, "keiei@mirai-shinkin.example.jp")

        let jiro = try await expert("専門家次郎", "jiro@senmonka.example.jp")
        let yamada = try await expert("山田一郎", "yamada@shindanshi.example.jp")
        let sato = try await expert("佐藤花子", "sato@zeirishi.example.jp")

        let basona = try await business(.init(name: "ばそな建設", kanaName: "バソナケンセツ", corporateNumber: "7000012050002",
                                              address: "東京都千代田区大手町2-6-2", phone: "03-1234-5678", contactName: "派遣 太郎",
                                              email: "info@basona-kensetsu.example.jp", mobileEmail: "basona.genba@docomo.ne.jp"),
                                        mobileVerified: now)
        let sakura = try await business(.init(name: "有限会社さくら製菓", kanaName: "サクラセイカ", address: "東京都台東区浅草1-1-1",
                                              phone: "03-2345-6789", contactName: "桜井 由美", email: "yumi@sakura-seika.example.jp"))
        let midori = try await business(.init(name: "株式会社ミドリ精機", kanaName: "ミドリセイキ", address: "埼玉県川口市本町4-1-1",
                                              phone: "048-123-4567", contactName: "緑川 健", email: "midorikawa@midori-seiki.example.jp",
                                              mobileEmail: "ken.midori@icloud.com"))
        let aoba = try await business(.init(name: "合同会社あおば農園", kanaName: "アオバノウエン", address: "千葉県八街市八街1-2-3",
                                            phone: "043-987-6543", contactName: "青葉 さやか", email: "sayaka@aoba-farm.example.jp"))

        let thisYear = FiscalYear(containing: today)
        let lastYear = FiscalYear(startYear: thisYear.startYear - 1)
        for (businessID, year) in [(basona, lastYear), (basona, thisYear), (sakura, lastYear), (midori, thisYear)] {
            try await PhotoConsentModel(businessID: businessID, fiscalYear: year, status: .accepted,
                                        receivedAt: noon(year.firstDay.adding(days: 30)), note: "PDFで受領").create(on: db)
        }

        @discardableResult
        func dispatch(_ business: UUID, _ expert: UUID, _ institution: UUID, _ date: CivilDate, _ start: String, _ end: String,
                      _ place: String, _ evidence: [(EvidenceKind, EvidenceStatus, String?)]) async throws -> UUID? {
            guard let startTime = TimeOfDay(hhmm: start), let endTime = TimeOfDay(hhmm: end) else { return nil }
            let schedule = DispatchSchedule(date: date, start: startTime, end: endTime, place: place)
            // CON-1: every dispatch rests on an in-person consultation at its institution, a week before.
            let contact = try await BusinessModel.find(business, on: db)?.contactName ?? "ご担当者"
            let consultation = ConsultationModel(institutionID: institution, businessID: business,
                                                 consultation: Consultation(date: date.adding(days: -7), mode: .inPerson,
                                                                            consultedPerson: contact, photographed: true))
            try await consultation.create(on: db)
            try await AuditLog.append(.init(actor: "demo", action: "consultation.create", subject: AuditLog.subject("consultation", consultation.id),
                                            details: ["date": consultation.date, "consultedPerson": contact]), on: db, key: key, now: now)
            let model = DispatchModel(businessID: business, expertID: expert, institutionID: institution, schedule: schedule)
            model.$consultation.id = consultation.id
            try await model.create(on: db)
            let id = try model.requireID()
            try await AuditLog.append(.init(actor: "demo", action: "dispatch.create", subject: AuditLog.subject("dispatch", id),
                                            details: ["date": date.iso]), on: db, key: key, now: now)
            for (kind, status, note) in evidence {
                let received: Date
                switch kind {
                case .startReport: received = at(date, schedule.start, plusMinutes: 3)
                case .endReport, .photo: received = at(date, schedule.end, plusMinutes: 2)
                default: received = noon(date.adding(days: 2))
                }
                // The demo's review item came from an unknown mobile address (DEC-7); the rest from the registered one.
                let trust: SenderTrust = status == .review ? .unknownMobile : .registered
                // DAY-5: the demo's photos were checked by the secretariat, except one left in its queue (with a note).
                try await EvidenceWriter.record([EvidenceChange(dispatchID: id, kind: kind, status: status, trust: trust, note: note)],
                                                source: .init(actor: "demo", receivedAt: received),
                                                checkedBy: kind == .photo && note == nil ? "demo" : nil, on: db, key: key, now: now)
            }
            return id
        }

        let allDone: [(EvidenceKind, EvidenceStatus, String?)] = [
            (.startReport, .accepted, nil), (.endReport, .accepted, nil), (.photo, .accepted, nil),
            (.expertReport, .accepted, nil), (.certification, .accepted, "評価: 5"),
        ]
        // Last fiscal year: the guide's example, complete and paid; and one left undone.
        try await dispatch(basona, jiro, yorozu, CivilDate(year: lastYear.startYear, month: 8, day: 21)!, "10:30", "15:00",
                           "ばそな建設 本社会議室", allDone)
        let undone = try await dispatch(sakura, yamada, chamber, CivilDate(year: lastYear.startYear + 1, month: 2, day: 5)!, "13:00", "16:00",
                                        "さくら製菓 浅草工場", [(.startReport, .accepted, nil), (.endReport, .accepted, nil), (.photo, .accepted, nil),
                                                           (.expertReport, .accepted, nil)])
        // NOTE-2: the secretariat confirmed it outside the programme.
        if let undone {
            try await OutsideProgramme.decide(.confirm(reason: "最終期限までに従事証明の入力がなかったため（デモ）"), dispatchID: undone, notices: [],
                                              by: "demo", on: db, key: key, now: now)
        }
        // Last fiscal year too: the expert never filed the report; past its deadline, proposed as
        // outside the programme for the secretariat to confirm or extend (NOTE-2).
        try await dispatch(aoba, sato, yorozu, CivilDate(year: lastYear.startYear + 1, month: 2, day: 20)!, "10:00", "12:00",
                           "あおば農園 選果場", [(.startReport, .accepted, nil), (.endReport, .accepted, nil), (.photo, .accepted, nil)])
        // This fiscal year, around today.
        try await dispatch(basona, jiro, yorozu, today, "10:30", "15:00", "ばそな建設 第二現場事務所", [])
        try await dispatch(midori, sato, shinkin, BusinessCalendar.adding(businessDays: 0, to: today.adding(days: -10)), "09:30", "12:00",
                           "ミドリ精機 本社", [(.startReport, .accepted, nil), (.endReport, .accepted, nil), (.photo, .accepted, nil)])
        try await dispatch(aoba, yamada, yorozu, today.adding(days: -5), "14:00", "17:00", "あおば農園 作業場",
                           [(.endReport, .accepted, nil), (.photo, .accepted, nil)])
        try await dispatch(sakura, sato, chamber, today.adding(days: 14), "10:00", "12:00", "さくら製菓 本店", [])
        try await dispatch(midori, yamada, shinkin, today.adding(days: -3), "10:00", "15:30", "ミドリ精機 第二工場",
                           [(.startReport, .review, "登録外の携帯アドレスから受信（DEC-7）"), (.endReport, .accepted, nil),
                            (.photo, .accepted, "事務局の確認待ち")])

        return Summary(created: true, businesses: 4, dispatches: 8)
    }

    private static func at(_ date: CivilDate, _ time: TimeOfDay, plusMinutes minutes: Int) -> Date {
        Date(timeIntervalSince1970: TokyoClock.secondsSince1970(LocalDateTime(date: date, time: time)) + Double(minutes * 60))
    }

    private static func noon(_ date: CivilDate) -> Date {
        at(date, TimeOfDay(hour: 12, minute: 0)!, plusMinutes: 0)
    }
}
