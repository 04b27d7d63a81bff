import CasebookCore
import CSQLiteSettings
import FluentKit
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SQLiteKit
import SQLiteNIO
import SQLKit
import VaporCSQLite

/// Runs SQL on the write transaction's own SQLite connection in the calling task, without a thread hop.
///
/// SQLiteNIO sends every statement to a thread pool and back: two thread wake-ups per statement, which on a
/// small machine cost more than the statement itself, and a case creation runs about ten statements while it
/// holds SQLite's single writer. Inside the write gate the connection belongs to one task, so its statements
/// can run right there, BEGIN and COMMIT included (see `WriteGate`). The handle is
/// the one SQLiteNIO opened (with SQLite's full mutex), reached by reflection because SQLiteNIO keeps it internal;
/// if a future SQLiteNIO stores it differently, `attach` finds nothing and writes take the usual path.
struct InlineSQLite: SQLDatabase, @unchecked Sendable {
    // The pointer is only used inside the write gate, by the one task that owns the transaction.
    private let handle: OpaquePointer
    private let statements: SQLiteStatementCache
    /// The same transaction the usual way: a statement SQLite refuses is run again through it, so the caller
    /// gets SQLiteNIO's own error (a failed statement changes nothing, and fails the same way again).
    private let usual: any SQLDatabase
    let logger: Logger
    let eventLoop: any EventLoop

    var dialect: any SQLDialect { SQLiteDialect() }
    var version: (any SQLDatabaseReportedVersion)? { nil }
    var queryLogLevel: Logger.Level? { nil }

    /// The inline view of `database`'s connection, or nil when the database is not SQLite (or the handle cannot be found).
    static func attach(to database: any FluentKit.Database, statements: SQLiteStatementCache) async -> InlineSQLite? {
        guard let transaction = database as? any SQLKit.SQLDatabase & SQLiteDatabase else { return nil }
        let found: OpaquePointer?? = try? await transaction.withConnection { connection in rawHandle(of: connection) }
        guard let handle = found ?? nil else { return nil }
        return InlineSQLite(handle: handle, statements: statements, usual: transaction, logger: transaction.logger, eventLoop: transaction.eventLoop)
    }

    /// The handle of each connection seen, so reflection runs once per connection rather than once per transaction.
    private static let knownHandles = NIOLockedValueBox<[ObjectIdentifier: KnownHandle]>([:])

    private struct KnownHandle: @unchecked Sendable {
        // Weak, so an entry for a connection that has gone can never be mistaken for a new one at the same address.
        weak var connection: SQLiteConnection?
        let handle: OpaquePointer
    }

    private static func rawHandle(of connection: SQLiteConnection) -> OpaquePointer? {
        let key = ObjectIdentifier(connection)
        if let known = knownHandles.withLockedValue({ $0[key] }), known.connection === connection, !connection.isClosed { return known.handle }
        guard let handle = reflectedHandle(of: connection) else { return nil }
        keepPlansStable(handle)
        knownHandles.withLockedValue { known in
            known = known.filter { $0.value.connection != nil }
            known[key] = KnownHandle(connection: connection, handle: handle)
        }
        return handle
    }

    /// Turns on SQLite's query planner stability guarantee for a connection, once, when it is first seen.
    ///
    /// Without it SQLite may plan a statement around the values bound to it, and then recompiles the statement every
    /// time a value is bound again: every join with a bound parameter was parsed and planned anew on each run, so the
    /// statement cache saved nothing for them (the sign-in lookup on every API request, 6% of the event loops' time
    /// under case creation). Casebook has no partial indexes, binds no LIMIT, and SQLiteNIO builds SQLite without
    /// STAT4, so no plan of ours depended on a bound value. A connection where it cannot be set works as before.
    static func keepPlansStable(_ handle: OpaquePointer) {
        _ = casebook_sqlite_enable_qpsg(UnsafeMutableRawPointer(handle))
    }

    /// Whether `keepPlansStable` holds for this connection (for tests).
    var plansAreStable: Bool { casebook_sqlite_qpsg_enabled(UnsafeMutableRawPointer(handle)) == 1 }

