/// #12 with DAY-5 and CON-2: what a photo's own facts say against its dispatch, and whether it
/// was used before. Findings go to the secretariat (queue 報告の食い違い) through `CrossCheck`'s
/// kinds; nothing here changes the evidence by itself, and a photo without EXIF is only noted.
public enum PhotoChecks {
    /// Minutes a photo may be taken before the scheduled start or after the scheduled end
    /// (`HAKEN_PHOTO_TIME_MINUTES`): a support often starts early or runs over.
    public static let defaultWindowMinutes = 60
    public static let windowMinutesRange = 0...720
    /// Hamming distance (of 64 bits) at or below which two photos are the same picture
    /// (`HAKEN_PHOTO_HASH_DISTANCE`). Re-encoded and resized copies of one photo measured at most
    /// 2 apart and different photographs at least 20 (scripts/photo_hash.py).
    public static let defaultHashDistance = 6
    /// The index answers up to 11 (some 16-bit quarter within 2 bits, `PhotoHashIndex`).
    public static let hashDistanceRange = 0...11

    /// The dispatch a support photo is checked against: its day and scheduled hours.
    public struct Schedule: Equatable, Sendable {
        public var date: CivilDate
        public var start: TimeOfDay
        public var end: TimeOfDay

        public init(date: CivilDate, start: TimeOfDay, end: TimeOfDay) {
            (self.date, self.start, self.end) = (date, start, end)
        }
    }

    /// When the photo was taken against the dispatch's day and hours (DAY-5: a photo of the support).
    /// `photoKey` makes the finding the photo's own (recorded once per photo).
    public static func timing(_ facts: PhotoFacts, schedule: Schedule, windowMinutes: Int = defaultWindowMinutes,
                              photoKey: String) -> CrossCheck.Finding? {
        guard let taken = facts.takenInTokyo else { return nil }   // no EXIF time: noted on the photo, not flagged
        let clock = facts.offsetMinutes == nil ? "（端末の時計、時差の記録なし）" : ""
        let when = "\(JapaneseDateFormat.monthDayWeekday(taken.date)) \(taken.time.hhmm)\(clock)"
        if taken.date != schedule.date {
            return CrossCheck.Finding(kind: .photoTaken,
                                      reason: "写真の撮影日時（EXIF）は \(when) で、支援日 \(JapaneseDateFormat.monthDayWeekday(schedule.date)) と異なります。",
                                      key: "photoTaken:\(photoKey)")
        }
        let window = min(max(0, windowMinutes), windowMinutesRange.upperBound)
        let minute = taken.time.minutesSinceMidnight
        let start = schedule.start.minutesSinceMidnight, end = max(schedule.end.minutesSinceMidnight, start)
        guard minute < start - window || minute > end + window else { return nil }
        let gap = minute < start ? start - minute : minute - end
        return CrossCheck.Finding(kind: .photoTaken,
                                  reason: "写真の撮影時刻（EXIF）は \(when) で、支援時間 \(schedule.start.hhmm)〜\(schedule.end.hhmm) から \(gap)分外れています（許容 \(window)分）。",
                                  key: "photoTaken:\(photoKey)")
    }

    /// Another photo already on file that this one is close to.
    public struct Earlier: Equatable, Sendable {
        public var photoKey: String
        /// For people: "支援状況写真（ばそな建設・8月1日(金)）" or "経営相談の写真（…）".
        public var label: String
        public var identical: Bool
        public var distance: Int

        public init(photoKey: String, label: String, identical: Bool, distance: Int) {
            (self.photoKey, self.label, self.identical, self.distance) = (photoKey, label, identical, distance)
        }
    }

    /// The photo was used before: byte-identical always, otherwise within `maxDistance` bits.
    /// The caller passes photos of *other* dispatches and consultations only.
    /// `subject` names the photo checked: the support photo ("この写真") or the dispatch's consultation photo.
    public static func reuse(_ earlier: [Earlier], maxDistance: Int = defaultHashDistance, photoKey: String,
                             subject: String = "この写真") -> [CrossCheck.Finding] {
        earlier.filter { $0.identical || $0.distance <= maxDistance }.map { match in
            let how = match.identical ? "同一のファイルです" : "よく似ています（違い \(match.distance)/64ビット）"
            return CrossCheck.Finding(kind: .photoReused, reason: "\(subject)は、別の\(match.label)と\(how)。並べて確認してください。",
                                      key: "photoReused:\(photoKey):\(match.photoKey)")
        }
    }
}
