import Foundation
import HakenCore
import HakenMail
import HakenStore

/// A stored mail read again for the secretariat (#11): every header decoded, the text body,
/// the attachments with what their bytes are (never what they claim), one attachment's bytes.
struct ReceivedMailView: Sendable {
    struct Header: Codable, Sendable {
        var name: String
        var value: String
    }

    struct Attachment: Codable, Sendable {
        var index: Int
        var filename: String?
        var declaredType: String
        var size: Int
        var sha256: String
        /// Sniffed from the bytes: `jpeg`, `png`, `heic`, … or nil when it is not a picture.
        var picture: String?
        var pdf: Bool
    }

    var headers: [Header]
    var text: String?
    var attachments: [Attachment]
    var subjectReading: SubjectReading

    static func read(_ raw: [UInt8]) -> ReceivedMailView {
        var heads: [Int: [UInt8]] = [:]
        let message = MailReader.read(raw) { index, _, chunk in
            let have = heads[index]?.count ?? 0
            guard have < ImageFormat.sniffLength else { return }
            heads[index, default: []].append(contentsOf: chunk.prefix(ImageFormat.sniffLength - have))
        }
        let attachments = message.attachments.enumerated().map { index, attachment in
            let head = heads[index] ?? []
            return Attachment(index: index, filename: attachment.filename, declaredType: attachment.contentType, size: attachment.size,
                              sha256: attachment.sha256, picture: ImageFormat.sniff(head)?.rawValue,
                              pdf: head.starts(with: Array("%PDF".utf8)))
        }
        return ReceivedMailView(headers: message.headers.fields.map { Header(name: $0.name, value: $0.displayText) },
                                text: message.textBody, attachments: attachments, subjectReading: message.subjectReading)
    }

    /// The decoded bytes of attachment `index`, or nil.
    static func attachmentBytes(_ raw: [UInt8], index wanted: Int) -> [UInt8]? {
        var bytes: [UInt8] = []
        let message = MailReader.read(raw) { index, _, chunk in
            if index == wanted { bytes.append(contentsOf: chunk) }
        }
        guard message.attachments.indices.contains(wanted) else { return nil }
        return bytes
    }

    /// The first attachment that is a picture by its bytes, stored in the blob store (DEC-8:
    /// a photo assigned by hand is kept like one matched on arrival).
    static func storeFirstPicture(_ raw: [UInt8], blobs: BlobStore) throws -> String? {
        let view = read(raw)
        guard let picture = view.attachments.first(where: { $0.picture != nil }), let format = picture.picture.flatMap(ImageFormat.init(rawValue:)),
              let bytes = attachmentBytes(raw, index: picture.index) else { return nil }
        return try blobs.put(bytes, kind: "files", suffix: format.suffix).path
    }
}
