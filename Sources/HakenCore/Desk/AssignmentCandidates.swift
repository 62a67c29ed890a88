import Foundation

/// DEC-8: the dispatches an unmatched mail is most likely about, best first, each with the
/// reasons a person can check at a glance. Pure: the shell loads the dispatches of the days
/// around the mail (and the sender's business, if the address is known).
public enum AssignmentCandidates {
    public struct Ranked: Equatable, Sendable {
        public var dispatch: CandidateDispatch
        public var score: Int
        public var reasons: [String]
    }

    public struct Mail: Sendable {
        public var received: LocalDateTime
        /// The subject as written (names are looked for in it even when it is not a report subject).
        public var subjectText: String
        public var report: ReportSubject?
        /// The business whose address (registered or mobile) sent it, if any.
        public var senderBusinessID: UUID?

        public init(received: LocalDateTime, subjectText: String, report: ReportSubject?, senderBusinessID: UUID?) {
            self.received = received
            self.subjectText = subjectText
            self.report = report
            self.senderBusinessID = senderBusinessID
        }
    }

    /// How many days around the receipt date (and the subject's date) the shell loads.
    public static let daysAround = 3
    public static let limit = 8

    /// The business counts most (its address, then its name: a business rarely has two
    /// dispatches a day), then the expert, then the dates.
    public static func rank(_ mail: Mail, among dispatches: [CandidateDispatch]) -> [Ranked] {
        let subject = NameMatcher.normalize(mail.subjectText)
        let written = mail.report.flatMap { ReportTiming.inferDate(month: $0.month, day: $0.day, receivedOn: mail.received.date) }
        let ranked = dispatches.map { dispatch -> Ranked in
            var score = 0
            var reasons: [String] = []
            if let id = mail.senderBusinessID, dispatch.business.id == id {
                score += 50
                reasons.append("差出人はこの事業者の登録アドレス")
            }
            let businessWritten = mail.report.map { NameMatcher.compare($0.business, dispatch.business.name) } ?? .different
            if businessWritten.matches {
                score += businessWritten == .exact ? 40 : 30
                reasons.append(businessWritten == .exact ? "件名の事業者名が一致" : "件名の事業者名が近い")
            } else if !subject.isEmpty, subject.contains(NameMatcher.normalize(dispatch.business.name)) {
                score += 30
                reasons.append("件名に事業者名を含む")
            }
            let expertWritten = mail.report.map { NameMatcher.compare($0.expert, dispatch.expertName) } ?? .different
            if expertWritten.matches {
                score += expertWritten == .exact ? 25 : 15
                reasons.append(expertWritten == .exact ? "件名の専門家名が一致" : "件名の専門家名が近い")
            } else if !subject.isEmpty, subject.contains(NameMatcher.normalize(dispatch.expertName)) {
                score += 15
                reasons.append("件名に専門家名を含む")
            }
            if let written, written == dispatch.schedule.date {
                score += 20
                reasons.append("件名の日付が支援日")
            }
            let daysFromReceipt = abs(mail.received.date - dispatch.schedule.date)
            if daysFromReceipt == 0 {
                score += 10
                reasons.append("受信日が支援日")
            } else {
                score += max(0, 6 - 2 * daysFromReceipt)
                reasons.append("支援日の\(daysFromReceipt)日\(mail.received.date > dispatch.schedule.date ? "後" : "前")に受信")
            }
            if let time = mail.report?.time {
                let distance = min(abs(dispatch.schedule.start.minutesSinceMidnight - time.minutesSinceMidnight),
                                   abs(dispatch.schedule.end.minutesSinceMidnight - time.minutesSinceMidnight))
                if distance <= 60 {
                    score += 10
                    reasons.append("件名の時刻が予定の\(distance)分以内")
                }
            }
            return Ranked(dispatch: dispatch, score: score, reasons: reasons)
        }
        return Array(ranked.sorted { $0.score != $1.score ? $0.score > $1.score : $0.dispatch.id.uuidString < $1.dispatch.id.uuidString }.prefix(limit))
    }
}
