import CTurboJPEG
import Foundation

/// #12: the 64-bit DCT perceptual hash of a photo, bit for bit as Python's `imagehash.phash`
/// computes it from the same pixels: Pillow's `convert('L')` (ITU-R 601-2 in 16-bit fixed point),
/// Pillow's Lanczos resize to 32×32 (two passes, 22-bit fixed-point coefficients, each pass
/// clipped to 8 bits), scipy's unnormalised DCT-II over columns then rows, and the low 8×8
/// coefficients compared with their median. The first coefficient is the most significant bit,
/// so the hex form is imagehash's `str(hash)`.
///
/// JPEG is decoded scaled down by libjpeg-turbo (1/2, 1/4 or 1/8 in the IDCT, as Pillow's
/// `draft()` does), which is most of the speed; `scaled: false` decodes at full size as
/// `Image.open` does. Both agree with imagehash on the same decoded image (scripts/photo_hash.py).
public enum PerceptualHash {
    /// The short side a scaled decode keeps at least (the hash looks at 32×32).
    public static let minimumScaledSide = 128
    /// Pictures larger than this are not decoded.
    public static let maxPixels = HEICToJPEG.maxPixels

    /// The hash of a JPEG or HEIC file; nil when it cannot be decoded (other formats, broken files).
    public static func of(_ bytes: [UInt8], scaled: Bool = true) -> UInt64? {
        guard let gray = decodeGray(bytes, scaled: scaled) else { return nil }
        return hash(gray: gray.pixels, width: gray.width, height: gray.height)
    }

    public static func hex(_ hash: UInt64) -> String {
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    public static func distance(_ a: UInt64, _ b: UInt64) -> Int { (a ^ b).nonzeroBitCount }

    // MARK: - Decoding to Pillow's "L"

    struct Gray {
        var pixels: [UInt8]
        var width: Int
        var height: Int
    }

    static func decodeGray(_ bytes: [UInt8], scaled: Bool) -> Gray? {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return decodeJPEG(bytes, scaled: scaled) }
        if bytes.count >= 12, bytes[4..<8].elementsEqual("ftyp".utf8) {
            return try? HEIFImage.withRGB(bytes, maxPixels: maxPixels) { (pixels, width, height, stride) throws(HEICToJPEG.Failure) -> Gray in
                Gray(pixels: luminance(rgb: pixels, width: width, height: height, stride: stride), width: width, height: height)
            }
        }
        return nil
    }

    static func decodeJPEG(_ bytes: [UInt8], scaled: Bool) -> Gray? {
        guard bytes.count <= Int(UInt32.max), let decompressor = tjInitDecompress() else { return nil }
        defer { tjDestroy(decompressor) }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        guard tjDecompressHeader3(decompressor, bytes, UInt(bytes.count), &width, &height, &subsampling, &colorspace) == 0,
              width > 0, height > 0 else { return nil }
        let (pixels, overflow) = Int(width).multipliedReportingOverflow(by: Int(height))
        guard !overflow, pixels <= maxPixels else { return nil }
        // Pillow reads gray JPEGs as "L" directly and converts colour ones from RGB.
        let gray = colorspace == Int32(TJCS_GRAY.rawValue)
        guard gray || colorspace == Int32(TJCS_YCbCr.rawValue) || colorspace == Int32(TJCS_RGB.rawValue) else { return nil }
        var divisor: Int32 = 1
        if scaled {
            for candidate: Int32 in [8, 4, 2] where (min(width, height) + candidate - 1) / candidate >= Int32(minimumScaledSide) {
                divisor = candidate
                break
            }
        }
        // TJSCALED: the scaled size rounds up, as libjpeg's jdiv_round_up and Pillow's draft do.
        let outWidth = Int((width + divisor - 1) / divisor), outHeight = Int((height + divisor - 1) / divisor)
        let channels = gray ? 1 : 3
        var out = [UInt8](repeating: 0, count: outWidth * outHeight * channels)
        let status = out.withUnsafeMutableBufferPointer { buffer in
            tjDecompress2(decompressor, bytes, UInt(bytes.count), buffer.baseAddress, Int32(outWidth), 0, Int32(outHeight),
                          Int32((gray ? TJPF_GRAY : TJPF_RGB).rawValue), 0)
        }
        // A warning (a truncated file, say) still gives the picture as Pillow shows it; an error does not.
        guard status == 0 || tjGetErrorCode(decompressor) == Int32(TJERR_WARNING.rawValue) else { return nil }
        if gray { return Gray(pixels: out, width: outWidth, height: outHeight) }
        let luma = out.withUnsafeBufferPointer { rgb in
            rgb.baseAddress.map { luminance(rgb: $0, width: outWidth, height: outHeight, stride: outWidth * 3) }
        }
        return luma.map { Gray(pixels: $0, width: outWidth, height: outHeight) }
    }

    /// Pillow's RGB → L: `(R·19595 + G·38470 + B·7471 + 0x8000) >> 16`.
    static func luminance(rgb: UnsafePointer<UInt8>, width: Int, height: Int, stride: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: width * height)
        out.withUnsafeMutableBufferPointer { luma in
            for y in 0..<height {
                let row = rgb + y * stride
                for x in 0..<width {
                    let r = UInt32(row[x * 3]), g = UInt32(row[x * 3 + 1]), b = UInt32(row[x * 3 + 2])
                    luma[y * width + x] = UInt8((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16)
                }
            }
        }
        return out
    }

    // MARK: - imagehash.phash over an "L" image

    static let side = 32
    static let lowFrequencies = 8

    static func hash(gray: [UInt8], width: Int, height: Int) -> UInt64 {
        let small = LanczosResize.resize(gray, width: width, height: height, to: side, side)
        // scipy.fftpack.dct (type II, unnormalised): y[k] = 2 Σ x[n] cos(π k (2n+1) / 2N), columns first.
        var columns = [Double](repeating: 0, count: lowFrequencies * side)   // [k][x]
        for k in 0..<lowFrequencies {
            for x in 0..<side {
                var sum = 0.0
                for n in 0..<side { sum += Double(small[n * side + x]) * cosines[k * side + n] }
                columns[k * side + x] = 2 * sum
            }
        }
        var low = [Double](repeating: 0, count: lowFrequencies * lowFrequencies)
        for k in 0..<lowFrequencies {
            for l in 0..<lowFrequencies {
                var sum = 0.0
                for n in 0..<side { sum += columns[k * side + n] * cosines[l * side + n] }
                low[k * lowFrequencies + l] = 2 * sum
            }
        }
        let sorted = low.sorted()
        let median = (sorted[31] + sorted[32]) / 2   // numpy.median of 64 values
        var bits: UInt64 = 0
        for value in low { bits = bits << 1 | (value > median ? 1 : 0) }
        return bits
    }

    /// cos(π k (2n+1) / 64) for k < 8, n < 32.
    static let cosines: [Double] = (0..<lowFrequencies).flatMap { k in
        (0..<side).map { n in cos(Double.pi * Double(k) * Double(2 * n + 1) / Double(2 * side)) }
    }
}
