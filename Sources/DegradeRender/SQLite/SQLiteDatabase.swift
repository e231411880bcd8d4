import CSQLite
import Foundation

/// A SQLite failure, with the database path and SQLite's own message.
struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String
    public var description: String { "\(path): SQLite: \(message)" }
}

/// A thin, synchronous SQLite connection: one per thread of use (SQLite handles concurrent connections
/// to one file with its own locking; WAL mode lets readers proceed while a writer commits).
public final class SQLiteDatabase {
    public let path: String
    private var handle: OpaquePointer?

    /// SQLite's "transient" destructor: copy bound text/blobs immediately.
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK else {
            let msg = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(handle)
            throw SQLiteError(path: path, message: msg)
        }
        sqlite3_busy_timeout(handle, 10_000)
        if !readOnly {
            try execute("PRAGMA journal_mode=WAL")
            try execute("PRAGMA synchronous=NORMAL")
        }
        try execute("PRAGMA foreign_keys=ON")
    }

    deinit { sqlite3_close_v2(handle) }

    public func execute(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(handle, sql, nil, nil, &err) != SQLITE_OK {
            let msg = err.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(err)
            throw SQLiteError(path: path, message: "\(msg) in `\(sql.prefix(80))`")
        }
    }

    public func prepare(_ sql: String) throws -> SQLiteStatement {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
            throw SQLiteError(path: path, message: "\(lastMessage) in `\(sql.prefix(80))`")
        }
        return SQLiteStatement(stmt, database: self)
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Binds `values` to `sql` and steps it to completion.
    public func run(_ sql: String, _ values: [SQLiteValue] = []) throws {
        let stmt = try prepare(sql)
        try stmt.bind(values)
        while try stmt.step() {}
    }

    /// All rows of a query.
    public func rows(_ sql: String, _ values: [SQLiteValue] = []) throws -> [[SQLiteValue]] {
        let stmt = try prepare(sql)
        try stmt.bind(values)
        var out: [[SQLiteValue]] = []
        while try stmt.step() { out.append(stmt.row()) }
        return out
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }
}

public enum SQLiteValue: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])

    public var int: Int64? { if case let .int(v) = self { return v }; return nil }
    public var double: Double? {
        switch self {
        case let .double(v): return v
        case let .int(v): return Double(v)
        default: return nil
        }
    }
    public var text: String? { if case let .text(v) = self { return v }; return nil }
}

public final class SQLiteStatement {
    private let stmt: OpaquePointer
    private let database: SQLiteDatabase

    init(_ stmt: OpaquePointer, database: SQLiteDatabase) {
        self.stmt = stmt
        self.database = database
    }

    deinit { sqlite3_finalize(stmt) }

    func bind(_ values: [SQLiteValue]) throws {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
        for (i, v) in values.enumerated() {
            let idx = Int32(i + 1)
            let rc: Int32
            switch v {
            case .null: rc = sqlite3_bind_null(stmt, idx)
            case let .int(x): rc = sqlite3_bind_int64(stmt, idx, x)
            case let .double(x): rc = sqlite3_bind_double(stmt, idx, x)
            case let .text(s): rc = sqlite3_bind_text(stmt, idx, s, -1, SQLiteDatabase.transient)
            case let .blob(b): rc = b.withUnsafeBytes { sqlite3_bind_blob(stmt, idx, $0.baseAddress, Int32($0.count), SQLiteDatabase.transient) }
            }
            guard rc == SQLITE_OK else { throw SQLiteError(path: database.path, message: database.lastMessage) }
        }
    }

    /// Advances; true while a row is available.
    public func step() throws -> Bool {
        switch sqlite3_step(stmt) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw SQLiteError(path: database.path, message: database.lastMessage)
        }
    }

    public func row() -> [SQLiteValue] {
        (0..<sqlite3_column_count(stmt)).map { i in
            switch sqlite3_column_type(stmt, i) {
            case SQLITE_INTEGER: return .int(sqlite3_column_int64(stmt, i))
            case SQLITE_FLOAT: return .double(sqlite3_column_double(stmt, i))
            case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(stmt, i)))
            case SQLITE_BLOB:
                let n = Int(sqlite3_column_bytes(stmt, i))
                guard n > 0, let p = sqlite3_column_blob(stmt, i) else { return .blob([]) }
                return .blob(Array(UnsafeRawBufferPointer(start: p, count: n)))
            default: return .null
            }
        }
    }
}
