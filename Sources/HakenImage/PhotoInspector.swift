import Crypto
import HakenCore

/// #12: everything a photo's bytes tell (`PhotoFacts`): EXIF from JPEG or HEIC, the perceptual
/// hash and the SHA-256. Total: a file that is not a photo, or is broken, gives the facts it has.
public enum PhotoInspector {
    public static func facts(_ bytes: [UInt8]) -> PhotoFacts {
        let digest = SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
        var facts = PhotoFacts(sha256: digest)
        let block: [UInt8]?
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            block = bytes
        } else if bytes.count >= 12, bytes[4..<8].elementsEqual("ftyp".utf8) {
            block = HEIFImage.exif(bytes)
        } else {
            block = nil
        }
        if let block {
            let exif = EXIFReader.read(block)
            facts.hasEXIF = exif.present
            facts.takenAt = exif.takenAt
            facts.offsetMinutes = exif.offsetMinutes
            facts.latitude = exif.latitude
            facts.longitude = exif.longitude
            facts.camera = exif.camera
        }
        facts.perceptualHash = PerceptualHash.of(bytes)
        return facts
    }
}
