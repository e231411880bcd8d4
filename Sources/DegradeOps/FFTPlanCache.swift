import CFFTW
import Synchronization

/// A pair of single-precision FFTW plans (real → half complex and back) for one `height × width` grid.
///
/// Executed only through the new-array functions (`fftwf_execute_dft_r2c/c2r`), which FFTW documents as thread-safe,
/// on `fftwf_malloc`'d buffers (same SIMD alignment as at planning), so many threads may share one pair.
final class FFTPlanPair: @unchecked Sendable {
    let height: Int, width: Int
    let forward: fftwf_plan
    let inverse: fftwf_plan

    fileprivate init(height: Int, width: Int, forward: fftwf_plan, inverse: fftwf_plan) {
        self.height = height
        self.width = width
        self.forward = forward
        self.inverse = inverse
    }

    /// Complex bins per grid: `height × (width/2 + 1)` (FFTW's r2c half spectrum).
    var spectrumCount: Int { height * (width / 2 + 1) }

    deinit { FFTPlanCache.destroy(forward, inverse) }
}

/// Process-wide cache of FFTW plans keyed by grid size, with every planner call serialised.
///
/// - FFTW's planner (plan creation and destruction, thread settings) is not thread-safe; one `Mutex` guards it all.
/// - Plans are made with `FFTW_ESTIMATE`, never `FFTW_MEASURE`: measuring times candidate algorithms and keeps the
///   fastest, so the chosen algorithm (and the last bits of every result) could change from run to run. Estimate
///   picks by a fixed cost model, so the same binary on the same machine gives bit-identical output — determinism is
///   a product feature. (A different CPU may still pick other SIMD codelets; nothing in the product may create
///   MEASURE plans or import wisdom, which ESTIMATE planning would otherwise reuse.)
/// - Each plan runs on one FFTW thread: throughput comes from processing clips, frames and channels concurrently.
/// - At most `capacity` grids are kept (least recently used evicted); an evicted pair is destroyed when its last
///   user releases it, outside the lock.
enum FFTPlanCache {
    static let capacity = 32

    private struct GridSize: Hashable { let height: Int, width: Int }

    private struct State {
        var plans: [GridSize: FFTPlanPair] = [:]
        var recency: [GridSize] = []
        var threadsInitialised = false
    }

    private static let state = Mutex(State())

    /// The cached plans for `height × width`, created on first use.
    static func plans(height: Int, width: Int) -> FFTPlanPair {
        let key = GridSize(height: height, width: width)
        // The evicted pair (if any) leaves the lock alive, so its deinit can take the lock again.
        let (pair, evicted): (FFTPlanPair, FFTPlanPair?) = state.withLock { s in
            if let hit = s.plans[key] {
                if let at = s.recency.firstIndex(of: key) { s.recency.remove(at: at) }
                s.recency.append(key)
                return (hit, nil)
            }
            if !s.threadsInitialised {
                // Lets us pin the thread count below even if other code changed the global planner setting.
                _ = fftwf_init_threads()
                s.threadsInitialised = true
            }
            fftwf_plan_with_nthreads(1)
            let made = makePlans(height: height, width: width)
            s.plans[key] = made
            s.recency.append(key)
            var old: FFTPlanPair?
            if s.recency.count > capacity {
                old = s.plans.removeValue(forKey: s.recency.removeFirst())
            }
            return (made, old)
        }
        _ = evicted
        return pair
    }

    fileprivate static func destroy(_ forward: fftwf_plan, _ inverse: fftwf_plan) {
        state.withLock { _ in
            fftwf_destroy_plan(forward)
            fftwf_destroy_plan(inverse)
        }
    }

    /// Plans on scratch buffers of the right size; `FFTW_ESTIMATE` never reads or writes them.
    private static func makePlans(height: Int, width: Int) -> FFTPlanPair {
        let real = fftwf_alloc_real(height * width)
        let complex = fftwf_alloc_complex(height * (width / 2 + 1))
        defer { fftwf_free(real); fftwf_free(complex) }
        guard let real, let complex,
              let forward = fftwf_plan_dft_r2c_2d(Int32(height), Int32(width), real, complex, FFTW_ESTIMATE),
              let inverse = fftwf_plan_dft_c2r_2d(Int32(height), Int32(width), complex, real, FFTW_ESTIMATE)
        else { fatalError("FFTW could not plan a \(height)×\(width) real transform (out of memory?)") }
        return FFTPlanPair(height: height, width: width, forward: forward, inverse: inverse)
    }
}
