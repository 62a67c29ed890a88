import HakenCore
import HakenMail
import HakenStore
import Vapor

/// A file a form uploaded (the consultation photo, a consent scan), checked by its content,
/// never by its name or its declared type, and kept in memory until the form's other checks
/// pass; `store` then writes it to the blob store under the suffix its content shows.
struct UploadedFile {
    let bytes: [UInt8]
    /// `.jpg`, `.png`, `.heic` or `.pdf`.
    let suffix: String

    static let maxBytes = 10 * 1024 * 1024

    /// What the form says when the file is missing, too large or of the wrong kind.
    struct Wording {
        var missing: String
        var tooLarge: String
        var wrongKind: String
    }

    /// The form's file field, or the field's error.
    static func read(_ req: Request, field: String, acceptPDF: Bool, wording: Wording) -> Result<UploadedFile, FieldError> {
        guard let file = try? req.content.get(File.self, at: field), file.data.readableBytes > 0 else {
            return .failure(FieldError(field: field, code: "required", message: wording.missing))
        }
        let bytes = Array(file.data.readableBytesView)
        guard bytes.count <= maxBytes else { return .failure(FieldError(field: field, code: "too_large", message: wording.tooLarge)) }
        if acceptPDF && bytes.starts(with: Array("%PDF-".utf8)) { return .success(UploadedFile(bytes: bytes, suffix: ".pdf")) }
        guard let format = ImageFormat.sniff(Array(bytes.prefix(ImageFormat.sniffLength))), [.jpeg, .png, .heic].contains(format) else {
            return .failure(FieldError(field: field, code: "not_an_image", message: wording.wrongKind))
        }
        return .success(UploadedFile(bytes: bytes, suffix: format.suffix))
    }

    func store(kind: String, req: Request) throws -> BlobStore.Stored {
        let blobs = BlobStore(root: req.application.haken.configuration.store.blobDirectory)
        return try bytes.withUnsafeBytes { try blobs.put($0, kind: kind, suffix: suffix) }
    }
}

extension Request {
    /// Institution staff, or the secretariat acting for an institution's pages.
    func institutionStaff() throws -> Principal {
        let principal = try signedIn()
        guard principal.role == .institution || principal.isSecretariat else { throw APIError.forbidden }
        return principal
    }
}
