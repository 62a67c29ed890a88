import HakenMail
#if canImport(Glibc)
import Glibc
#endif

// SwiftPM's own `main` hides libFuzzer's, so this one hands control to libFuzzer's driver
// with a C callback. The target is chosen by HAKEN_FUZZ_TARGET: mime, words or subject.

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

enum Target: String {
    case mime, words, subject
}

nonisolated(unsafe) var target = Target.mime

/// Reading must never crash, hang or blow up, whatever the bytes; the results must also
/// hold together (an attachment's size is what was decoded).
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    switch target {
    case .mime:
        var decoded = 0
        let message = MailReader.read(bytes) { _, _, chunk in decoded += chunk.count }
        let total = message.attachments.reduce(0) { $0 + $1.size }
        if total != decoded { fatalError("attachment sizes \(total) != decoded \(decoded)") }
        _ = message.inspectJSON(receivedAt: 1_566_351_000).rendered
    case .words:
        let text = String(decoding: bytes, as: UTF8.self)
        _ = EncodedWords.decode(text)
        _ = HeaderParameters.parse(text)
        _ = AddressParser.addresses(text)
        _ = MailDate.parse(text)
        for charset in ["ISO-2022-JP", "Shift_JIS", "EUC-JP", "UTF-8", "US-ASCII", "x-unknown"] {
            _ = Charsets.decode(bytes, charset: charset)
        }
    case .subject:
        let text = String(decoding: bytes, as: UTF8.self)
        if case .report(let report) = ReportSubjectReader.read(text) {
            if report.month < 1 || report.month > 12 || report.day < 1 || report.day > 31 { fatalError("impossible date read") }
        }
    }
    return 0
}

/// libFuzzer's archive refers to this symbol even though our `main` drives it.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 { fuzzOne(data, size) }

if let name = getenv("HAKEN_FUZZ_TARGET").map({ String(cString: $0) }), let chosen = Target(rawValue: name) {
    target = chosen
}
var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOne(data, size) })
