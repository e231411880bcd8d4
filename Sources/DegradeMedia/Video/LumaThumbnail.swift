import CAVUtil

/// A frame's luma averaged over a fixed 32×18 grid of cells, in [0, 1], and its 32-bin luma histogram: a cheap,
/// size-independent fingerprint for finding cuts.
struct LumaThumbnail {
    static let columns = 32, rows = 18
    var cells: [Float]
    /// 32-bin histogram of the sampled luma, as fractions summing to 1.
    var histogram: [Float]

    /// From the first component of the decoded frame (Y for YUV, G for planar RGB), 8 or 16 bits per sample.
    /// About 180 rows are sampled whatever the height (every 6th row and column at 1080p): cuts change whole
    /// areas, so this loses nothing useful.
    init?(_ frame: UnsafePointer<AVFrame>) {
        guard let descriptor = av_pix_fmt_desc_get(AVPixelFormat(rawValue: frame.pointee.format)) else { return nil }
        let component = descriptor.pointee.comp.0
        let w = Int(frame.pointee.width), h = Int(frame.pointee.height)
        guard w >= Self.columns, h >= Self.rows else { return nil }
        let (data, stride) = AVFramePlanes.plane(frame, Int(component.plane))
        let step = Int(component.step), offset = Int(component.offset), depth = Int(component.depth)
        let wide = depth > 8
        let every = max(1, h / 180)
        let scale = 1 / Float((1 << depth) - 1)
        var cells = [Float](repeating: 0, count: Self.columns * Self.rows)
        var histogram = [Float](repeating: 0, count: 32)
        var total = 0
        for cy in 0..<Self.rows {
            let y0 = cy * h / Self.rows, y1 = (cy + 1) * h / Self.rows
            for cx in 0..<Self.columns {
                let x0 = cx * w / Self.columns, x1 = (cx + 1) * w / Self.columns
                var sum = 0, count = 0
                for y in Swift.stride(from: y0, to: y1, by: every) {
                    let row = data + y * stride + offset
                    for x in Swift.stride(from: x0, to: x1, by: every) {
                        let p = row + x * step
                        let v = wide ? Int(p[0]) | Int(p[1]) << 8 : Int(p[0])
                        let value = v >> Int(component.shift)
                        sum += value
                        count += 1
                        histogram[min(31, (value * 32) >> depth)] += 1
                    }
                }
                cells[cy * Self.columns + cx] = Float(sum) / Float(max(count, 1)) * scale
                total += count
            }
        }
        self.cells = cells
        self.histogram = histogram.map { $0 / Float(max(total, 1)) }
    }

    /// Half the L1 distance of the histograms: the fraction of pixels whose brightness class changed, in [0, 1].
    func histogramDifference(_ other: LumaThumbnail) -> Float {
        var total: Float = 0
        for i in histogram.indices { total += abs(histogram[i] - other.histogram[i]) }
        return total / 2
    }

    /// The smaller of the two differences below. A cut changes both where things are and which brightnesses
    /// occur; camera motion changes mostly the first, a flash or exposure change mostly the second. On camera pans
    /// over the bundled photos motion scores 0.01–0.03 and the cuts between photos 0.13–0.2.
    func cutScore(after previous: LumaThumbnail) -> Float {
        min(difference(previous), histogramDifference(previous))
    }

    /// Mean absolute difference of the cells, in [0, 1].
    func difference(_ other: LumaThumbnail) -> Float {
        var total: Float = 0
        for i in cells.indices { total += abs(cells[i] - other.cells[i]) }
        return total / Float(cells.count)
    }
}
