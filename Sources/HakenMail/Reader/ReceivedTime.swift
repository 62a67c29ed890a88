/// DEC-1: when our own trusted MTA received a message, from the `Received` field it wrote
/// (`Received: from … by HOST …; <date>`). The topmost fields are the newest; the first one
/// written `by` the trusted host is our MTA's. Fields above it could be forged by nobody
/// (our MTA adds its own on top), fields below it by anyone: only that one is read.
public enum ReceivedTime {
    /// Seconds since 1970, or nil when no field of the trusted host carries a readable date.
    public static func byTrustedMTA(_ headers: HeaderBlock, host: String) -> Int? {
        let wanted = host.asciiLowercased
        for field in headers.all("received") {
            let text = HeaderText.raw(field.value)
            guard let semicolon = text.lastIndex(of: ";") else { continue }
            let clauses = text[..<semicolon].split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
            guard let by = clauses.firstIndex(where: { String($0).asciiLowercased == "by" }), by + 1 < clauses.count,
                  String(clauses[by + 1]).asciiLowercased == wanted else { continue }
            return MailDate.parse(String(text[text.index(after: semicolon)...]))?.secondsSince1970
        }
        return nil
    }
}