    private static func reflectedHandle(of connection: SQLiteConnection) -> OpaquePointer? {
        guard let wrapper = Mirror(reflecting: connection).children.first(where: { $0.label == "handle" })?.value else { return nil }
        guard let raw = Mirror(reflecting: wrapper).children.first(where: { $0.label == "raw" })?.value as? OpaquePointer? else { return nil }
        return raw
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        do {
            try run(query, onRow)
            return eventLoop.makeSucceededVoidFuture()
        } catch is Refused {
            return usual.execute(sql: query, onRow)
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        do {
            try run(query, onRow)
        } catch is Refused {
            try await usual.execute(sql: query, onRow)
        }
    }

    /// Runs a statement without parameters or rows (transaction control) on the connection.
    func execute(_ text: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite_nio_sqlite3_exec(handle, text, nil, nil, &message) == SQLITE_OK else {
            let reason = message.map { String(cString: $0) } ?? String(cString: sqlite_nio_sqlite3_errmsg(handle))
            sqlite_nio_sqlite3_free(message)
            throw InlineSQLiteError(message: "\(text): \(reason)")
        }
    }

    /// Leaves the sync of this connection's commits to the caller (`LogSync`): sets `synchronous = NORMAL` and returns
    /// the path of the write-ahead log. Nil, and the connection left as it was, when it writes no log file (an
    /// in-memory database, or another journal mode), so its commits go on syncing themselves.
    func deferLogSync() -> String? {
        guard let name = sqlite_nio_sqlite3_db_filename(handle, "main"), name.pointee != 0,
              pragmaText("PRAGMA journal_mode")?.lowercased() == "wal",
              let log = sqlite_nio_sqlite3_filename_wal(name), log.pointee != 0,
              (try? execute("PRAGMA synchronous = NORMAL")) != nil
        else { return nil }
        return String(cString: log)
    }

    /// Hands the sync of commits back to SQLite (`synchronous = FULL`), after `deferLogSync`.
    func resumeLogSync() {
        try? execute("PRAGMA synchronous = FULL")
    }

    /// The first column of a pragma's first row, as text.
    private func pragmaText(_ text: String) -> String? {
        guard let statement = statements.take(text, on: handle) else { return nil }
        defer { statements.giveBack(statement, text: text, on: handle, keep: true) }
        guard sqlite_nio_sqlite3_step(statement) == SQLITE_ROW, let value = sqlite_nio_sqlite3_column_text(statement, 0) else { return nil }
        return String(cString: value)
    }

    /// SQLite refused the statement before it produced a row.
    private struct Refused: Error {}

    /// Runs the statement `text` once for each row of values, in order. A row SQLite refuses is run again through
    /// `refused` (which reports SQLiteNIO's own error; rows before it stay written, as the caller's transaction decides).
    func runEach(_ text: String, rows: [[RowValue]], refused: ([RowValue]) async throws -> Void) async throws {
        var pending = rows[...]
        while !pending.isEmpty {
            guard let statement = statements.take(text, on: handle) else {
                try await refused(pending.removeFirst())
                continue
            }
            var failed: [RowValue]?
            do {
                while let row = pending.first {
                    pending.removeFirst()
                    do {
                        for (index, value) in row.enumerated() { try bind(value, at: Int32(index + 1), to: statement) }
                        guard sqlite_nio_sqlite3_step(statement) == SQLITE_DONE else { throw Refused() }
                    } catch is Refused {
                        failed = row
                        break
                    }
                    sqlite_nio_sqlite3_reset(statement)
                }
            } catch {
                statements.giveBack(statement, text: text, on: handle, keep: false)
                throw error
            }
            // Given back (reset) before the failed row runs the usual way, so no statement of ours is left mid-run.
            statements.giveBack(statement, text: text, on: handle, keep: failed == nil)
            if let failed { try await refused(failed) }
        }
    }

    /// Binds one typed value as `SQLiteDataEncoder` would store it (ids as upper-case text, dates as seconds).
    private func bind(_ value: RowValue, at position: Int32, to statement: OpaquePointer) throws {
        let status: Int32
        switch value {
        case let .text(string): status = sqlite_nio_sqlite3_bind_text64(statement, position, string, UInt64(string.utf8.count), Self.transient, UInt8(SQLITE_UTF8))
        case let .id(id):
            status = UUIDText.withUTF8(id) { text in
                text.withMemoryRebound(to: CChar.self) { text in
                    sqlite_nio_sqlite3_bind_text64(statement, position, text.baseAddress, UInt64(text.count), Self.transient, UInt8(SQLITE_UTF8))
                }
            }
        case let .date(date): status = sqlite_nio_sqlite3_bind_double(statement, position, date.timeIntervalSince1970)
        case let .integer(number): status = sqlite_nio_sqlite3_bind_int64(statement, position, Int64(number))
        case let .double(number): status = sqlite_nio_sqlite3_bind_double(statement, position, number)
        case .null: status = sqlite_nio_sqlite3_bind_null(statement, position)
        }
        guard status == SQLITE_OK else { throw Refused() }
    }

    private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> ()) throws {
        let (text, rawBinds) = serialize(query)
        let encoder = SQLiteDataEncoder()
        let binds = try rawBinds.map { try Self.fastValue($0) ?? encoder.encode($0) }
        guard let statement = statements.take(text, on: handle) else { throw Refused() }
        var succeeded = false
        defer { statements.giveBack(statement, text: text, on: handle, keep: succeeded && binds.count <= SQLiteStatementCache.maxBindings) }
        try bind(binds, to: statement)
        let count = sqlite_nio_sqlite3_column_count(statement)
        let names = (0..<count).map { String(cString: sqlite_nio_sqlite3_column_name(statement, $0)) }
        var rows = 0
        while true {
            switch sqlite_nio_sqlite3_step(statement) {
            case SQLITE_DONE:
                succeeded = true
                return
            case SQLITE_ROW:
                onRow(InlineRow(names: names, values: (0..<count).map { column(statement, $0) }))
                rows += 1
            default:
                // Rows already handed over cannot be taken back; a failure after them is reported as it is.
                guard rows == 0 else { throw InlineSQLiteError(message: String(cString: sqlite_nio_sqlite3_errmsg(handle))) }
                throw Refused()
            }
        }
    }

