import HakenCore

extension MailMessage {
    /// The object `hakendesk mail inspect` prints. `receivedAt` (seconds since 1970) places
    /// the report's month and day in a year (DEC-3); without it the message's Date is used.
    public func inspectJSON(receivedAt: Double? = nil) -> JSONText {
        var pairs: [(String, JSONText)] = [
            ("messageId", .optional(messageID)),
            ("from", .optional(from)),
            ("to", .array(to.map(JSONText.string))),
            ("subject", .optional(subject)),
            ("date", .optional(date?.iso8601)),
            ("autoSubmitted", .bool(autoSubmitted)),
        ]
        if let report {
            var fields: [(String, JSONText)] = [
                ("kind", .string(report.kind.rawValue)),
                ("business", .string(report.business)),
                ("expert", .string(report.expert)),
                ("month", .int(report.month)),
                ("day", .int(report.day)),
            ]
            if let end = report.end {
                fields += [("start", .string(report.time.hhmm)), ("end", .string(end.hhmm))]
            } else {
                fields.append(("time", .string(report.time.hhmm)))
            }
            let reference = receivedAt ?? date.map { Double($0.secondsSince1970) }
            if let reference,
               let inferred = ReportTiming.inferDate(month: report.month, day: report.day,
                                                     receivedOn: TokyoClock.local(secondsSince1970: reference).date) {
                fields.append(("date", .string(inferred.iso)))
            }
            pairs.append(("report", .object(fields)))
        } else {
            pairs.append(("report", .null))
        }
        pairs.append(("attachments", .array(attachments.map { attachment in
            .object([
                ("filename", .optional(attachment.filename)),
                ("contentType", .string(attachment.contentType)),
                ("size", .int(attachment.size)),
                ("sha256", .string(attachment.sha256)),
            ])
        })))
        pairs.append(("problems", .array(problems.map(JSONText.string))))
        return .object(pairs)
    }
}
