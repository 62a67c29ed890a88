/// #12 with DEC-2: what a dispatch's reports say against each other. Each finding is recorded
/// once on its dispatch, listed in the secretariat's queue (照合の食い違い) and shown with the
/// dispatch's evidence until a person resolves it. A finding never changes the evidence by itself:
/// it tells a person where to look.
public enum CrossCheck {
    public enum Kind: String, CaseIterable, Sendable, Codable {
        /// The expert's reported start or end differs from the mailed one by more than the setting.
        case expertTimes
        /// Start (or end) reports for one dispatch from more than one address.
        case severalReporters
        /// A time report or photo naming a dispatch that was cancelled.
        case afterCancellation
        /// AFT-3: the business tried to certify before any photo had arrived.
        case certificationBeforePhoto
        /// #12: the photo's EXIF time is another day, or outside the support's hours (`PhotoChecks.timing`).
        case photoTaken
        /// #12: the photo is (nearly) the same as a photo of another dispatch or consultation (`PhotoChecks.reuse`).
        case photoReused

        public var japaneseName: String {
            switch self {
            case .expertTimes: return "専門家の報告時刻と報告メールの時刻の差"
            case .severalReporters: return "複数のアドレスからの時刻報告"
            case .afterCancellation: return "取り消された派遣への報告"
            case .certificationBeforePhoto: return "写真より前の従事証明の入力"
            case .photoTaken: return "写真の撮影日時"
            case .photoReused: return "写真の使い回し"
            }
        }
    }

    public struct Finding: Equatable, Sendable {
        public var kind: Kind
        /// For people: what differs, with the times or addresses.
        public var reason: String
        /// What makes two findings the same one (recorded once): the kind and what it is about.
        public var key: String

        public init(kind: Kind, reason: String, key: String) {
            self.kind = kind
            self.reason = reason
            self.key = key
        }
    }

    /// The largest gap between the expert's and the mailed times that is not a discrepancy
    /// (minutes; `HAKEN_TIME_GAP_MINUTES`). The same 20 minutes the reports themselves get (DAY-1).
    public static let defaultToleranceMinutes = 20

    /// What the mailed reports and the expert's report say of one dispatch.
    public struct Facts: Equatable, Sendable {
        /// DEC-1: when the start and end reports counted as received, on the dispatch's day.
        public var mailedStart: LocalDateTime?
        public var mailedEnd: LocalDateTime?
        /// AFT-2: the expert's actual times (on the dispatch's day).
        public var expertStart: TimeOfDay?
        public var expertEnd: TimeOfDay?
        /// The sender addresses of the mails recorded as start and as end reports.
        public var startSenders: [String]
        public var endSenders: [String]

        public init(mailedStart: LocalDateTime? = nil, mailedEnd: LocalDateTime? = nil, expertStart: TimeOfDay? = nil,
                    expertEnd: TimeOfDay? = nil, startSenders: [String] = [], endSenders: [String] = []) {
            self.mailedStart = mailedStart
            self.mailedEnd = mailedEnd
            self.expertStart = expertStart
            self.expertEnd = expertEnd
            self.startSenders = startSenders
            self.endSenders = endSenders
        }
    }

    /// The findings a dispatch's facts give now (the caller records those not yet recorded).
    public static func findings(_ facts: Facts, day: CivilDate, toleranceMinutes: Int = defaultToleranceMinutes) -> [Finding] {
        var found: [Finding] = []
        let tolerance = max(0, toleranceMinutes)
        for (label, mailed, expert) in [("開始", facts.mailedStart, facts.expertStart), ("終了", facts.mailedEnd, facts.expertEnd)] {
            guard let mailed, let expert else { continue }
            // A report mailed on another day than the dispatch is compared across midnight.
            let dayOffset = mailed.date - day
            guard abs(dayOffset) <= 1 else {
                found.append(Finding(kind: .expertTimes, reason: "\(label)の報告メールが支援日と別の日（\(JapaneseDateFormat.monthDayWeekday(mailed.date))）に届いています。",
                                     key: "expertTimes:\(label)"))
                continue
            }
            let mailedMinutes = dayOffset * 24 * 60 + mailed.time.minutesSinceMidnight
            let gap = abs(mailedMinutes - expert.minutesSinceMidnight)
            if gap > tolerance {
                found.append(Finding(kind: .expertTimes,
                                     reason: "\(label)時刻: 専門家の報告は \(expert.hhmm)、\(label)報告メールは \(mailed.time.hhmm)（差 \(gap)分、許容 \(tolerance)分）。",
                                     key: "expertTimes:\(label)"))
            }
        }
        for (label, senders) in [("開始", facts.startSenders), ("終了", facts.endSenders)] {
            var distinct: [String] = []
            for sender in senders.map({ $0.lowercased() }) where !distinct.contains(sender) { distinct.append(sender) }
            if distinct.count > 1 {
                found.append(Finding(kind: .severalReporters,
                                     reason: "\(label)報告が複数のアドレスから届いています: \(distinct.joined(separator: "、"))。",
                                     key: "severalReporters:\(label):\(distinct.sorted().joined(separator: ","))"))
            }
        }
        return found
    }

    /// A report or photo that names a cancelled dispatch (the mail is kept and attached to it,
    /// nothing is recorded as evidence). Its key is made the mail's when it is recorded.
    public static func afterCancellation(what: String) -> Finding {
        Finding(kind: .afterCancellation, reason: "取り消された派遣に\(what)が届きました。", key: "afterCancellation")
    }

    /// AFT-3: the business opened the certification before the photo (refused; recorded once per link).
    public static func certificationBeforePhoto(attempt: String) -> Finding {
        Finding(kind: .certificationBeforePhoto, reason: "支援状況写真が届く前に、事業者が従事証明を入力しようとしました（入力は受け付けていません）。",
                key: "certificationBeforePhoto:\(attempt)")
    }
}
