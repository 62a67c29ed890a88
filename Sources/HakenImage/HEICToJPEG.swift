import CTurboJPEG

/// HEIC (what iPhones send) as JPEG, so every browser shows it (#11: the desk shows a photo
/// whatever the phone wrote). Decoded by libheif, encoded by libjpeg-turbo; every failure is
/// an error the caller shows as "cannot be displayed", never a crash.
public enum HEICToJPEG {
    public enum Failure: Error, Equatable {
        case unreadable(String)
        case tooLarge(width: Int, height: Int)
        case encoding(String)
    }

    /// Pictures larger than this (in pixels) are not converted: 50 megapixels is more than any phone takes.
    public static let maxPixels = 50_000_000

    public static func convert(_ heic: [UInt8], quality: Int = 85) throws(Failure) -> [UInt8] {
        try HEIFImage.withRGB(heic, maxPixels: maxPixels) { (pixels, width, height, stride) throws(Failure) -> [UInt8] in
            guard let compressor = tjInitCompress() else { throw .encoding("no compressor") }
            defer { tjDestroy(compressor) }
            var output: UnsafeMutablePointer<UInt8>?
            var size: UInt = 0
            let status = tjCompress2(compressor, pixels, Int32(width), Int32(stride), Int32(height), Int32(TJPF_RGB.rawValue), &output, &size,
                                     Int32(TJSAMP_420.rawValue), Int32(max(1, min(100, quality))), 0)
            defer { if let output { tjFree(output) } }
            guard status == 0, let output, size > 0 else {
                throw .encoding(String(cString: tjGetErrorStr2(compressor)))
            }
            return Array(UnsafeBufferPointer(start: output, count: Int(size)))
        }
    }
}
