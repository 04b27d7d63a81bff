import NIOConcurrencyHelpers
import Vapor
import VaporCSQLite

/// Prepared SQLite statements kept per connection, so a statement Casebook runs again is not parsed again.
///
/// Parsing and planning was the largest single cost of a short statement run inline (`InlineSQLite`): a case
/// creation runs the same few inserts every time. A statement is taken out while it runs and given back reset,
/// with its bindings cleared, so it holds no read snapshot and no value between uses, and two users never share it.
/// `close()` (at application shutdown, before the connections close) finalizes what is kept; SQLite refuses to
/// close a connection that still has statements.
final class SQLiteStatementCache: Sendable {
    /// Statements with more bindings than this are bulk writes whose text differs with their size; caching them
    /// would keep many large plans for little gain.
    static let maxBindings = 64
    /// How many statements one connection keeps; the least recently used one goes first.
    let capacity: Int

    private struct Entry {
        let statement: OpaquePointer
        var lastUse: UInt64
    }

    // Raw pointers are not Sendable; these are only touched under the lock or by the one task holding a statement.
    private struct State: @unchecked Sendable {
        var statements: [Key: Entry] = [:]
        var counts: [UInt: Int] = [:]
        var clock: UInt64 = 0
        var closed = false
    }

    private struct Key: Hashable {
        let connection: UInt
        let text: String
    }

    private let state: NIOLockedValueBox<State>

    init(capacity: Int = 128) {
        self.capacity = capacity
        self.state = NIOLockedValueBox(State())
    }

    /// A prepared statement for `text` on `handle` (a kept one, or a new one), or nil when SQLite refuses the text.
    /// Give it back with `giveBack` when done.
    func take(_ text: String, on handle: OpaquePointer) -> OpaquePointer? {
        let key = Key(connection: UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(handle))), text: text)
        let kept = state.withLockedValue { state -> OpaquePointer? in
            guard let entry = state.statements.removeValue(forKey: key) else { return nil }
            state.counts[key.connection, default: 1] -= 1
            return entry.statement
        }
        if let kept { return kept }
        var statement: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v2(handle, text, -1, &statement, nil) == SQLITE_OK, let statement else {
            sqlite_nio_sqlite3_finalize(statement)
            return nil
        }
        return statement
    }

    /// Resets `statement` and keeps it for the next use of `text` (or finalizes it, once closed or when `keep` is false).
    func giveBack(_ statement: OpaquePointer, text: String, on handle: OpaquePointer, keep: Bool) {
        sqlite_nio_sqlite3_reset(statement)
        sqlite_nio_sqlite3_clear_bindings(statement)
        let key = Key(connection: UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(handle))), text: text)
        let finalize = state.withLockedValue { state -> [OpaquePointer] in
            guard keep, !state.closed, state.statements[key] == nil else { return [statement] }
            state.clock += 1
            state.statements[key] = Entry(statement: statement, lastUse: state.clock)
            state.counts[key.connection, default: 0] += 1
            guard state.counts[key.connection, default: 0] > capacity,
                  let oldest = state.statements.filter({ $0.key.connection == key.connection }).min(by: { $0.value.lastUse < $1.value.lastUse })
            else { return [] }
            state.statements.removeValue(forKey: oldest.key)
            state.counts[key.connection, default: 1] -= 1
            return [oldest.value.statement]
        }
        for statement in finalize { sqlite_nio_sqlite3_finalize(statement) }
    }

    /// How many statements are kept now (for tests).
    var count: Int { state.withLockedValue { $0.statements.count } }

    /// How many times SQLite has compiled the kept statements whose text contains `fragment` again since they were
    /// prepared, or nil when none is kept (for tests).
    func recompilations(matching fragment: String) -> Int? {
        state.withLockedValue { state in
            let kept = state.statements.filter { $0.key.text.contains(fragment) }.values
            guard !kept.isEmpty else { return nil }
            return kept.reduce(0) { $0 + Int(sqlite_nio_sqlite3_stmt_status($1.statement, Int32(SQLITE_STMTSTATUS_REPREPARE), 0)) }
        }
    }

    /// Finalizes every kept statement; statements given back later are finalized at once.
    func close() {
        let all = state.withLockedValue { state -> [OpaquePointer] in
            state.closed = true
            defer { state.statements = [:]; state.counts = [:] }
            return state.statements.values.map(\.statement)
        }
        for statement in all { sqlite_nio_sqlite3_finalize(statement) }
    }
}

extension SQLiteStatementCache: LifecycleHandler {
    // Lifecycle handlers shut down before the application's storage, so this runs while the connections are still open.
    func shutdownAsync(_ application: Application) async { close() }
}
