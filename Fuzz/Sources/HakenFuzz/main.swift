import Foundation
import HakenCore
import HakenImage
import HakenMail
#if canImport(Glibc)
import Glibc
#endif

// SwiftPM's own `main` hides libFuzzer's, so this one hands control to libFuzzer's driver
// with a C callback. The target is chosen by HAKEN_FUZZ_TARGET: mime, words, subject, api, auth or photo.

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

enum Target: String {
    case mime, words, subject, api, auth, photo
}

/// #12: what a sender can put in a mail, and what a DNS server can answer, read by the sender
/// checks: DKIM fields and keys, DMARC records, DNS messages, domains. Never a crash or a hang.
func fuzzAuth(_ bytes: UnsafeBufferPointer<UInt8>) {
    let raw = Array(bytes)
    let (fields, body) = DKIMCanonical.split(raw)
    for field in fields.prefix(8) {
        _ = DKIMCanonical.header(field.raw, relaxed: true)
        _ = DKIMCanonical.signatureField(field.raw, relaxed: true)
        _ = DKIMSignature.parse(field.raw)
    }
    _ = DKIMCanonical.body(body, relaxed: true)
    _ = DKIMCanonical.body(body, relaxed: false)
    let text = String(decoding: raw.prefix(4096), as: UTF8.self)
    _ = DKIMKey.parse(text)
    _ = DMARCPolicy.parse(text, domain: "example.jp")
    _ = PublicSuffixList(text: "jp\nco.jp\n*.kawasaki.jp\n!city.kawasaki.jp\n").organisationalDomain(text)
    _ = IPAddress(text)
    _ = DNSClient.Server(text)
    for type in [DNSWire.RecordType.txt, .a, .aaaa, .mx] {
        _ = try? DNSWire.parse(raw, id: raw.count >= 2 ? UInt16(raw[0]) << 8 | UInt16(raw[1]) : 0, type: type)
    }
}

/// The API's request bodies, decoded as the controllers decode them and validated by the same
/// functions: never a crash, and whatever validates keeps the promises the rules make.
func fuzzAPI(_ bytes: UnsafeBufferPointer<UInt8>) {
    let data = Data(bytes)
    let decoder = JSONDecoder()
    let period = ProgrammePeriod.standard(today: CivilDate(year: 2026, month: 11, day: 30) ?? CivilDate(dayNumber: 20_787))
    func clean(_ text: String) -> Bool { !text.unicodeScalars.contains(where: \.isInvisibleControl) && text == text.trimmingWhitespace }
    if let input = try? decoder.decode(BusinessProfile.Input.self, from: data), let profile = try? BusinessProfile.validate(input) {
        if !clean(profile.name) || profile.name.contains("/") || profile.name.isEmpty { fatalError("business name accepted: \(profile.name)") }
    }
    if let input = try? decoder.decode(ExpertProfile.Input.self, from: data), let profile = try? ExpertProfile.validate(input) {
        if !clean(profile.name) || profile.name.contains("/") { fatalError("expert name accepted: \(profile.name)") }
    }
    if let input = try? decoder.decode(InstitutionProfile.Input.self, from: data) {
        _ = try? InstitutionProfile.validate(input)
    }
    if let input = try? decoder.decode(Consultation.Input.self, from: data), let consultation = try? Consultation.validate(input, period: period) {
        if !period.contains(consultation.date) || !clean(consultation.consultedPerson) { fatalError("consultation accepted: \(consultation)") }
    }
    // The pages' forms (#10): stage 2 of registration, the expert's report and profile, the
    // bank account, the certification. Numbers typed by people stay in range; names stay bank-safe.
    if let input = try? decoder.decode(BusinessProfile.Input.self, from: data), let profile = try? BusinessProfile.validate(input, complete: true) {
        if let employees = profile.details.employees, !(0...BusinessDetails.maximumEmployees).contains(employees) { fatalError("employees \(employees)") }
        if let code = profile.details.postalCode, code.count != 8 { fatalError("postal code \(code)") }
    }
    if let input = try? decoder.decode(ExpertReport.Input.self, from: data), let report = try? ExpertReport.validate(input) {
        if !(report.actualStart < report.actualEnd) || !(0...ExpertReport.maximumTravelExpensesYen).contains(report.travelExpensesYen) {
            fatalError("expert report accepted: \(report)")
        }
    }
    if let input = try? decoder.decode(BankAccount.Input.self, from: data), let account = try? BankAccount.validate(input) {
        if account.number.count != 7 || !ZenginKana.isAccepted(account.holderKana) { fatalError("bank account accepted: \(account)") }
    }
    if let input = try? decoder.decode(Certification.Input.self, from: data), let certification = try? Certification.validate(input) {
        if !Certification.ratings.contains(certification.rating) { fatalError("rating \(certification.rating)") }
    }
    if let text = String(data: data, encoding: .utf8) {
        _ = ZenginKana.halfWidth(text)
        _ = BusinessDetails.postalCode(text)
        _ = ReportMailLinks.mailto(to: text, subject: text)
        _ = try? ExpertDetails.validate(specialties: text, region: text, qualifications: text)
    }
    if let input = try? decoder.decode(DispatchSchedule.Input.self, from: data) {
        var check = FieldChecker()
        if let schedule = DispatchSchedule.validate(input, period: period, into: &check) {
            if !(schedule.start < schedule.end) || !period.contains(schedule.date) || !check.errors.isEmpty { fatalError("schedule accepted: \(schedule)") }
            _ = DispatchDeadline.standard(for: schedule.date)
            _ = FiscalYear(containing: schedule.date).eraLabel
        }
    }
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
        _ = ReceivedTime.byTrustedMTA(message.headers, host: "mx.haken.example")
        _ = AuthenticationResults.verdict(message.headers, trustedAuthservID: "mx.haken.example", fromDomain: message.from,
                                          suffixes: PublicSuffixList(text: "jp\nco.jp\n"))
    case .words:
        let text = String(decoding: bytes, as: UTF8.self)
        _ = EncodedWords.decode(text)
        _ = HeaderParameters.parse(text)
        _ = AddressParser.addresses(text)
        if let date = MailDate.parse(text) { _ = date.secondsSince1970; _ = date.iso8601 }
        for charset in ["ISO-2022-JP", "Shift_JIS", "EUC-JP", "UTF-8", "US-ASCII", "x-unknown"] {
            _ = Charsets.decode(bytes, charset: charset)
        }
    case .api:
        fuzzAPI(bytes)
    case .auth:
        fuzzAuth(bytes)
    case .photo:
        // #12: a mailed picture's bytes through libexif, libheif, libjpeg-turbo and the hash.
        let facts = PhotoInspector.facts(Array(bytes))
        if let offset = facts.offsetMinutes, !PhotoFacts.offsetRange.contains(offset) { fatalError("offset out of range") }
        if let latitude = facts.latitude, !(-90...90).contains(latitude) { fatalError("latitude out of range") }
        _ = facts.position
        _ = facts.takenInTokyo
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
