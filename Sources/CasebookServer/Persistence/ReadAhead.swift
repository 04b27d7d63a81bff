/// A read a page starts early and takes when it needs it. On PostgreSQL it starts at once on a pooled connection of
/// its own, so a page's independent reads run side by side instead of one round trip after another; on SQLite, where a
/// `reading` block holds one connection that one task at a time may use, it runs when first asked for, as before.
struct ReadAhead<Value: Sendable>: Sendable {
    private let started: Task<Value, any Error>?
    private let later: (@Sendable () async throws -> Value)?

    init(_ store: Store, _ read: @escaping @Sendable () async throws -> Value) {
        if store.readsSideBySide {
            (started, later) = (Task { try await read() }, nil)
        } else {
            (started, later) = (nil, read)
        }
    }

    /// The read's result, waiting for it when it is still running.
    var value: Value {
        get async throws {
            if let started { return try await started.value }
            return try await later!()
        }
    }
}

extension Store {
    /// Whether reads may run side by side on several connections: on PostgreSQL; not inside SQLite's inline reading.
    var readsSideBySide: Bool { !gate.isEnabled && Self.inlineConnection == nil }
}
