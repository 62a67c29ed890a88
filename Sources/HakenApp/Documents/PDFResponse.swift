import Foundation
import HakenDocuments
import Vapor

/// A printed form as a response: drawn on the thread pool (never on the event loop), served
/// inline with a Japanese file name and kept out of every cache (the forms carry names).
enum PDFResponse {
    static func make(_ form: PrintedForm, fileName: String, req: Request) async throws -> Response {
        let bytes: [UInt8]
        do {
            bytes = try await req.application.threadPool.runIfActive { try PDFRenderer.render(form) }
        } catch let failure as PDFRenderer.Failure {
            req.logger.error("form \(form.reference): \(failure.description)")
            throw Abort(.internalServerError, reason: "書類を作成できませんでした。事務局にお問い合わせください。")
        }
        let response = Response(status: .ok, body: .init(data: Data(bytes)))
        response.headers.contentType = .pdf
        response.headers.setFileName(fileName, ascii: form.reference, extension: "pdf", inline: true)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