    private func bind(_ binds: [SQLiteData], to statement: OpaquePointer) throws {
        for (index, value) in binds.enumerated() {
            let position = Int32(index + 1)
            let status: Int32
            switch value {
            case let .integer(number): status = sqlite_nio_sqlite3_bind_int64(statement, position, Int64(number))
            case let .float(number): status = sqlite_nio_sqlite3_bind_double(statement, position, number)
            case let .text(string): status = sqlite_nio_sqlite3_bind_text64(statement, position, string, UInt64(string.utf8.count), Self.transient, UInt8(SQLITE_UTF8))
            case let .blob(buffer):
                status = buffer.withUnsafeReadableBytes { bytes in
                    sqlite_nio_sqlite3_bind_blob(statement, position, bytes.baseAddress, Int32(bytes.count), Self.transient)
                }
            case .null: status = sqlite_nio_sqlite3_bind_null(statement, position)
            }
            guard status == SQLITE_OK else { throw Refused() }
        }
    }

    /// The common bind types, converted the way `SQLiteDataEncoder` converts them, without its Codable round trip
    /// (a batch of service-level standings binds tens of thousands of ids and dates); nil for anything else.
    static func fastValue(_ value: any Encodable & Sendable) -> SQLiteData? {
        // Concrete types first: a cast to a concrete type (which also unwraps a present optional) is a type
        // comparison, while a cast to a protocol looks the conformance up.
        switch value {
        case let text as String: return .text(text)
        case let id as UUID: return .text(UUIDText.string(id))
        case let date as Date: return .float(date.timeIntervalSince1970)
        case let number as Int: return .integer(number)
        case let number as Double: return .float(number)
        case let flag as Bool: return .integer(flag ? 1 : 0)
        case let optional as any OptionalValue where optional.isNone: return .null
        default: return nil
        }
    }

    private func column(_ statement: OpaquePointer, _ index: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, index)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            // By length, not up to the first NUL: text may hold any character.
            guard let text = sqlite_nio_sqlite3_column_text(statement, index) else { return .text("") }
            let length = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            return .text(String(decoding: UnsafeRawBufferPointer(start: text, count: length), as: UTF8.self))
        case SQLITE_BLOB:
            let length = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            var buffer = ByteBufferAllocator().buffer(capacity: length)
            if length > 0, let bytes = sqlite_nio_sqlite3_column_blob(statement, index) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: length))
            }
            return .blob(buffer)
        default: return .null
        }
    }

    /// SQLite copies bound text and blobs before the call returns (SQLITE_TRANSIENT).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// Lets a bound value say it is an empty optional without knowing its wrapped type.
