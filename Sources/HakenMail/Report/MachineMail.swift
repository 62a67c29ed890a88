/// RFC 3834 and friends: mail sent by machines (auto-replies, bounces, lists) gets no
/// receipt, so two systems never answer each other in a loop (DEC-9).
public enum MachineMail {
    public static func isAutomatic(headers: HeaderBlock, from: String?, topType: String?) -> Bool {
        if let value = headers.text("auto-submitted") {
            let keyword = value.split(separator: ";").first.map { $0.trimmingCharacters(in: " \t").asciiLowercased } ?? ""
            if keyword != "no" { return true }
        }
        if topType == "multipart/report" { return true }
        if let precedence = headers.text("precedence")?.trimmingCharacters(in: " \t").asciiLowercased,
           ["bulk", "junk", "list"].contains(precedence) { return true }
        if headers.first("list-id") != nil || headers.first("list-unsubscribe") != nil || headers.first("x-autoreply") != nil {
            return true
        }
        if let returnPath = headers.text("return-path"),
           StructuredText.removingWhitespace(StructuredText.stripComments(Array(returnPath.utf8)[...])) == Array("<>".utf8) { return true }
        if let from, let at = from.lastIndex(of: "@") {
            let local = String(from[..<at]).asciiLowercased
            if local == "mailer-daemon" || local == "postmaster" { return true }
        }
        return false
    }
}
