import Fluent
import Crypto
import Foundation
import HakenCore
import HakenMail
import HakenStore

/// The processing benchmark's data (`hakendesk bench process`), kept out of the shipped
/// application modules: a programme of realistic size and the report mails
/// its businesses send on the day. Deterministic (a fixed seed), so runs compare.
public enum BenchSeed {
    public struct Seeded {
        var businesses: [(id: UUID, name: String, email: String)]
        var experts: [UUID: String]
        var dispatches: [(business: Int, expert: UUID, schedule: DispatchSchedule)]
        var dispatchIDs: [UUID] = []
    }

    static let firstDay = CivilDate(year: 2026, month: 4, day: 1)!
    static let words = ["さくら", "ミドリ", "あおば", "ひまわり", "富士", "大和", "東海", "北斗", "若葉", "朝日", "高砂", "みなと"]
    static let trades = ["製作所", "建設", "製菓", "精機", "農園", "商店", "工業", "食品", "電機", "印刷"]
    static let forms = ["株式会社", "有限会社", "合同会社", ""]
    static let familyNames = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤"]
    static let givenNames = ["一郎", "花子", "次郎", "恵子", "健", "真理", "誠", "裕子"]

    public static func seed(businesses: Int, dispatches: Int, on db: Database) async throws -> Seeded {
        var random = SplitMix(seed: 20_191_021)
        let institutionCount = max(1, businesses / 100), expertCount = max(1, businesses / 10)
        let institutions = (0..<institutionCount).map { n -> InstitutionModel in
            let model = InstitutionModel()
            model.id = UUID()
            model.name = "\(words[n % words.count])商工会\(n)"
            model.kind = "commerce"
            model.email = "shien\(n)@example.or.jp"
            model.emailKey = model.email
            return model
        }
        let experts = (0..<expertCount).map { n -> ExpertModel in
            let model = ExpertModel()
            model.id = UUID()
            model.name = "\(familyNames[n % familyNames.count])\(givenNames[(n / familyNames.count) % givenNames.count])\(n)"
            model.email = "expert\(n)@example.net"
            model.emailKey = model.email
            return model
        }
        let businessModels = (0..<businesses).map { n -> BusinessModel in
            let model = BusinessModel()
            model.id = UUID()
            model.name = "\(forms[n % forms.count])\(words[(n / 4) % words.count])\(trades[(n / 48) % trades.count])\(n)"
            model.contactName = familyNames[n % familyNames.count]
            model.email = "info\(n)@example.co.jp"
            model.emailKey = model.email
            return model
        }
        try await insert(institutions, on: db)
        try await insert(experts, on: db)
        try await insert(businessModels, on: db)

        var planned: [(business: Int, expert: UUID, schedule: DispatchSchedule)] = []
        var dispatchModels: [DispatchModel] = []
        planned.reserveCapacity(dispatches)
        for n in 0..<dispatches {
            let business = n % businesses
            let expert = experts[Int(random.next() % UInt64(expertCount))].id!
            var date = firstDay.adding(days: Int(random.next() % 330))
            while !BusinessCalendar.isBusinessDay(date) { date = date.adding(days: 1) }
            let start = TimeOfDay(hour: 9 + Int(random.next() % 7), minute: [0, 15, 30, 45][Int(random.next() % 4)])!
            let end = TimeOfDay(hour: start.hour + 2, minute: start.minute)!
            let schedule = DispatchSchedule(date: date, start: start, end: end, place: "事業所")
            planned.append((business, expert, schedule))
            let model = DispatchModel(businessID: businessModels[business].id!, expertID: expert,
                                      institutionID: institutions[business % institutionCount].id!, schedule: schedule)
            model.id = UUID()
            dispatchModels.append(model)
        }
        try await insert(dispatchModels, on: db)
        return Seeded(businesses: businessModels.map { ($0.id!, $0.name, $0.email) },
                      experts: Dictionary(uniqueKeysWithValues: experts.map { ($0.id!, $0.name) }),
                      dispatches: planned, dispatchIDs: dispatchModels.compactMap(\.id))
    }

    /// Queues `count` report mails the way intake does (raw bytes in the row, a
    /// queued row): a start and an end report for each of the first `count / 2` dispatches,
    /// half in ISO-2022-JP and half in UTF-8, received within the ±20 minutes.
    public static func queueReports(_ count: Int, seeded: Seeded, secretariat: String, on db: Database) async throws -> Int {
        var random = SplitMix(seed: 8_21)
        var rows: [InboundMailModel] = []
        for n in 0..<count {
            let planned = seeded.dispatches[(n / 2) % seeded.dispatches.count]
            let business = seeded.businesses[planned.business]
            let time = n % 2 == 0 ? planned.schedule.start : planned.schedule.end
            let subject = "\(business.name)/\(seeded.experts[planned.expert]!)/\(planned.schedule.date.month)月\(planned.schedule.date.day)日 \(time.hhmm)"
            let received = TokyoClock.secondsSince1970(LocalDateTime(date: planned.schedule.date, time: time))
                + Double(Int(random.next() % 1_200)) - 600
            let message = OutgoingMessage(from: business.email, to: secretariat, subject: subject,
                                          body: n % 2 == 0 ? "支援を開始しました。" : "支援が終了しました。",
                                          inReplyTo: nil, messageID: "<bench-\(n)@example.co.jp>",
                                          date: Date(timeIntervalSince1970: received), charset: n % 4 < 2 ? .iso2022jp : .utf8)
            // The builder writes our own mail, which says it is automatic (auto-replied, or
            // auto-generated without In-Reply-To); a phone's report does not. Left in, every
            // benchmark mail was set aside as machine mail and nothing was matched.
            var rendered = message.rendered
            for kind in ["auto-replied", "auto-generated"] {
                rendered = rendered.replacingOccurrences(of: "Auto-Submitted: \(kind)\r\nX-Auto-Response-Suppress: All\r\n", with: "")
            }
            let raw = Array(rendered.utf8)
            // Kept in the row, as intake keeps a report (MailIntake.inlineLimit).
            let row = InboundMailModel()
            row.id = UUID()
            row.messageID = message.messageID
            row.contentHash = SHA256.hash(data: raw).hexString
            row.rawPath = ""
            row.raw = Data(raw)
            row.size = raw.count
            row.envelopeFrom = business.email
            row.envelopeTo = secretariat
            row.receivedAt = Date(timeIntervalSince1970: received)
            row.source = "smtp"
            row.status = InboundMailModel.Status.queued.rawValue
            row.fromAddress = business.email
            row.subject = subject
            rows.append(row)
        }
        try await insert(rows, on: db)
        return rows.count
    }

    /// Many rows per INSERT, in one transaction: seeding is not what is measured.
    static func insert<M: Model>(_ models: [M], on db: Database) async throws {
        try await db.transaction { tx in
            var start = 0
            while start < models.count {
                let end = min(models.count, start + 500)
                try await Array(models[start..<end]).create(on: tx)
                start = end
            }
        }
    }
}

/// A small deterministic generator (SplitMix64), so every run seeds the same data.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
