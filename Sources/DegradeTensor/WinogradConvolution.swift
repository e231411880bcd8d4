import COpenBLAS

/// 3×3 stride-1 'same' convolution by Winograd's F(2×2, 3×3): each 2×2 block of outputs ("tile") is
/// `Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A` for the 4×4 input patch `d` around it, so the 36 multiplies per tile and channel
/// pair of the direct form become 16, done as 16 GEMMs `M[ξ] = U[ξ] · V[ξ]` (`U[ξ]: [Cout, Cin]` the transformed
/// weights, `V[ξ]: [Cin, tiles]` the transformed inputs) — 2.25× fewer flops than im2col + GEMM, and a 4× rather
/// than 9× expanded input. The transforms only add and halve, so the result differs from the direct sum by float
/// rounding only (a few ulps of the summed magnitudes).
///
/// Weight gradient through the same factorisation: `∂U[ξ] = Σ_tiles ∂M[ξ] · V[ξ]ᵀ` with `∂M = A ∂Y Aᵀ` per
/// tile, then `∂g = Gᵀ ∂U G`. The input gradient is the forward pass of the flipped, transposed weights
/// (`CPUConvolution.inputGradient`), which lands here too.
///
/// Tiles are processed in chunks of whole tile rows (spanning images), as large as `maxChunkFloats` allows for the
/// transformed chunk: every chunk costs 16 GEMM calls and two parallel loops, each a rendezvous of all threads, and
/// with small chunks those rendezvous dominated on a loaded 2-core machine (measured: 512-tile chunks made a
/// 2-thread step 15× slower). Chunks run in a fixed order, so results are bitwise reproducible for a fixed
/// thread count. GEMMs run on OpenBLAS's threads from the calling thread, the transforms on the library's workers.
enum WinogradConvolution {
    /// Cap on each transformed chunk (`16 · max(Cin, Cout) · tiles` floats, 16 MiB).
    static let maxChunkFloats = 1 << 22

    /// Fewest output positions (all images) for which the transforms' fixed costs pay off; measured on this
    /// project's shapes: 2 × 32² (2048 positions, the propagation branches) ran slower than im2col + GEMM,
    /// 20 × 32² and larger faster.
    static let minimumPositions = 8192

    /// Whether Winograd pays for `s`: 3×3 kernels between layers wide enough for the 16 GEMMs to be real GEMMs,
    /// over enough positions, on one thread. With more threads its 16 GEMM calls and two parallel loops per chunk
    /// are that many rendezvous of all threads, and on the 2-core machine these figures come from (one core busy
    /// with other work) they cost more than the saved flops: 20 × 32² 32 → 32 forward + backward took 2.6 s wall
    /// against im2col's 0.65 s on 2 threads, while on 1 thread Winograd was faster.
    static func applies(_ s: ConvolutionShape, threads: Int = ComputeContext.current.threads) -> Bool {
        threads == 1 && s.kernel == 3 && s.inChannels >= 8 && s.outChannels >= 8 && s.height >= 2 && s.width >= 2
            && s.images * s.plane >= minimumPositions
    }

    /// Tile grid of `s` and the chunks of tile rows (over all images) it is processed in.
    struct Grid {
        let tilesY: Int
        let tilesX: Int
        let rows: Int
        let chunkRows: Int

        /// `tilesPerChunk` nil: as many as `maxChunkFloats` allows (tests pass small values to get several chunks).
        init(_ s: ConvolutionShape, tilesPerChunk: Int? = nil) {
            tilesY = (s.height + 1) / 2
            tilesX = (s.width + 1) / 2
            rows = s.images * tilesY
            let tiles = tilesPerChunk ?? WinogradConvolution.maxChunkFloats / (16 * max(s.inChannels, s.outChannels, 1))
            chunkRows = max(1, min(rows, tiles / tilesX))
        }

        var chunks: StrideTo<Int> { stride(from: 0, to: rows, by: chunkRows) }
        func rowCount(_ first: Int) -> Int { min(chunkRows, rows - first) }
        var maxTiles: Int { chunkRows * tilesX }
    }

