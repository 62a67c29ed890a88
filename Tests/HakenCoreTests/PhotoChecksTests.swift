import Foundation
import Testing
@testable import HakenCore

/// #12: what a photo's EXIF time says against its dispatch, and whether it was used before.
@Suite struct PhotoChecksTests {
    static let schedule = PhotoChecks.Schedule(date: CivilDate(iso: "2019-08-21")!, start: TimeOfDay(hhmm: "10:30")!, end: TimeOfDay(hhmm: "15:00")!)

    static func facts(_ iso: String, _ hhmm: String, offset: Int? = nil) -> PhotoFacts {
        PhotoFacts(takenAt: LocalDateTime(date: CivilDate(iso: iso)!, time: TimeOfDay(hhmm: hhmm)!), offsetMinutes: offset, hasEXIF: true, sha256: "x")
    }

    @Test("#12: a photo taken during the support, or within the window around it, is not flagged")
    func duringTheSupport() {
        for (time, offset) in [("10:30", 540), ("09:30", 540), ("16:00", nil), ("12:00", nil), ("01:30", 0)] as [(String, Int?)] {
            #expect(PhotoChecks.timing(Self.facts("2019-08-21", time, offset: offset), schedule: Self.schedule, photoKey: "p") == nil, "\(time) \(offset ?? -1)")
        }
        // No EXIF time at all: noted on the photo, never a finding.
        #expect(PhotoChecks.timing(PhotoFacts(hasEXIF: false, sha256: "x"), schedule: Self.schedule, photoKey: "p") == nil)
    }

    @Test("#12: another day, or outside the window by more than the setting, is flagged with the time")
    func anotherTime() throws {
        let dayBefore = try #require(PhotoChecks.timing(Self.facts("2019-08-20", "14:05", offset: 540), schedule: Self.schedule, photoKey: "p"))
        #expect(dayBefore.kind == .photoTaken)
        #expect(dayBefore.reason == "写真の撮影日時（EXIF）は 8月20日(火) 14:05 で、支援日 8月21日(水) と異なります。")
        #expect(dayBefore.key == "photoTaken:p")
        let early = try #require(PhotoChecks.timing(Self.facts("2019-08-21", "09:29"), schedule: Self.schedule, photoKey: "p"))
        #expect(early.reason == "写真の撮影時刻（EXIF）は 8月21日(水) 09:29（端末の時計、時差の記録なし） で、支援時間 10:30〜15:00 から 61分外れています（許容 60分）。")
        #expect(PhotoChecks.timing(Self.facts("2019-08-21", "15:01"), schedule: Self.schedule, windowMinutes: 0, photoKey: "p") != nil)
        // 23:50 UTC on the 20th is 08:50 on the 21st in Tokyo: the right day, 100 minutes early.
        let utc = try #require(PhotoChecks.timing(Self.facts("2019-08-20", "23:50", offset: 0), schedule: Self.schedule, photoKey: "p"))
        #expect(utc.reason.contains("100分外れています"))
        // 16:00 in Tokyo is 07:00 UTC: written as UTC it is the same moment, not flagged.
        #expect(PhotoChecks.timing(Self.facts("2019-08-21", "07:00", offset: 0), schedule: Self.schedule, photoKey: "p") == nil)
    }

    @Test("#12: the Tokyo time of a photo crosses midnight and ignores impossible offsets")
    func tokyoTime() {
        #expect(Self.facts("2019-12-31", "20:00", offset: -300).takenInTokyo?.description == "2020-01-01 10:00")
        #expect(Self.facts("2019-01-01", "02:00", offset: 840).takenInTokyo?.description == "2018-12-31 21:00")
        #expect(Self.facts("2019-08-21", "10:00", offset: 10_000).takenInTokyo?.description == "2019-08-21 10:00")
        #expect(Self.facts("0001-01-01", "00:00", offset: 840).takenInTokyo != nil)   // total at the calendar's first day
    }

    @Test("#12: an identical file is always a reuse; a near hash only within the distance")
    func reuse() {
        let earlier = [
            PhotoChecks.Earlier(photoKey: "a", label: "派遣の支援状況写真（ばそな建設・8月1日(木)）", identical: true, distance: 0),
            PhotoChecks.Earlier(photoKey: "b", label: "経営相談の写真（ばそな建設・7月1日(月)）", identical: false, distance: 6),
            PhotoChecks.Earlier(photoKey: "c", label: "派遣の支援状況写真（他社・8月2日(金)）", identical: false, distance: 7),
        ]
        let found = PhotoChecks.reuse(earlier, photoKey: "p")
        #expect(found.map(\.key) == ["photoReused:p:a", "photoReused:p:b"])
        #expect(found.first?.reason == "この写真は、別の派遣の支援状況写真（ばそな建設・8月1日(木)）と同一のファイルです。並べて確認してください。")
        #expect(found.last?.reason.contains("よく似ています（違い 6/64ビット）") == true)
        #expect(PhotoChecks.reuse(earlier, maxDistance: 0, photoKey: "p").map(\.key) == ["photoReused:p:a"])
    }
}
