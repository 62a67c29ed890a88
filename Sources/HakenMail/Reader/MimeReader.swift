import Crypto
import HakenCore
#if canImport(Glibc)
import Glibc
#endif

/// Reads a whole message: headers, the MIME tree (multipart nested at any depth,
/// message/rfc822 kept as one attachment), transfer encodings and charsets. Works on the
/// message's bytes in place; each attachment is decoded once, hashed as it goes and, if a
/// sink is given, handed over in chunks (to the blob store) without a second copy.
public enum MailReader {
    /// Nesting deeper than this is treated as a leaf (and reported): real mail never needs it.
    public static let maximumDepth = 40

    /// Receives each attachment's decoded bytes in chunks, with its index and declared type.
    public typealias AttachmentSink = (_ index: Int, _ contentType: String, _ chunk: UnsafeBufferPointer<UInt8>) -> Void

    public static func read(_ bytes: [UInt8], attachmentSink: AttachmentSink? = nil) -> MailMessage {
        bytes.withUnsafeBufferPointer { read($0, attachmentSink: attachmentSink) }
    }

    public static func read(_ buffer: UnsafeBufferPointer<UInt8>, attachmentSink: AttachmentSink? = nil) -> MailMessage {
        var walker = Walker(bytes: buffer, sink: attachmentSink)
        let top = HeaderParser.parse(buffer, range: 0..<buffer.count)
        walker.problems += top.problems
        if let base = buffer.baseAddress, memchr(base, 0, buffer.count) != nil { appendOnce(&walker.problems, "nul-byte") }
        walker.walk(headers: top.headers, body: top.bodyStart..<buffer.count, depth: 0, defaultType: "text/plain")

        let headers = top.headers
        var problems = walker.problems
        let subject: String? = headers.text("subject").map { raw in
            let decoded = EncodedWords.decode(raw)
            for problem in decoded.problems { appendOnce(&problems, problem) }
            return decoded.text.trimmingCharacters(in: " \t")
        }
        let from = headers.text("from").flatMap { AddressParser.addresses($0).first }
        if from == nil { appendOnce(&problems, "missing-from") }
        let to = headers.all("to").flatMap { AddressParser.addresses(HeaderText.raw($0.value)) }
        var date: MailDate.Parsed?
        if let text = headers.text("date") {
            date = MailDate.parse(text)
            if date == nil { appendOnce(&problems, "invalid-date") }
        }
        let reading = subject.map(ReportSubjectReader.read) ?? .problem(.missingSubject)
        if case .problem(let problem) = reading { appendOnce(&problems, problem.rawValue) }
        return MailMessage(
            headers: headers,
            messageID: headers.text("message-id").flatMap(messageID),
            from: from,
            to: to,
            subject: subject,
            date: date,
            autoSubmitted: MachineMail.isAutomatic(headers: headers, from: from, topType: walker.topType),
            subjectReading: reading,
            attachments: walker.attachments,
            textBody: walker.textBody,
            problems: problems
        )
    }

    /// The first `<…>` of a Message-ID field, white space removed; a bare id is bracketed.
    static func messageID(_ raw: String) -> String? {
        let text = StructuredText.removingWhitespace(StructuredText.stripComments(Array(raw.utf8)[...]))
        guard !text.isEmpty else { return nil }
        if let open = text.firstIndex(of: UInt8(ascii: "<")) {
            let rest = text[open...]
            if let close = rest.firstIndex(of: UInt8(ascii: ">")) { return StructuredText.string(rest[...close]) }
            return StructuredText.string(rest) + ">"
        }
        return "<\(StructuredText.string(text))>"
    }

    struct Walker {
        let bytes: UnsafeBufferPointer<UInt8>
        let sink: AttachmentSink?
        var attachments: [MailAttachment] = []
        var problems: [String] = []
        var textBody: String?
        var topType: String?

        mutating func walk(headers: HeaderBlock, body: Range<Int>, depth: Int, defaultType: String) {
            var contentType = headers.text("content-type").map(HeaderParameters.parse)
            if let problems = contentType?.problems { for problem in problems { appendOnce(&self.problems, problem) } }
            let type = contentType?.mimeType ?? defaultType
            if topType == nil { topType = type }
            if type.hasPrefix("multipart/") {
                guard let boundary = contentType?["boundary"], !boundary.isEmpty else {
                    appendOnce(&problems, "multipart-without-boundary")
                    contentType = nil
                    leaf(headers: headers, type: "text/plain", contentType: nil, body: body)
                    return
                }
                guard depth < MailReader.maximumDepth else {
                    appendOnce(&problems, "nesting-too-deep")
                    return
                }
                let childDefault = type == "multipart/digest" ? "message/rfc822" : "text/plain"
                for part in splitMultipart(body, boundary: Array(boundary.utf8)) {
                    let parsed = HeaderParser.parse(bytes, range: part)
                    for problem in parsed.problems { appendOnce(&problems, problem) }
                    walk(headers: parsed.headers, body: parsed.bodyStart..<part.upperBound, depth: depth + 1, defaultType: childDefault)
                }
                return
            }
            leaf(headers: headers, type: type, contentType: contentType, body: body)
        }

