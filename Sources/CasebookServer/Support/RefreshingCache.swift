import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// Keeps a small, rarely changing table (SLA policies, automation rules) in memory.
///
/// Every case write consults these, so reading them each time would cost statements on the hot
/// path. A change drops the copy at once, here and (through `signals`) on every other instance on the
/// same PostgreSQL; `lifetime` only bounds how stale a copy can get if an announcement is lost.
final class RefreshingCache<Value: Sendable>: Sendable {
    private let cached = NIOLockedValueBox<(loadedAt: Date, value: Value)?>(nil)
    private let load: @Sendable (any SQLDatabase) async throws -> Value
    private let name: String
    private let signals: CacheSignals?
    let lifetime: TimeInterval

    init(_ name: String, signals: CacheSignals? = nil, lifetime: TimeInterval = 10,
         load: @escaping @Sendable (any SQLDatabase) async throws -> Value) {
        self.name = name
        self.signals = signals
        self.lifetime = lifetime
        self.load = load
        signals?.register(name) { [cached] in cached.withLockedValue { $0 = nil } }
    }

    func current(on sql: any SQLDatabase) async throws -> Value {
        let now = Date()
        if let hit = cached.withLockedValue({ $0 }), now.timeIntervalSince(hit.loadedAt) < lifetime { return hit.value }
        let value = try await load(sql)
        cached.withLockedValue { $0 = (now, value) }
        return value
    }

    /// Drops the copy after a change made here, and tells the other instances to drop theirs.
    func invalidate() {
        dropCopy()
        signals?.announce(name)
    }

    /// Drops this instance's copy only, when nothing changed but a fresh read is wanted.
    func dropCopy() {
        cached.withLockedValue { $0 = nil }
    }

    /// What was last loaded, however old, without waiting: for callers that cannot wait (an SMTP RCPT check).
    var lastLoaded: Value? { cached.withLockedValue { $0?.value } }

    /// Loads afresh now.
    func reload(on sql: any SQLDatabase) async throws {
        invalidate()
        _ = try await current(on: sql)
    }
}
