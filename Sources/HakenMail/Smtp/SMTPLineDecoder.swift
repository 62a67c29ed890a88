import NIOCore

/// One line of SMTP input: its bytes without the line end, and whether that was CRLF.
public enum SMTPLine: Sendable, Equatable {
    case line([UInt8], hadCR: Bool)
    /// A line longer than the limit; its bytes were discarded.
    case overlong
}

/// Frames the byte stream into lines (CRLF, or a bare LF as lenient servers accept).
/// A line longer than `maxLength` is discarded as it streams in, so a client sending a
/// megabyte without a line end never makes us hold it.
public struct SMTPLineDecoder: ByteToMessageDecoder {
    public typealias InboundOut = SMTPLine

    let maxLength: Int
    var discarding = false

    public init(maxLength: Int) { self.maxLength = maxLength }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: 0x0A) else {
            if buffer.readableBytes > maxLength {
                // Too long already: drop what we have and remember to drop the rest of the line.
                buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
                if !discarding {
                    discarding = true
                    context.fireChannelRead(wrapInboundOut(.overlong))
                }
            }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        guard var bytes = buffer.readBytes(length: length) else { return .needMoreData }   // length is within the readable bytes
        buffer.moveReaderIndex(forwardBy: 1)
        if discarding {
            discarding = false
            return .continue
        }
        if bytes.count > maxLength {
            context.fireChannelRead(wrapInboundOut(.overlong))
            return .continue
        }
        let hadCR = bytes.last == 0x0D
        if hadCR { bytes.removeLast() }
        context.fireChannelRead(wrapInboundOut(.line(bytes, hadCR: hadCR)))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
