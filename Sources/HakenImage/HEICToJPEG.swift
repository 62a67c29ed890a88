import CHeif
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
        guard let context = heif_context_alloc() else { throw .unreadable("no context") }
        defer { heif_context_free(context) }
        let read = heic.withUnsafeBytes { bytes in
            heif_context_read_from_memory_without_copy(context, bytes.baseAddress, bytes.count, nil)
        }
        guard read.code == heif_error_Ok else { throw .unreadable(message(read)) }
        var handle: OpaquePointer?
        let primary = heif_context_get_primary_image_handle(context, &handle)
        guard primary.code == heif_error_Ok, let handle else { throw .unreadable(message(primary)) }
        defer { heif_image_handle_release(handle) }
        let width = Int(heif_image_handle_get_width(handle)), height = Int(heif_image_handle_get_height(handle))
        guard width > 0, height > 0, width.multipliedReportingOverflow(by: height).partialValue <= maxPixels,
              !width.multipliedReportingOverflow(by: height).overflow else {
            throw .tooLarge(width: width, height: height)
        }
        var image: OpaquePointer?
        let decoded = heif_decode_image(handle, &image, heif_colorspace_RGB, heif_chroma_interleaved_RGB, nil)
        guard decoded.code == heif_error_Ok, let image else { throw .unreadable(message(decoded)) }
        defer { heif_image_release(image) }
        var stride: Int32 = 0
        guard let pixels = heif_image_get_plane_readonly(image, heif_channel_interleaved, &stride), stride > 0 else {
            throw .unreadable("no pixels")
        }
        guard let compressor = tjInitCompress() else { throw .encoding("no compressor") }
        defer { tjDestroy(compressor) }
        var output: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let status = tjCompress2(compressor, pixels, Int32(width), stride, Int32(height), Int32(TJPF_RGB.rawValue), &output, &size,
                                 Int32(TJSAMP_420.rawValue), Int32(max(1, min(100, quality))), 0)
        defer { if let output { tjFree(output) } }
        guard status == 0, let output, size > 0 else {
            throw .encoding(String(cString: tjGetErrorStr2(compressor)))
        }
        return Array(UnsafeBufferPointer(start: output, count: Int(size)))
    }

    static func message(_ error: heif_error) -> String {
        error.message.map { String(cString: $0) } ?? "libheif error \(error.code.rawValue)"
    }
}
