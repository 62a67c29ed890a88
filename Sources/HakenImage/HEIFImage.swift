import CHeif

/// One HEIC/HEIF file opened with libheif: its primary image decoded to interleaved RGB, and its
/// EXIF block. Shared by the desk's JPEG conversion and the photo checks of #12.
enum HEIFImage {
    /// Decodes the primary image and hands its RGB rows to `body` while they are valid.
    static func withRGB<T>(_ heic: [UInt8], maxPixels: Int,
                           _ body: (_ pixels: UnsafePointer<UInt8>, _ width: Int, _ height: Int, _ stride: Int) throws(HEICToJPEG.Failure) -> T)
        throws(HEICToJPEG.Failure) -> T {
        try withPrimary(heic) { (handle) throws(HEICToJPEG.Failure) -> T in
            let width = Int(heif_image_handle_get_width(handle)), height = Int(heif_image_handle_get_height(handle))
            let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
            guard width > 0, height > 0, !overflow, pixels <= maxPixels else { throw .tooLarge(width: width, height: height) }
            var image: OpaquePointer?
            let decoded = heif_decode_image(handle, &image, heif_colorspace_RGB, heif_chroma_interleaved_RGB, nil)
            guard decoded.code == heif_error_Ok, let image else { throw .unreadable(message(decoded)) }
            defer { heif_image_release(image) }
            var stride: Int32 = 0
            guard let plane = heif_image_get_plane_readonly(image, heif_channel_interleaved, &stride), Int(stride) >= width * 3 else {
                throw .unreadable("no pixels")
            }
            return try body(plane, width, height, Int(stride))
        }
    }

    /// The primary image's EXIF block as libexif reads it ("Exif\0\0" and the TIFF header), if any.
    /// HEIF stores it after a 4-byte offset to the TIFF header (ISO/IEC 23008-12 A.2.1).
    static func exif(_ heic: [UInt8], maxBytes: Int = 1 << 20) -> [UInt8]? {
        try? withPrimary(heic) { (handle) throws(HEICToJPEG.Failure) -> [UInt8]? in
            var id: heif_item_id = 0
            guard heif_image_handle_get_list_of_metadata_block_IDs(handle, "Exif", &id, 1) == 1 else { return nil }
            let size = heif_image_handle_get_metadata_size(handle, id)
            guard size > 4, size <= maxBytes else { return nil }
            var block = [UInt8](repeating: 0, count: size)
            let read = block.withUnsafeMutableBytes { heif_image_handle_get_metadata(handle, id, $0.baseAddress) }
            guard read.code == heif_error_Ok else { return nil }
            let offset = Int(block[0]) << 24 | Int(block[1]) << 16 | Int(block[2]) << 8 | Int(block[3])
            guard offset >= 0, offset <= size - 4 else { return nil }
            let rest = block[(4 + offset)...]
            if rest.starts(with: EXIFReader.header) { return Array(rest) }
            return EXIFReader.header + rest
        }
    }

    private static func withPrimary<T>(_ heic: [UInt8], _ body: (OpaquePointer) throws(HEICToJPEG.Failure) -> T) throws(HEICToJPEG.Failure) -> T {
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
        return try body(handle)
    }

    static func message(_ error: heif_error) -> String {
        error.message.map { String(cString: $0) } ?? "libheif error \(error.code.rawValue)"
    }
}
