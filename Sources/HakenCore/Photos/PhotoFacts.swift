import Foundation

/// #12: what a photo's own bytes say of it — read on intake from every support and
/// consultation photo, stored with the evidence, shown to the secretariat where it decides.
public struct PhotoFacts: Equatable, Sendable {
    /// EXIF DateTimeOriginal as the camera wrote it (its own wall clock, to the minute).
    public var takenAt: LocalDateTime?
    /// EXIF OffsetTimeOriginal in minutes east of UTC (+09:00 is 540), when the camera wrote one.
    public var offsetMinutes: Int?
    /// GPS position in degrees (south and west negative). Shown to the secretariat only.
    public var latitude: Double?
    public var longitude: Double?
    /// EXIF Make and Model, joined ("Apple iPhone 15").
    public var camera: String?
    /// Whether the photo carried any EXIF at all (many phones strip it when mailing: noted, never flagged).
    public var hasEXIF: Bool
    /// 64-bit DCT perceptual hash (`imagehash.phash`'s bits, first bit the most significant);
    /// nil when the picture could not be decoded.
    public var perceptualHash: UInt64?
    /// SHA-256 of the file's bytes (hex): a byte-identical copy is always the same photo.
    public var sha256: String

    public init(takenAt: LocalDateTime? = nil, offsetMinutes: Int? = nil, latitude: Double? = nil, longitude: Double? = nil,
                camera: String? = nil, hasEXIF: Bool = false, perceptualHash: UInt64? = nil, sha256: String) {
        self.takenAt = takenAt
        self.offsetMinutes = offsetMinutes
        self.latitude = latitude
        self.longitude = longitude
        self.camera = camera
        self.hasEXIF = hasEXIF
        self.perceptualHash = perceptualHash
        self.sha256 = sha256
    }

    /// The largest offset a clock can have (UTC−12:00 … UTC+14:00), in minutes.
    public static let offsetRange = -12 * 60...14 * 60

    /// When it was taken on the Tokyo wall clock (DEC-1): the camera's time moved by its offset;
    /// without an offset the camera's clock is taken as Tokyo's (a phone in Japan).
    public var takenInTokyo: LocalDateTime? {
        guard let takenAt else { return nil }
        guard let offset = offsetMinutes, Self.offsetRange.contains(offset) else { return takenAt }
        let minute = takenAt.minuteNumber - offset + TokyoClock.offsetSeconds / 60
        let days = minute >= 0 ? minute / 1440 : (minute - 1439) / 1440
        let minuteOfDay = minute - days * 1440
        return LocalDateTime(date: CivilDate(dayNumber: days), time: TimeOfDay(known: minuteOfDay / 60, minuteOfDay % 60))
    }

    /// A position people read: 35.68124, 139.76712 (five decimals, about a metre).
    public var position: String? {
        guard let latitude, let longitude, (-90...90).contains(latitude), (-180...180).contains(longitude) else { return nil }
        return String(format: "%.5f, %.5f", latitude, longitude)
    }
}
