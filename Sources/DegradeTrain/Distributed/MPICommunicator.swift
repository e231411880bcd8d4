import CMPI
import Foundation
import Synchronization

/// The processes `mpirun -n N` started, through Open MPI's C API.
///
/// MPI is initialised only when the environment says mpirun launched this process (`OMPI_COMM_WORLD_SIZE`), so a
/// plain `degrade train` never calls it. libmpi is linked (pkg-config `ompi-c`); its functions and Open MPI's
/// predefined handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, …: mpi.h macros over the addresses of its `ompi_mpi_*`
/// globals, which Swift cannot import) are looked up with dlsym on a handle opened with RTLD_GLOBAL, as Open MPI's
/// own plugins need libmpi's symbols global.
///
/// Errors return (MPI_ERRORS_RETURN) and become `TrainError`s naming the call. Open MPI 4 has no timeout on
/// collectives, so a watchdog ends this process when one blocks longer than `DEGRADE_MPI_TIMEOUT` seconds
/// (default 600) — e.g. a peer that hangs without dying; a peer that dies is seen by mpirun, which ends the job.
public final class MPICommunicator: Communicator {
    public let rank: Int
    public let size: Int
    private let api: API
    private let watchdog: CollectiveWatchdog

    struct API {
        let allreduce: degrade_mpi_allreduce
        let errorString: degrade_mpi_error_string
        let abort: degrade_mpi_abort
        let finalize: degrade_mpi_finalize
        let world, float, double, sum, min, max: OpaquePointer
    }