protocol OptionalValue {
    var isNone: Bool { get }
}

extension Optional: OptionalValue {
    var isNone: Bool { self == nil }
}

/// SQLite failed part way through a statement that had already returned rows, or refused transaction control.
struct InlineSQLiteError: Error, CustomStringConvertible {
    let message: String
    var description: String { "SQLite failed: \(message)" }
}

/// A row read inline, decoded the way SQLiteKit decodes its own rows.
private struct InlineRow: SQLRow {
    let names: [String]
    let values: [SQLiteData]

    var allColumns: [String] { names }

    func contains(column: String) -> Bool { names.contains(column) }

    func decodeNil(column: String) throws -> Bool {
        guard let index = names.firstIndex(of: column) else { return true }
        if case .null = values[index] { return true }
        return false
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let index = names.firstIndex(of: column) else {
            throw DecodingError.keyNotFound(SQLCodingKey(column), .init(codingPath: [], debugDescription: "No column named \(column)"))
        }
        let value = values[index]
        // The column types Casebook reads most, without the general decoder's dynamic casts (a 100,000-case
        // recomputation reads millions of values); anything else, or any mismatch, takes the general path. The wanted
        // type is recognised by its identity, and a value handed over only as exactly that type, so nothing is cast.
        let wanted = ObjectIdentifier(D.self)
        switch value {
        case let .text(text):
            if wanted == Wanted.string { return unsafeBitCast(text, to: D.self) }
            if wanted == Wanted.optionalString { return unsafeBitCast(Optional(text), to: D.self) }
            // UUIDs are stored as their text (as Codable writes them).
            if wanted == Wanted.uuid || wanted == Wanted.optionalUUID, let id = UUIDText.parse(text) {
                return wanted == Wanted.uuid ? unsafeBitCast(id, to: D.self) : unsafeBitCast(Optional(id), to: D.self)
            }
        case let .integer(number):
            if wanted == Wanted.int { return unsafeBitCast(number, to: D.self) }
            if wanted == Wanted.optionalInt { return unsafeBitCast(Optional(number), to: D.self) }
            if wanted == Wanted.bool { return unsafeBitCast(number != 0, to: D.self) }
        case let .float(number):
            if wanted == Wanted.date || wanted == Wanted.optionalDate {
                // Rounded to the microsecond exactly as SQLiteNIO does, so a date reads the same on either path.
                let since = number - Date.timeIntervalBetween1970AndReferenceDate
                let date = Date(timeIntervalSinceReferenceDate: (since * 1e6).rounded() / 1e6)
                return wanted == Wanted.date ? unsafeBitCast(date, to: D.self) : unsafeBitCast(Optional(date), to: D.self)
            }
            if wanted == Wanted.double { return unsafeBitCast(number, to: D.self) }
        case .blob:
            break
        case .null:
            if wanted == Wanted.optionalString { return unsafeBitCast(String?.none, to: D.self) }
            if wanted == Wanted.optionalUUID { return unsafeBitCast(UUID?.none, to: D.self) }
            if wanted == Wanted.optionalDate { return unsafeBitCast(Date?.none, to: D.self) }
            if wanted == Wanted.optionalInt { return unsafeBitCast(Int?.none, to: D.self) }
        }
        return try SQLiteDataDecoder().decode(D.self, from: value)
    }
}

/// The identities of the types `InlineRow` decodes without the general decoder.
private enum Wanted {
    static let string = ObjectIdentifier(String.self), optionalString = ObjectIdentifier(String?.self)
    static let uuid = ObjectIdentifier(UUID.self), optionalUUID = ObjectIdentifier(UUID?.self)
    static let date = ObjectIdentifier(Date.self), optionalDate = ObjectIdentifier(Date?.self)
    static let int = ObjectIdentifier(Int.self), optionalInt = ObjectIdentifier(Int?.self)
    static let bool = ObjectIdentifier(Bool.self), double = ObjectIdentifier(Double.self)
}

/// A column name as a coding key, for decoding errors.
private struct SQLCodingKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
