/// One axis of a true area (box-overlap) downscale: for every destination cell, the source pixels it overlaps and
/// `overlap / cellWidth` as weight.
///
/// Cell `d` spans `[d·scale, d·scale + scale)` in source coordinates; `cellWidth = min(scale, source − d·scale)`.
/// Matching OpenCV's `INTER_AREA` table: the partial pixel on the left gets `(⌈lo⌉ − lo)/cellWidth`, whole pixels
/// `1/cellWidth`, the partial on the right `min(hi − ⌊hi⌋, 1, cellWidth)/cellWidth`; partial overlaps of 10⁻³ px or
/// less are dropped without renormalising (why a constant image can come out a few ulp off, as in OpenCV).
struct AreaTable: Sendable {
    let count: Int
    /// Entries of destination `d` are `start[d] ..< start[d + 1]`.
    let start: [Int]
    let source: [Int]
    let weight: [Float]
    /// The same entries regrouped for the horizontal pass, eight destinations (lanes) at a time: group `g` covers
    /// destinations `8g ..< 8g + 8`; its step `e` holds entry `e` of each lane at `laneSource`/`laneWeight`
    /// `[8·(groupStart[g] + e) + lane]` (0 and weight 0 where the lane has fewer entries), and `laneCount[8g + lane]`
    /// says how many are real. Only whole groups (`count / 8` of them), and only when built with `laneGroups`.
    let groupStart: [Int]
    let laneSource: [Int32]
    let laneWeight: [Float]
    let laneCount: [Int32]

    /// - Parameters:
    ///   - scale: source length / destination length (≥ 1), as `1 / inverseScale` like OpenCV.
    ///   - laneGroups: also build the eight-lane regrouping (the x axis; the y pass uses the entries as they are).
    init(source length: Int, destination: Int, scale: Double, laneGroups: Bool = false) {
        var start = [Int]()
        var source = [Int]()
        var weight = [Float]()
        start.reserveCapacity(destination + 1)
        source.reserveCapacity(length + destination)
        weight.reserveCapacity(length + destination)
        for d in 0..<destination {
            start.append(source.count)
            let lo = Double(d) * scale
            let hi = lo + scale
            let cellWidth = min(scale, Double(length) - lo)
            var last = Int(hi.rounded(.down))
            last = min(last, length - 1)
            let first = min(Int(lo.rounded(.up)), last)
            if Double(first) - lo > 1e-3 {
                source.append(first - 1)
                weight.append(Float((Double(first) - lo) / cellWidth))
            }
            if first < last {
                for s in first..<last {
                    source.append(s)
                    weight.append(Float(1.0 / cellWidth))
                }
            }
            if hi - Double(last) > 1e-3 {
                source.append(last)
                weight.append(Float(min(min(hi - Double(last), 1.0), cellWidth) / cellWidth))
            }
        }
        start.append(source.count)
        self.count = destination
        self.start = start
        self.source = source
        self.weight = weight
        var groupStart = [Int]()
        var laneSource = [Int32]()
        var laneWeight = [Float]()
        var laneCount = [Int32]()
        let groups = laneGroups ? destination / 8 : 0
        groupStart.reserveCapacity(groups + 1)
        laneCount.reserveCapacity(groups * 8)
        var steps = 0
        for g in 0..<groups {
            groupStart.append(steps)
            var depth = 0
            for d in (8 * g)..<(8 * g + 8) {
                depth = max(depth, start[d + 1] - start[d])
                laneCount.append(Int32(start[d + 1] - start[d]))
            }
            for e in 0..<depth {
                for d in (8 * g)..<(8 * g + 8) {
                    let real = start[d] + e < start[d + 1]
                    laneSource.append(real ? Int32(source[start[d] + e]) : 0)
                    laneWeight.append(real ? weight[start[d] + e] : 0)
                }
            }
            steps += depth
        }
        groupStart.append(steps)
        self.groupStart = groupStart
        self.laneSource = laneSource
        self.laneWeight = laneWeight
        self.laneCount = laneCount
    }
}
