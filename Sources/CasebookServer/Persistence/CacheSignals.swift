import Foundation
import Logging
import NIOConcurrencyHelpers

/// Tells every instance on one PostgreSQL that a cached table (SLA policies, rules, webhooks, the team's addresses)
/// changed, so none serves its old copy until the copy's lifetime runs out, and that cases changed, so their open
/// pages on every instance hear of it (`CaseChanges`). A change is announced with PostgreSQL's
/// NOTIFY on a channel named for the database schema; `CacheListener` hears it on every instance and drops the named
/// copy. On SQLite one process is the only writer, so a local change is all there is and nothing is sent.
final class CacheSignals: Sendable {
    /// The NOTIFY channel, or nil when there is nobody else to tell.
    let channel: String?
    private let caches = NIOLockedValueBox<[String: @Sendable () -> Void]>([:])
    private let sender = NIOLockedValueBox<(@Sendable (String) async throws -> Void)?>(nil)
    private let logger = Logger(label: "casebook.caches")
    private let listening = NIOLockedValueBox(false)
    private let casesHeard = NIOLockedValueBox<(@Sendable (UUID) -> Void)?>(nil)
    /// Announcements of changed cases start with this; the rest is their ids, comma-separated.
    static let casePrefix = "cases:"

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

    /// What to do with each case another instance (or this one) says changed.
    func onCases(_ heard: @escaping @Sendable (UUID) -> Void) {
        casesHeard.withLockedValue { $0 = heard }
    }

    /// Announces changed cases, at most 100 to a notification (NOTIFY takes up to 8,000 bytes).
    func announceCases(_ ids: [UUID]) {
        for start in stride(from: 0, to: ids.count, by: 100) {
            announce(Self.casePrefix + ids[start..<min(start + 100, ids.count)].map(\.uuidString).joined(separator: ","))
        }
    }

    /// Another instance (or this one) announced a change.
    func heard(_ name: String) {
        if name.hasPrefix(Self.casePrefix) {
            guard let wake = casesHeard.withLockedValue({ $0 }) else { return }
            for id in name.dropFirst(Self.casePrefix.count).split(separator: ",").compactMap({ UUID(uuidString: String($0)) }) { wake(id) }
            return
        }
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
        let changes = store.caseChanges
        signals.onCases { changes.heard($0) }
        changes.useAnnouncer { signals.announceCases($0) }
        return signals
    }
}
