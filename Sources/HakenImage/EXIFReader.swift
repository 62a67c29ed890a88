import CExif
import Foundation
import HakenCore

/// #12: when, where and with what a photo was taken, from its EXIF (libexif). Every value is
/// range-checked; a field that is missing or malformed is left out, never guessed.
enum EXIFReader {
    static let header: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]   // "Exif\0\0"

    struct Fields: Equatable {
        var takenAt: LocalDateTime?
        var offsetMinutes: Int?
        var latitude: Double?
        var longitude: Double?
        var camera: String?
        var present = false
    }

    /// Reads a JPEG file or an "Exif\0\0"-prefixed block (from HEIC).
    static func read(_ bytes: [UInt8]) -> Fields {
        guard !bytes.isEmpty, bytes.count <= Int(UInt32.max), let data = exif_data_new() else { return Fields() }
        defer { exif_data_unref(data) }
        // Never "fix" the data: libexif would add missing mandatory tags with made-up values.
        exif_data_unset_option(data, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION)
        bytes.withUnsafeBufferPointer { exif_data_load_data(data, $0.baseAddress, UInt32($0.count)) }
        let order = exif_data_get_byte_order(data)
        let ifds = data.pointee.ifd
        let (ifd0, exif, gps) = (ifds.0, ifds.2, ifds.3)
        var fields = Fields()
        fields.present = [ifds.0, ifds.1, ifds.2, ifds.3, ifds.4].contains { ($0?.pointee.count ?? 0) > 0 }
        guard fields.present else { return fields }

        fields.takenAt = ascii(exif, 0x9003).flatMap(dateTime) ?? ascii(ifd0, 0x0132).flatMap(dateTime)
        if fields.takenAt != nil, let offset = ascii(exif, 0x9011) ?? ascii(exif, 0x9010) { fields.offsetMinutes = offsetMinutes(offset) }
        if let latitude = degrees(gps, 0x0002, order), let longitude = degrees(gps, 0x0004, order),
           let latitudeRef = ascii(gps, 0x0001), let longitudeRef = ascii(gps, 0x0003),
           ["N", "S"].contains(latitudeRef), ["E", "W"].contains(longitudeRef),
           latitude <= 90, longitude <= 180 {
            fields.latitude = latitudeRef == "S" ? -latitude : latitude
            fields.longitude = longitudeRef == "W" ? -longitude : longitude
        }
        let make = ascii(ifd0, 0x010F), model = ascii(ifd0, 0x0110)
        switch (make, model) {
        case let (make?, model?): fields.camera = model.lowercased().hasPrefix(make.lowercased()) ? model : "\(make) \(model)"
        case let (make, model): fields.camera = model ?? make
        }
        return fields
    }

    private static func entry(_ content: UnsafeMutablePointer<ExifContent>?, _ tag: UInt32) -> UnsafeMutablePointer<ExifEntry>? {
        guard let content else { return nil }
        return exif_content_get_entry(content, ExifTag(rawValue: tag))
    }

    /// An ASCII value, trimmed, without control characters, at most 64 characters; nil when empty.
    static func ascii(_ content: UnsafeMutablePointer<ExifContent>?, _ tag: UInt32) -> String? {
        guard let entry = entry(content, tag), entry.pointee.format == EXIF_FORMAT_ASCII, let data = entry.pointee.data else { return nil }
        let bytes = UnsafeBufferPointer(start: data, count: Int(entry.pointee.size)).prefix { $0 != 0 }
        let text = String(decoding: bytes.filter { $0 >= 0x20 && $0 < 0x7F }, as: UTF8.self)
            .trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? nil : String(text.prefix(64))
    }

    /// Degrees, minutes, seconds as three rationals; nil unless all three are finite and sensible.
    static func degrees(_ content: UnsafeMutablePointer<ExifContent>?, _ tag: UInt32, _ order: ExifByteOrder) -> Double? {
        guard let entry = entry(content, tag), entry.pointee.format == EXIF_FORMAT_RATIONAL, entry.pointee.components == 3,
              entry.pointee.size >= 24, let data = entry.pointee.data else { return nil }
        var parts: [Double] = []
        for index in 0..<3 {
            let value = exif_get_rational(data + index * 8, order)
            guard value.denominator != 0 else { return nil }
            parts.append(Double(value.numerator) / Double(value.denominator))
        }
        // Some writers round 59.9995 seconds up to 60: accepted, as the position they mean.
        guard parts.allSatisfy({ $0 >= 0 && $0.isFinite }), parts[1] <= 60, parts[2] <= 60 else { return nil }
        return parts[0] + parts[1] / 60 + parts[2] / 3600
    }

    /// "2026:08:21 10:32:05" (EXIF 2.3 4.6.5) to the minute; nil for blanks and impossible dates.
    static func dateTime(_ text: String) -> LocalDateTime? {
        let digits = Array(text.utf8)
        guard digits.count >= 16 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard (0x30...0x39).contains(digits[index]) else { return nil }
                value = value * 10 + Int(digits[index] - 0x30)
            }
            return value
        }
        guard digits[4] == 0x3A, digits[7] == 0x3A, digits[10] == 0x20, digits[13] == 0x3A,
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16),
              let date = CivilDate(year: year, month: month, day: day), let time = TimeOfDay(hour: hour, minute: minute) else { return nil }
        return LocalDateTime(date: date, time: time)
    }

    /// "+09:00" to 540; nil outside UTC−12:00…UTC+14:00.
    static func offsetMinutes(_ text: String) -> Int? {
        let chars = Array(text.utf8)
        guard chars.count == 6, chars[0] == 0x2B || chars[0] == 0x2D, chars[3] == 0x3A,
              [1, 2, 4, 5].allSatisfy({ (0x30...0x39).contains(chars[$0]) }) else { return nil }
        let hours = Int(chars[1] - 0x30) * 10 + Int(chars[2] - 0x30), minutes = Int(chars[4] - 0x30) * 10 + Int(chars[5] - 0x30)
        guard minutes < 60 else { return nil }
        let total = (hours * 60 + minutes) * (chars[0] == 0x2D ? -1 : 1)
        return PhotoFacts.offsetRange.contains(total) ? total : nil
    }
}
