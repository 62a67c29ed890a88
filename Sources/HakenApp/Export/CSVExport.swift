import CSV
import Foundation
import HakenCore
import HakenMail
import Vapor

/// Every list as a CSV that Japanese Excel opens correctly (#11): UTF-8 with a BOM by default,
/// CP932 (`?encoding=cp932`) for older Excel; RFC 4180 quoting and CRLF by CSV.swift's writer.
/// A cell that Excel would run as a formula (=, +, -, @ first) is prefixed with ' (CSV
/// injection: a mail subject is written by strangers).
enum CSVExport {
    enum Encoding: String {
        case utf8 = "utf-8"
        case cp932
    }

    /// More rows than this are refused with a request to narrow the list (a download must be whole).
    static let maxRows = 100_000

    static func encoding(_ req: Request) throws -> Encoding {
        guard let text = req.query[String.self, at: "encoding"], !text.isEmpty else { return .utf8 }
        guard let encoding = Encoding(rawValue: text.lowercased()) else {
            throw APIError.field("encoding", code: "invalid_choice", message: "encoding は utf-8 か cp932 で指定してください。", status: .badRequest)
        }
        return encoding
    }

    static func tooMany(_ count: Int) -> APIError {
        APIError(.unprocessableEntity, code: "too_many_rows",
                 reason: "\(count)件あり、一度に書き出せる\(maxRows)件を超えています。日付などで絞り込んでから書き出してください。")
    }

    // Dates as Japanese Excel reads them (#13): 2019/08/21 and 2019/08/21 10:30, with 和暦
    // beside them where an office's form expects it. A stored value that does not read as a
    // date stays as it is (nothing is dropped from a download).

    /// `2019-08-21` → `2019/08/21`.
    static func day(_ iso: String) -> String {
        CivilDate(iso: iso).map(JapaneseDateFormat.slashed) ?? iso
    }

    /// `2019-08-21` → `令和元年8月21日`.
    static func eraDay(_ iso: String) -> String {
        CivilDate(iso: iso).flatMap(JapaneseEra.format) ?? iso
    }

    /// An instant in Tokyo as `2019/08/21 10:30`; nothing for nil.
    static func moment(_ date: Date?) -> String {
        date.map { JapaneseDateFormat.slashed(TokyoClock.local(secondsSince1970: $0.timeIntervalSince1970)) } ?? ""
    }

    static func safe(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return cell }
        return "'" + cell
    }

    static func text(header: [String], rows: [[String]]) throws -> String {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream, newline: .crlf)
        try writer.write(row: header)
        for row in rows {
            writer.beginNewRow()
            try writer.write(row: row.map(safe))
        }
        writer.stream.close()
        guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else { return "" }
        return String(decoding: data, as: UTF8.self) + "\r\n"
    }

    /// The download: `name` is the file's Japanese name (RFC 6266 filename*), `ascii` its fallback.
    static func response(_ req: Request, name: String, ascii: String, header: [String], rows: [[String]]) throws -> Response {
        let encoding = try encoding(req)
        let csv = try text(header: header, rows: rows)
        let bytes: [UInt8]
        let charset: String
        switch encoding {
        case .utf8:
            bytes = [0xEF, 0xBB, 0xBF] + Array(csv.utf8)
            charset = "utf-8"
        case .cp932:
            bytes = CP932.encode(csv).bytes
            charset = "Shift_JIS"
        }
        let response = Response(status: .ok, body: .init(data: Data(bytes)))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": charset])
        response.headers.setFileName(name, ascii: ascii, extension: "csv", inline: false)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
