import Foundation

/// Pillow's `Image.resize(size, LANCZOS)` for an 8-bit one-band image, to the bit: the
/// coefficients of `precompute_coeffs` (doubles, normalised, then 22-bit fixed point rounded
/// away from zero), a horizontal pass then a vertical one, each rounded and clipped to 0…255.
/// (Pillow's libImaging/Resample.c; the same arithmetic, written for one band.)
enum LanczosResize {
    static let precisionBits = 32 - 8 - 2

    struct Coefficients {
        var size: Int
        /// Per output pixel: the first input pixel and how many follow.
        var bounds: [(first: Int, count: Int)]
        var weights: [Int]
    }

    static func lanczos(_ x: Double) -> Double {
        func sinc(_ x: Double) -> Double {
            if x == 0 { return 1 }
            let scaled = x * Double.pi
            return sin(scaled) / scaled
        }
        return -3 <= x && x < 3 ? sinc(x) * sinc(x / 3) : 0
    }

    static func coefficients(inSize: Int, outSize: Int) -> Coefficients {
        let scale = Double(Float(inSize)) / Double(outSize)
        let filterScale = max(scale, 1)
        let support = 3 * filterScale
        let size = Int(support.rounded(.up)) * 2 + 1
        var bounds: [(first: Int, count: Int)] = []
        var weights = [Int](repeating: 0, count: outSize * size)
        var k = [Double](repeating: 0, count: size)
        for xx in 0..<outSize {
            let center = (Double(xx) + 0.5) * scale
            let ss = 1 / filterScale
            let xmin = max(0, Int(center - support + 0.5))
            let xmax = min(inSize, Int(center + support + 0.5)) - xmin
            var ww = 0.0
            for x in 0..<max(0, xmax) {
                let w = lanczos((Double(x + xmin) - center + 0.5) * ss)
                k[x] = w
                ww += w
            }
            for x in 0..<max(0, xmax) {
                if ww != 0 { k[x] /= ww }
                let fixed = k[x] * Double(1 << precisionBits)
                weights[xx * size + x] = k[x] < 0 ? Int(-0.5 + fixed) : Int(0.5 + fixed)
            }
            bounds.append((xmin, max(0, xmax)))
        }
        return Coefficients(size: size, bounds: bounds, weights: weights)
    }

    @inline(__always)
    static func clip8(_ sum: Int) -> UInt8 {
        UInt8(clamping: sum >> precisionBits)
    }

    /// Resizes `pixels` (width × height, row-major) to outWidth × outHeight.
    static func resize(_ pixels: [UInt8], width: Int, height: Int, to outWidth: Int, _ outHeight: Int) -> [UInt8] {
        let horizontal = coefficients(inSize: width, outSize: outWidth)
        let vertical = coefficients(inSize: height, outSize: outHeight)
        let half = 1 << (precisionBits - 1)
        var image = pixels, imageWidth = width
        var rowOffset = 0
        if outWidth != width {
            // Only the rows the vertical pass reads, as Pillow does (ybox_first…ybox_last).
            let first = vertical.bounds.first?.first ?? 0
            let last = (vertical.bounds.last.map { $0.first + $0.count }) ?? height
            var out = [UInt8](repeating: 0, count: outWidth * max(0, last - first))
            image.withUnsafeBufferPointer { input in
                horizontal.weights.withUnsafeBufferPointer { weights in
                    for yy in 0..<(last - first) {
                        let row = (yy + first) * width
                        for xx in 0..<outWidth {
                            let (xmin, count) = horizontal.bounds[xx]
                            var sum = half
                            let k = xx * horizontal.size
                            for x in 0..<count { sum += Int(input[row + xmin + x]) * weights[k + x] }
                            out[yy * outWidth + xx] = clip8(sum)
                        }
                    }
                }
            }
            image = out
            imageWidth = outWidth
            rowOffset = first
        }
        guard outHeight != height else { return image }
        var out = [UInt8](repeating: 0, count: imageWidth * outHeight)
        image.withUnsafeBufferPointer { input in
            vertical.weights.withUnsafeBufferPointer { weights in
                for yy in 0..<outHeight {
                    let (ymin, count) = vertical.bounds[yy]
                    let k = yy * vertical.size
                    for xx in 0..<imageWidth {
                        var sum = half
                        for y in 0..<count { sum += Int(input[(ymin - rowOffset + y) * imageWidth + xx]) * weights[k + y] }
                        out[yy * imageWidth + xx] = clip8(sum)
                    }
                }
            }
        }
        return out
    }
}
