import Foundation
import HakenCore
import HakenImage
import HakenMail
import HakenStore

/// Reads one stored mail for processing (no database involved): the raw bytes from its row
/// or the blob store, the whole MIME tree, and every picture streamed into the blob store as
/// it is decoded. A picture is known by its first bytes, never by its declared type or name;
/// a part that is not what it says, or cannot be stored, is set aside with a reason and the
/// rest of the mail still counts.
struct MailReading: Sendable {
    var message: MailMessage
    var attachments: [MailFacts.Attachment]
    /// #12: who really sent it (`SenderCheck`), when sender checks are configured.
    var authentication: SenderAuthentication?
    /// #12: what each stored picture's bytes say (EXIF, hashes), by its file in the blob store.
    var photos: [String: PhotoFacts] = [:]

    static func read(_ row: QueuedMail, blobs: BlobStore) throws -> MailReading {
        let raw = try row.raw.map { [UInt8]($0) } ?? blobs.read(row.rawPath)
        var parts: [Int: PictureWriter] = [:]
        let message = MailReader.read(raw) { index, type, chunk in
            guard type.hasPrefix("image/") else { return }
            let writer = parts[index] ?? PictureWriter(blobs: blobs)
            parts[index] = writer
            writer.append(chunk)
        }
        var attachments: [MailFacts.Attachment] = []
        for (index, attachment) in message.attachments.enumerated() {
            let name = attachment.filename
            if let picture = parts[index] {
                attachments.append(MailFacts.Attachment(filename: name, kind: picture.finish(declared: attachment.contentType, name: name)))
            } else if attachment.contentType == "application/pdf" || (name?.lowercased().hasSuffix(".pdf") ?? false) {
                attachments.append(MailFacts.Attachment(filename: name, kind: .pdf))
            } else {
                attachments.append(MailFacts.Attachment(filename: name, kind: .other))
            }
        }
        var photos: [String: PhotoFacts] = [:]
        for attachment in attachments {
            // Read back from the blob store: the picture streamed there while the mail was decoded.
            if case .photo(let file) = attachment.kind, let bytes = try? blobs.read(file) { photos[file] = PhotoInspector.facts(bytes) }
        }
        return MailReading(message: message, attachments: attachments, photos: photos)
    }

    /// One picture part: the first bytes are held until they tell what it is, then the
    /// writer is opened with the right suffix and the rest streams through.
    final class PictureWriter {
        let blobs: BlobStore
        var head: [UInt8] = []
        var format: ImageFormat?
        var writer: BlobStore.Writer?
        var failure: String?

        init(blobs: BlobStore) { self.blobs = blobs }

        func append(_ chunk: UnsafeBufferPointer<UInt8>) {
            guard failure == nil else { return }
            if let writer {
                writer.append(chunk)
                return
            }
            head.append(contentsOf: chunk)
            if head.count >= ImageFormat.sniffLength { open() }
        }

        private func open() {
            guard let format = ImageFormat.sniff(head) else {
                failure = "notAPicture"
                head = []
                return
            }
            self.format = format
            do {
                let writer = try blobs.writer(kind: "files", suffix: format.suffix)
                head.withUnsafeBufferPointer { writer.append($0) }
                self.writer = writer
                head = []
            } catch {
                failure = "storage"
            }
        }

        func finish(declared: String, name: String?) -> MailFacts.Attachment.Kind {
            if writer == nil && failure == nil { open() }   // a picture shorter than the sniffing length
            let label = name.map { "「\($0)」" } ?? "（名前なし）"
            if failure == "notAPicture" || writer == nil && failure == nil {
                let shown = declared.count > 40 ? String(declared.prefix(40)) + "…" : declared
                return .setAside(reason: "添付ファイル\(label)は画像として読み取れないため使用しません（宣言された形式: \(shown)）")
            }
            guard let writer, failure == nil else {
                return .setAside(reason: "添付ファイル\(label)を保存できなかったため、事務局で確認します")
            }
            do {
                return .photo(file: try writer.finish().path)
            } catch {
                return .setAside(reason: "添付ファイル\(label)を保存できなかったため、事務局で確認します")
            }
        }
    }
}
