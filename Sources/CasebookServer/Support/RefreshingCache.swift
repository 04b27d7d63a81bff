import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// Keeps a small, rarely changing table (SLA policies, automation rules) in memory.
///
/// Every case write consults these, so reading them each time would cost statements on the hot
/// path. Local admin changes invalidate the copy at once; changes made through another app
/// instance are picked up within `lifetime` seconds.
final class RefreshingCache<Value: Sendable>: Sendable {
    private let cached = NIOLockedValueBox<(loadedAt: Date, value: Value)?>(nil)
    private let load: @Sendable (any SQLDatabase) async throws -> Value
    let lifetime: TimeInterval

    init(lifetime: TimeInterval = 10, load: @escaping @Sendable (any SQLDatabase) async throws -> Value) {
        self.lifetime = lifetime
        self.load = load
    }

    func current(on sql: any SQLDatabase) async throws -> Value {
        let now = Date()
        if let hit = cached.withLockedValue({ $0 }), now.timeIntervalSince(hit.loadedAt) < lifetime { return hit.value }
        let value = try await load(sql)
        cached.withLockedValue { $0 = (now, value) }
        return value
    }

    func invalidate() {
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
