import Foundation
import HakenCore
@testable import HakenDocuments
import Testing

/// RFC 5545 as written by the feed: line folding, text escaping, the zone, the cancelled event.
@Suite struct ICalendarFeedTests {
    static func event(cancelled: Bool = false, sequence: Int = 0, place: String = "本社 3階, 会議室; 奥") throws -> ICalendarFeed.Event {
        ICalendarFeed.Event(uid: "dispatch-6f1c2d3e-4a5b-4c6d-8e7f-901234567890@hakendesk", sequence: sequence,
                            schedule: DispatchSchedule(date: try #require(CivilDate(year: 2019, month: 8, day: 21)), start: try #require(TimeOfDay(hour: 10, minute: 30)),
                                                       end: try #require(TimeOfDay(hour: 15, minute: 0)), place: place),
                            summary: "専門家派遣 ばそな建設 / 専門家次郎", description: String(repeating: "当日は開始と終了をメールで報告してください。\n", count: 4),
                            url: "https://haken.example.jp/dispatches/6f1c2d3e", cancelled: cancelled)
    }

    static func stamp() throws -> LocalDateTime {
        LocalDateTime(date: try #require(CivilDate(year: 2019, month: 8, day: 22)), time: try #require(TimeOfDay(hour: 1, minute: 2)))
    }

    @Test("#13: every line is at most 75 octets, folded between characters, CRLF-ended, and unfolds to the original")
    func folding() throws {
        let text = ICalendarFeed.make(name: "専門家派遣（ばそな建設）", events: [try Self.event()], stamp: try Self.stamp())
        #expect(text.hasSuffix("\r\n"))
        let lines = text.components(separatedBy: "\r\n").dropLast()
        for line in lines {
            #expect(line.utf8.count <= 75, "\(line)")
            #expect(!line.contains("\n") && !line.contains("\r"))
        }
        #expect(lines.contains { $0.hasPrefix(" ") }, "the long description is folded")
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("DESCRIPTION:" + String(repeating: "当日は開始と終了をメールで報告してください。\\n", count: 4)))
        #expect(unfolded.contains("LOCATION:本社 3階\\, 会議室\\; 奥"))
    }

    @Test("#13: Asia/Tokyo is defined in the feed and every time refers to it; DTSTAMP is UTC")
    func zone() throws {
        let text = ICalendarFeed.make(name: "x", events: [try Self.event()], stamp: try Self.stamp())
        #expect(text.contains("BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900"))
        #expect(text.contains("DTSTART;TZID=Asia/Tokyo:20190821T103000\r\nDTEND;TZID=Asia/Tokyo:20190821T150000"))
        #expect(text.contains("DTSTAMP:20190822T010200Z"))
        #expect(text.contains("UID:dispatch-6f1c2d3e-4a5b-4c6d-8e7f-901234567890@hakendesk"))
    }

    @Test("#13: a cancelled dispatch stays in the feed as CANCELLED with its sequence raised")
    func cancelled() throws {
        let text = ICalendarFeed.make(name: "x", events: [try Self.event(cancelled: true, sequence: 2)], stamp: try Self.stamp())
        #expect(text.contains("STATUS:CANCELLED") && text.contains("SEQUENCE:2") && text.contains("SUMMARY:【取消】専門家派遣"))
        #expect(!text.contains("STATUS:CONFIRMED"))
    }

    @Test("#13: text escaping drops control characters and keeps the rest")
    func escaping() {
        #expect(ICalendarFeed.escape("a\\b;c,d\r\ne\u{07}f") == "a\\\\b\\;c\\,d\\ne" + "f")
        #expect(ICalendarFeed.fold(String(repeating: "あ", count: 30)).components(separatedBy: "\r\n ").map(\.utf8.count) == [75, 15])
    }
}
