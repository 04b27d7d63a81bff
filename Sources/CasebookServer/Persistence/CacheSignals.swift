import Foundation
import Logging
import NIOConcurrencyHelpers

/// Tells every instance on one PostgreSQL that a cached table (SLA policies, rules, webhooks, the team's addresses)
/// changed, so none serves its old copy until the copy's lifetime runs out. A change is announced with PostgreSQL's
/// NOTIFY on a channel named for the database schema; `CacheListener` hears it on every instance and drops the named
/// copy. On SQLite one process is the only writer, so a local change is all there is and nothing is sent.
final class CacheSignals: Sendable {
    /// The NOTIFY channel, or nil when there is nobody else to tell.
    let channel: String?
    private let caches = NIOLockedValueBox<[String: @Sendable () -> Void]>([:])
    private let sender = NIOLockedValueBox<(@Sendable (String) async throws -> Void)?>(nil)
    private let logger = Logger(label: "casebook.caches")
    private let listening = NIOLockedValueBox(false)

    init(channel: String?) {
        self.channel = channel
    }

    /// The channel for a PostgreSQL schema: notifications reach every session of the database, so instances in other
    /// schemas (the test suite's, a second site's) must not hear each other.
    static func channel(schema: String?) -> String {
        "casebook_caches" + (schema.map { "_" + $0 } ?? "")
    }

    /// Names a cache and how to drop its copy.
    func register(_ name: String, drop: @escaping @Sendable () -> Void) {
        caches.withLockedValue { $0[name] = drop }
    }

    /// How a change is announced (set once the database is set up).
    func useSender(_ send: @escaping @Sendable (String) async throws -> Void) {
        sender.withLockedValue { $0 = send }
    }

    /// Announces that `name` changed here; failing to tell the others leaves them on their copy's lifetime, as before.
    func announce(_ name: String) {
        guard channel != nil, let send = sender.withLockedValue({ $0 }) else { return }
        let logger = self.logger
        Task {
            do { try await send(name) } catch {
                logger.warning("could not tell other instances a cache changed", metadata: ["cache": "\(name)", "error": "\(error)"])
            }
        }
    }

    /// Another instance (or this one) announced a change.
    func heard(_ name: String) {
        caches.withLockedValue { $0[name] }?()
    }

    /// Whether this instance hears other instances' announcements now.
    var isListening: Bool { listening.withLockedValue { $0 } }

    func markListening(_ now: Bool) {
        listening.withLockedValue { $0 = now }
    }

    /// Drops every copy: after the listener lost its connection, announcements may have been missed.
    func dropAll() {
        for drop in caches.withLockedValue({ Array($0.values) }) { drop() }
    }
}

extension CacheSignals {
    /// Signals for a database: announced through PostgreSQL's NOTIFY, or kept in this process on SQLite.
    static func make(for database: CasebookConfiguration.DatabaseLocation, store: Store) -> CacheSignals {
        guard case let .postgres(_, schema) = database else { return CacheSignals(channel: nil) }
        let channel = channel(schema: schema)
        let signals = CacheSignals(channel: channel)
        signals.useSender { name in try await store.sql.raw("SELECT pg_notify(\(bind: channel), \(bind: name))").run() }
        return signals
    }
}