    /// `output = act(g ⊛ input + bias)`.
    static func forward(_ s: ConvolutionShape, input: UnsafePointer<Float>, weights: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, slope: Float?, output: UnsafeMutablePointer<Float>,
                        tilesPerChunk: Int? = nil) {
        let grid = Grid(s, tilesPerChunk: tilesPerChunk)
        let pool = BufferPool.shared
        pool.withBuffer(16 * s.outChannels * s.inChannels) { u in
            transformWeights(weights, outChannels: s.outChannels, inChannels: s.inChannels, into: u)
            pool.withBuffer(16 * s.inChannels * grid.maxTiles) { v in
                pool.withBuffer(16 * s.outChannels * grid.maxTiles) { m in
                    for first in grid.chunks {
                        let rows = grid.rowCount(first), tiles = rows * grid.tilesX
                        transformInput(input, s, grid, firstRow: first, rows: rows, into: v)
                        for xi in 0..<16 {
                            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                                        Int32(s.outChannels), Int32(tiles), Int32(s.inChannels),
                                        1, u + xi * s.outChannels * s.inChannels, Int32(s.inChannels),
                                        v + xi * s.inChannels * tiles, Int32(tiles),
                                        0, m + xi * s.outChannels * tiles, Int32(tiles))
                        }
                        transformOutput(m, s, grid, firstRow: first, rows: rows, bias: bias, slope: slope, into: output)
                    }
                }
            }
        }
    }

    /// `∂g` of `Σ d ⊙ (g ⊛ input)` (overwritten), `d` the gradient at the pre-activation output.
    static func weightGradient(_ s: ConvolutionShape, input: UnsafePointer<Float>, d: UnsafePointer<Float>,
                               into gradWeights: UnsafeMutablePointer<Float>, tilesPerChunk: Int? = nil) {
        let grid = Grid(s, tilesPerChunk: tilesPerChunk)
        let pool = BufferPool.shared
        pool.withBuffer(16 * s.outChannels * s.inChannels) { du in
            pool.withBuffer(16 * s.inChannels * grid.maxTiles) { v in
                pool.withBuffer(16 * s.outChannels * grid.maxTiles) { dm in
                    for (index, first) in grid.chunks.enumerated() {
                        let rows = grid.rowCount(first), tiles = rows * grid.tilesX
                        transformInput(input, s, grid, firstRow: first, rows: rows, into: v)
                        transformOutputGradient(d, s, grid, firstRow: first, rows: rows, into: dm)
                        for xi in 0..<16 {
                            // ∂U[ξ] += ∂M[ξ] · V[ξ]ᵀ, chunks summed in their fixed order.
                            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                                        Int32(s.outChannels), Int32(s.inChannels), Int32(tiles),
                                        1, dm + xi * s.outChannels * tiles, Int32(tiles),
                                        v + xi * s.inChannels * tiles, Int32(tiles),
                                        index == 0 ? 0 : 1, du + xi * s.outChannels * s.inChannels, Int32(s.inChannels))
                        }
                    }
                }
            }
            untransformWeightGradient(du, outChannels: s.outChannels, inChannels: s.inChannels, into: gradWeights)
        }
    }

    // MARK: - Transforms

    /// `U[ξ][o][c] = (G g[o][c] Gᵀ)[ξ]`, `G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]`.
    static func transformWeights(_ g: UnsafePointer<Float>, outChannels: Int, inChannels: Int,
                                 into u: UnsafeMutablePointer<Float>) {
        let pairs = outChannels * inChannels
        for pair in 0..<pairs {
            let k = g + pair * 9
            for i in 0..<4 {
                // Row i of G g (4×3), then that row times Gᵀ.
                let (a, b, c): (Float, Float, Float)
                switch i {
                case 0: (a, b, c) = (k[0], k[1], k[2])
                case 1: (a, b, c) = (0.5 * (k[0] + k[3] + k[6]), 0.5 * (k[1] + k[4] + k[7]), 0.5 * (k[2] + k[5] + k[8]))
                case 2: (a, b, c) = (0.5 * (k[0] - k[3] + k[6]), 0.5 * (k[1] - k[4] + k[7]), 0.5 * (k[2] - k[5] + k[8]))
                default: (a, b, c) = (k[6], k[7], k[8])
                }
                u[(4 * i) * pairs + pair] = a
                u[(4 * i + 1) * pairs + pair] = 0.5 * (a + b + c)
                u[(4 * i + 2) * pairs + pair] = 0.5 * (a - b + c)
                u[(4 * i + 3) * pairs + pair] = c
            }
        }
    }

    /// `∂g[o][c] = Gᵀ ∂U[·][o][c] G` (3×3 from 4×4), the adjoint of `transformWeights`.
    static func untransformWeightGradient(_ du: UnsafePointer<Float>, outChannels: Int, inChannels: Int,
                                          into g: UnsafeMutablePointer<Float>) {
        let pairs = outChannels * inChannels
        for pair in 0..<pairs {
            // Gᵀ ∂U, one 3×4 row at a time, each row then times G.
            @inline(__always) func entry(_ i: Int, _ j: Int) -> Float { du[(4 * i + j) * pairs + pair] }
            @inline(__always) func row(_ i: Int) -> SIMD4<Float> {
                SIMD4(entry(i, 0), entry(i, 1), entry(i, 2), entry(i, 3))
            }
            let (u0, u1, u2, u3) = (row(0), row(1), row(2), row(3))
            let t0 = u0 + 0.5 * (u1 + u2), t1 = 0.5 * (u1 - u2), t2 = 0.5 * (u1 + u2) + u3
            let k = g + pair * 9
            @inline(__always) func store(_ i: Int, _ t: SIMD4<Float>) {
                k[3 * i] = t[0] + 0.5 * (t[1] + t[2])
                k[3 * i + 1] = 0.5 * (t[1] - t[2])
                k[3 * i + 2] = 0.5 * (t[1] + t[2]) + t[3]
            }
            store(0, t0)
            store(1, t1)
            store(2, t2)
        }
    }

    /// `V[ξ][c][t] = (Bᵀ d B)[ξ]` for the 4×4 patches `d` (rows `2ty−1 … 2ty+2`, zero outside the image) of the
    /// chunk's tiles, `Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]`. Each tile row is done as whole-row vector
    /// operations over its tiles: the four input rows split into even and odd columns, then `· B` (column
    /// combinations), then `Bᵀ ·` (row combinations) straight into `V`.
    static func transformInput(_ input: UnsafePointer<Float>, _ s: ConvolutionShape, _ grid: Grid, firstRow: Int,
                               rows: Int, into v: UnsafeMutablePointer<Float>) {
        let tiles = rows * grid.tilesX, stride = s.inChannels * tiles, n = grid.tilesX
        let half = n + 1  // even/odd columns of the padded row: padded column 2k and 2k + 1, k ≤ n
        ComputeContext.current.parallelFor(s.inChannels * rows) { job in
            let c = job / rows, local = job % rows
            let image = (firstRow + local) / grid.tilesY, ty = (firstRow + local) % grid.tilesY
            let plane = input + (image * s.inChannels + c) * s.plane
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 8 * half + 16 * n) { scratch in
                let split = scratch.baseAddress!, columns = split + 8 * half
                for i in 0..<4 {
                    // Padded row p[x] = input[x − 1] (0 outside): even[k] = p[2k], odd[k] = p[2k + 1].
                    let even = split + 2 * i * half, odd = even + half
                    even.update(repeating: 0, count: 2 * half)
                    let y = 2 * ty - 1 + i
                    guard y >= 0 && y < s.height else { continue }
                    let row = plane + y * s.width
                    // Input column x is padded column x + 1: even x → odd[x/2], odd x → even[(x+1)/2].
                    var k = 0
                    while 2 &* k < s.width { odd[k] = row[2 &* k]; k &+= 1 }
                    k = 0
                    while 2 &* k &+ 1 < s.width { even[k &+ 1] = row[2 &* k &+ 1]; k &+= 1 }
                }
                // d B per input row i: column j of each tile's 4×4 patch combination.
                for i in 0..<4 {
                    let even = UnsafePointer(split + 2 * i * half), odd = UnsafePointer(split + 2 * i * half + half)
                    let c0 = columns + (4 * i) * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n
                    var t = 0
                    while t < n {
                        let e0 = even[t], e1 = even[t &+ 1], o0 = odd[t], o1 = odd[t &+ 1]
                        c0[t] = e0 - e1
                        c1[t] = o0 + e1
                        c2[t] = e1 - o0
                        c3[t] = o0 - o1
                        t &+= 1
                    }
                }
                // Bᵀ (d B): row combinations, written to V[4i + j].
                let out = v + c * tiles + local * n
                for j in 0..<4 {
                    let r0 = UnsafePointer(columns + j * n), r1 = r0 + 4 * n, r2 = r1 + 4 * n, r3 = r2 + 4 * n
                    let v0 = out + j * stride, v1 = out + (4 + j) * stride
                    let v2 = out + (8 + j) * stride, v3 = out + (12 + j) * stride
                    var t = 0
                    while t < n {
                        v0[t] = r0[t] - r2[t]
                        v1[t] = r1[t] + r2[t]
                        v2[t] = r2[t] - r1[t]
                        v3[t] = r1[t] - r3[t]
                        t &+= 1
                    }
                }
            }
        }
    }

    /// `y = act(Aᵀ M A + bias)` for the chunk's tiles, `Aᵀ = [1 1 1 0; 0 1 −1 −1]`, written where inside the image:
    /// row combinations, then column combinations, as vector operations over a tile row.
    static func transformOutput(_ m: UnsafePointer<Float>, _ s: ConvolutionShape, _ grid: Grid, firstRow: Int,
                                rows: Int, bias: UnsafePointer<Float>?, slope: Float?,
                                into output: UnsafeMutablePointer<Float>) {
        let tiles = rows * grid.tilesX, stride = s.outChannels * tiles, n = grid.tilesX
        ComputeContext.current.parallelFor(s.outChannels * rows) { job in
            let o = job / rows, local = job % rows
            let image = (firstRow + local) / grid.tilesY, ty = (firstRow + local) % grid.tilesY
            let plane = output + (image * s.outChannels + o) * s.plane
            let src = m + o * tiles + local * n
            let shift = bias?[o] ?? 0
            let f = NegativeSlope(slope: slope ?? 1)
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 12 * n) { scratch in
                let a = scratch.baseAddress!, y = a + 8 * n
                // Aᵀ M: a[r][j] (r = 0, 1), one vector over the tiles per column j.
                for j in 0..<4 {
                    let m0 = src + j * stride, m1 = src + (4 + j) * stride
                    let m2 = src + (8 + j) * stride, m3 = src + (12 + j) * stride
                    let a0 = a + j * n, a1 = a + (4 + j) * n
                    var t = 0
                    while t < n {
                        a0[t] = m0[t] + m1[t] + m2[t]
                        a1[t] = m1[t] - m2[t] - m3[t]
                        t &+= 1
                    }
                }
                for r in 0..<2 {
                    let y0 = 2 * ty + r
                    guard y0 < s.height else { break }
                    // (Aᵀ M) A: outputs (y0, 2t) and (y0, 2t + 1) of each tile, then bias and activation.
                    let b0 = UnsafePointer(a + 4 * r * n), b1 = b0 + n, b2 = b1 + n, b3 = b2 + n
                    let left = y, right = y + 2 * n
                    var t = 0
                    while t < n {
                        left[t] = b0[t] + b1[t] + b2[t] + shift
                        right[t] = b1[t] - b2[t] - b3[t] + shift
                        t &+= 1
                    }
                    if slope != nil {
                        t = 0
                        while t < n { left[t] = f(left[t]); right[t] = f(right[t]); t &+= 1 }
                    }
                    let row = plane + y0 * s.width
                    let pairs = s.width / 2
                    t = 0
                    while t < pairs { row[2 &* t] = left[t]; row[2 &* t &+ 1] = right[t]; t &+= 1 }
                    if s.width & 1 == 1 { row[s.width - 1] = left[pairs] }
                }
            }
        }
    }

    /// `∂M[ξ][o][t] = (A ∂Y Aᵀ)[ξ]` for the chunk's 2×2 output-gradient tiles (zero outside the image).
    static func transformOutputGradient(_ d: UnsafePointer<Float>, _ s: ConvolutionShape, _ grid: Grid,
                                        firstRow: Int, rows: Int, into dm: UnsafeMutablePointer<Float>) {
        let tiles = rows * grid.tilesX, stride = s.outChannels * tiles, n = grid.tilesX
        ComputeContext.current.parallelFor(s.outChannels * rows) { job in
            let o = job / rows, local = job % rows
            let image = (firstRow + local) / grid.tilesY, ty = (firstRow + local) % grid.tilesY
            let plane = d + (image * s.outChannels + o) * s.plane
            let out = dm + o * tiles + local * n
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 4 * n) { scratch in
                // g[2r + q][t] = ∂Y[2ty + r][2t + q], 0 outside the image.
                let g = scratch.baseAddress!
                g.update(repeating: 0, count: 4 * n)
                for r in 0..<2 where 2 * ty + r < s.height {
                    let row = plane + (2 * ty + r) * s.width, even = g + 2 * r * n, odd = even + n
                    var k = 0
                    while 2 &* k < s.width { even[k] = row[2 &* k]; k &+= 1 }
                    k = 0
                    while 2 &* k &+ 1 < s.width { odd[k] = row[2 &* k &+ 1]; k &+= 1 }
                }
                let g00 = UnsafePointer(g), g01 = g00 + n, g10 = g01 + n, g11 = g10 + n
                // A ∂Y (rows g0, g0 + g1, g0 − g1, −g1), then · Aᵀ (the same on columns).
                for i in 0..<4 {
                    let v0 = out + (4 * i) * stride, v1 = v0 + stride, v2 = v1 + stride, v3 = v2 + stride
                    var t = 0
                    while t < n {
                        let a: Float, b: Float
                        switch i {
                        case 0: (a, b) = (g00[t], g01[t])
                        case 1: (a, b) = (g00[t] + g10[t], g01[t] + g11[t])
                        case 2: (a, b) = (g00[t] - g10[t], g01[t] - g11[t])
                        default: (a, b) = (-g10[t], -g11[t])
                        }
                        v0[t] = a
                        v1[t] = a + b
                        v2[t] = a - b
                        v3[t] = -b
                        t &+= 1
                    }
                }
            }
        }
    }
}
