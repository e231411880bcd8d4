/// `keep_before` pairs of a shuffle as a precedence graph: pairs that form a cycle (`[0, 1]` and `[1, 0]`, or
/// 0 → 1 → 2 → 0) can never all hold, so the recipe is refused instead of silently breaking one of them.
enum KeepBeforeOrder {
    /// The entries of one cycle, first entry repeated at the end (e.g. `[0, 1, 0]`), or nil if the pairs are consistent.
    static func cycle(_ pairs: [[Int]], count: Int) -> [Int]? {
        var next = [[Int]](repeating: [], count: count)
        for p in pairs where p.count == 2 && p.allSatisfy({ (0..<count).contains($0) }) { next[p[0]].append(p[1]) }
        // Iterative depth-first search; state 1 = on the current path, 2 = finished.
        var state = [UInt8](repeating: 0, count: count)
        for start in 0..<count where state[start] == 0 {
            var path: [(node: Int, edge: Int)] = [(start, 0)]
            state[start] = 1
            while let top = path.last {
                if top.edge < next[top.node].count {
                    path[path.count - 1].edge += 1
                    let n = next[top.node][top.edge]
                    if state[n] == 1 {
                        let from = path.firstIndex { $0.node == n } ?? 0
                        return path[from...].map(\.node) + [n]
                    }
                    if state[n] == 0 {
                        state[n] = 1
                        path.append((n, 0))
                    }
                } else {
                    state[top.node] = 2
                    path.removeLast()
                }
            }
        }
        return nil
    }
}