    /// The communicator of the job mpirun started, or nil when this process was not started by mpirun.
    /// - Throws: `TrainError` when libmpi cannot be loaded or initialised.
    public static func launched(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> MPICommunicator? {
        guard let sizeText = environment["OMPI_COMM_WORLD_SIZE"] else { return nil }
        let timeout = environment["DEGRADE_MPI_TIMEOUT"].flatMap(Double.init) ?? 600
        guard timeout > 0, timeout.isFinite else {
            throw TrainError("DEGRADE_MPI_TIMEOUT=\(environment["DEGRADE_MPI_TIMEOUT"] ?? ""): expected a number of seconds above 0")
        }
        return try MPICommunicator(launchedSize: sizeText, timeout: timeout)
    }

    private init(launchedSize: String, timeout: Double) throws {
        let names = ["libmpi.so.40", "libmpi.so"]
        var handle: UnsafeMutableRawPointer?
        for name in names where handle == nil { handle = dlopen(name, RTLD_NOW | RTLD_GLOBAL) }
        guard let handle else {
            let why = dlerror().map { String(cString: $0) } ?? "not found"
            throw TrainError("mpirun started this process (OMPI_COMM_WORLD_SIZE=\(launchedSize)) but Open MPI's library could not be loaded (\(why)); install Debian's libopenmpi3 (tools/setup installs libopenmpi-dev and openmpi-bin)")
        }
        func symbol(_ name: String) throws -> UnsafeMutableRawPointer {
            guard let p = dlsym(handle, name) else { throw TrainError("Open MPI's library has no \(name): degrade needs Open MPI 4 or newer") }
            return p
        }
        func function<F>(_ name: String, _: F.Type) throws -> F { unsafeBitCast(try symbol(name), to: F.self) }
        func object(_ name: String) throws -> OpaquePointer { OpaquePointer(try symbol(name)) }
        let initThread = try function("MPI_Init_thread", degrade_mpi_init_thread.self)
        let commRank = try function("MPI_Comm_rank", degrade_mpi_comm_rank.self)
        let commSize = try function("MPI_Comm_size", degrade_mpi_comm_size.self)
        let setErrhandler = try function("MPI_Comm_set_errhandler", degrade_mpi_comm_set_errhandler.self)
        let api = API(allreduce: try function("MPI_Allreduce", degrade_mpi_allreduce.self),
                  errorString: try function("MPI_Error_string", degrade_mpi_error_string.self),
                  abort: try function("MPI_Abort", degrade_mpi_abort.self),
                  finalize: try function("MPI_Finalize", degrade_mpi_finalize.self),
                  world: try object("ompi_mpi_comm_world"), float: try object("ompi_mpi_float"),
                  double: try object("ompi_mpi_double"), sum: try object("ompi_mpi_op_sum"),
                  min: try object("ompi_mpi_op_min"), max: try object("ompi_mpi_op_max"))
        self.api = api
        var provided: Int32 = 0
        // Collectives are called from one thread (the training loop); the stream's workers never touch MPI.
        try Self.check(initThread(nil, nil, Int32(MPI_THREAD_FUNNELED), &provided), "MPI_Init_thread", api)
        try Self.check(setErrhandler(api.world, OpaquePointer(try symbol("ompi_mpi_errors_return"))), "MPI_Comm_set_errhandler", api)
        var r: Int32 = 0, n: Int32 = 0
        try Self.check(commRank(api.world, &r), "MPI_Comm_rank", api)
        try Self.check(commSize(api.world, &n), "MPI_Comm_size", api)
        rank = Int(r)
        size = Int(n)
        watchdog = CollectiveWatchdog(timeout: timeout, rank: Int(r))
    }

    private static func check(_ code: Int32, _ call: String, _ api: API) throws {
        guard Int(code) != Int(MPI_SUCCESS) else { return }
        var text = [CChar](repeating: 0, count: 1024)  // MPI_MAX_ERROR_STRING is 256 in Open MPI
        var length: Int32 = 0
        _ = api.errorString(code, &text, &length)
        throw TrainError("\(call) failed: \(String(cString: text)) (MPI error \(code)); a rank of the job has probably died — the last checkpoint is intact, rerun with --resume")
    }

    private func allreduce(_ buffer: UnsafeMutableRawPointer?, count: Int, type: OpaquePointer, op: OpaquePointer, call: String) throws {
        guard count > 0 else { return }
        guard count <= Int(Int32.max) else { throw TrainError("\(call): \(count) values exceed MPI's count limit") }
        try watchdog.guarding(call) {
            try Self.check(api.allreduce(UnsafeRawPointer(bitPattern: 1) /* MPI_IN_PLACE */, buffer, Int32(count), type, op, api.world), call, api)
        }
    }

    public func sum(_ values: UnsafeMutableBufferPointer<Float>) throws {
        try allreduce(values.baseAddress, count: values.count, type: api.float, op: api.sum, call: "MPI_Allreduce(MPI_SUM, float)")
    }

    public func sum(_ values: UnsafeMutableBufferPointer<Double>) throws {
        try allreduce(values.baseAddress, count: values.count, type: api.double, op: api.sum, call: "MPI_Allreduce(MPI_SUM, double)")
    }

    public func minimum(_ values: UnsafeMutableBufferPointer<Double>) throws {
        try allreduce(values.baseAddress, count: values.count, type: api.double, op: api.min, call: "MPI_Allreduce(MPI_MIN)")
    }

    public func maximum(_ values: UnsafeMutableBufferPointer<Double>) throws {
        try allreduce(values.baseAddress, count: values.count, type: api.double, op: api.max, call: "MPI_Allreduce(MPI_MAX)")
    }

    public func abort(status: Int32) -> Never {
        _ = api.abort(api.world, status)
        exit(status)
    }

    public func finish() {
        watchdog.stop()
        _ = api.finalize()
    }
}

/// Ends the process when one collective blocks longer than `timeout` seconds: Open MPI 4 cannot time out a
/// collective itself, and a peer that stopped answering without dying would otherwise hang the job for ever.
final class CollectiveWatchdog: Sendable {
    private let timeout: Double
    private let rank: Int
    /// (call, start in seconds since boot) of the collective in progress, nil between collectives.
    private let current = Mutex<(String, Double)?>(nil)
    private let running = Atomic<Bool>(true)

    init(timeout: Double, rank: Int) {
        self.timeout = timeout
        self.rank = rank
        let thread = Thread { [self] in watch() }
        thread.name = "degrade-mpi-watchdog"
        thread.start()
    }

    func guarding<R>(_ call: String, _ body: () throws -> R) rethrows -> R {
        current.withLock { $0 = (call, ProcessInfo.processInfo.systemUptime) }
        defer { current.withLock { $0 = nil } }
        return try body()
    }

    func stop() { running.store(false, ordering: .relaxed) }

    private func watch() {
        while running.load(ordering: .relaxed) {
            Thread.sleep(forTimeInterval: min(1, timeout / 4))
            guard let (call, start) = current.withLock({ $0 }) else { continue }
            let waited = ProcessInfo.processInfo.systemUptime - start
            if waited > timeout {
                let message = "degrade: rank \(rank): \(call) has waited \(Int(waited)) s (DEGRADE_MPI_TIMEOUT=\(Int(timeout))) for the other ranks; ending the job. The last checkpoint is intact; rerun with --resume\n"
                FileHandle.standardError.write(Data(message.utf8))
                _exit(1)  // not exit(): atexit handlers could block on the MPI state the main thread is stuck in
            }
        }
    }
}