        /// One leaf part: an attachment (see `isAttachment`), or body text.
        mutating func leaf(headers: HeaderBlock, type: String, contentType: HeaderParameters?, body: Range<Int>) {
            let disposition = headers.text("content-disposition").map(HeaderParameters.parse)
            let filename = disposition?["filename"] ?? contentType?["name"]
            let encoding = headers.text("content-transfer-encoding").map { StructuredText.lowercased(StructuredText.trimmed(Array($0.utf8)[...], " \t\"")) } ?? "7bit"
            let isAttachment = disposition?.value == "attachment" || filename != nil || type == "message/rfc822"
                || ["image/", "application/", "audio/", "video/"].contains(where: type.hasPrefix)
            if isAttachment {
                let index = attachments.count
                var hasher = SHA256()
                var size = 0
                let sink = self.sink
                let known = decode(body, encoding: encoding) { chunk in
                    hasher.update(bufferPointer: UnsafeRawBufferPointer(chunk))
                    size += chunk.count
                    sink?(index, type, chunk)
                }
                if !known { appendOnce(&problems, "unknown-transfer-encoding") }
                let digest = hasher.finalize().hexString
                attachments.append(MailAttachment(filename: filename, contentType: type, size: size, sha256: digest))
            } else if textBody == nil && type == "text/plain" {
                var decodedBytes: [UInt8] = []
                if !decode(body, encoding: encoding, into: { decodedBytes.append(contentsOf: $0) }) {
                    appendOnce(&problems, "unknown-transfer-encoding")
                }
                let decoded = Charsets.decode(decodedBytes, charset: contentType?["charset"])
                if let problem = decoded.problem { appendOnce(&problems, problem) }
                textBody = decoded.text
            }
        }

        /// Undoes the Content-Transfer-Encoding into `output`, in chunks. False for an
        /// encoding it does not know (the bytes are then passed on as they are).
        func decode(_ range: Range<Int>, encoding: String, into output: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
            let slice = UnsafeBufferPointer(rebasing: bytes[range])
            switch encoding {
            case "base64":
                Base64.decode(slice, into: output)
            case "quoted-printable":
                QuotedPrintable.decode(slice).withUnsafeBufferPointer(output)
            case "7bit", "8bit", "binary", "":
                if !slice.isEmpty { output(slice) }
            default:
                if !slice.isEmpty { output(slice) }
                return false
            }
            return true
        }

        /// The body ranges of a multipart's parts. The line end before a delimiter belongs
        /// to the delimiter (RFC 2046 §5.1.1).
        mutating func splitMultipart(_ body: Range<Int>, boundary: [UInt8]) -> [Range<Int>] {
            var parts: [Range<Int>] = []
            var partStart: Int?
            var closed = false
            var lineStart = body.lowerBound
            let end = body.upperBound
            let dash = UInt8(ascii: "-")
            let marker = [dash, dash] + boundary
            guard let base = bytes.baseAddress else { return [] }
            while lineStart < end {
                // Straight to the next line that starts with `--boundary`: a 25 MB attachment
                // is a third of a million lines, and base64 has no `-` for memchr to stop at.
                guard let found = memchr(base + lineStart, Int32(dash), end - lineStart) else { break }
                let hit = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                let atLineStart = hit == body.lowerBound || bytes[hit - 1] == 0x0A
                guard atLineStart, hit + marker.count <= end, memcmp(base + hit, marker, marker.count) == 0 else {
                    lineStart = hit + 1
                    continue
                }
                lineStart = hit
                let lineEnd = memchr(base + lineStart, 0x0A, end - lineStart).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? end
                let next = min(end, lineEnd + 1)
                if lineEnd - lineStart >= boundary.count + 2 {
                    var after = lineStart + 2 + boundary.count
                    let isClose = after + 1 < lineEnd && bytes[after] == dash && bytes[after + 1] == dash
                    if isClose { after += 2 }
                    let rest = after..<lineEnd
                    if rest.allSatisfy({ bytes[$0] == 0x20 || bytes[$0] == 0x09 || bytes[$0] == 0x0D }) {
                        if let start = partStart {
                            var partEnd = lineStart
                            if partEnd > start && bytes[partEnd - 1] == 0x0A { partEnd -= 1 }
                            if partEnd > start && bytes[partEnd - 1] == 0x0D { partEnd -= 1 }
                            parts.append(start..<max(start, partEnd))
                        }
                        if isClose {
                            closed = true
                            break
                        }
                        partStart = next
                    }
                }
                lineStart = next
            }
            if !closed {
                if let start = partStart {
                    parts.append(start..<end)
                    appendOnce(&problems, "missing-closing-boundary")
                } else {
                    appendOnce(&problems, "multipart-without-parts")
                }
            }
            return parts
        }
    }
}
