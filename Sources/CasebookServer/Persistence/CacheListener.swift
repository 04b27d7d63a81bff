import NIOConcurrencyHelpers
import PostgresKit
import Vapor

/// Listens, on a connection of its own, for other instances' announcements that a cached table changed
/// (`CacheSignals`), from boot to shutdown, reconnecting with back-off when the connection drops (nothing on SQLite).
final class CacheListener: LifecycleHandler {
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)
    private let connection = NIOLockedValueBox<PostgresConnection?>(nil)

    func didBootAsync(_ application: Application) async throws {
        guard case let .postgres(url, _) = application.casebook.configuration.database,
              let channel = application.casebook.cacheSignals.channel else { return }
        let settings = try SQLPostgresConfiguration(url: url).coreConfiguration
        let signals = application.casebook.cacheSignals
        let (eventLoop, logger, current) = (application.eventLoopGroup.any(), application.logger, connection)
        task.withLockedValue { running in
            running = Task {
                var failures = 0
                while !Task.isCancelled {
                    do {
                        let opened = try await PostgresConnection.connect(on: eventLoop, configuration: settings, id: 0, logger: logger).get()
                        current.withLockedValue { $0 = opened }
                        try await opened.listen(on: channel) { notifications in
                            // Whatever changed before this connection listened went unheard.
                            signals.dropAll()
                            signals.markListening(true)
                            failures = 0
                            for try await notification in notifications { signals.heard(notification.payload) }
                        }
                    } catch {
                        if !Task.isCancelled { logger.warning("cache announcements unheard; reconnecting", metadata: ["error": "\(error)"]) }
                    }
                    signals.markListening(false)
                    signals.dropAll()
                    if let opened = current.withLockedValue({ connection in defer { connection = nil }; return connection }) {
                        try? await opened.close()
                    }
                    failures += 1
                    try? await Task.sleep(for: .milliseconds(min(30_000, 250 << min(failures, 7))))
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        let running = task.withLockedValue { running in defer { running = nil }; return running }
        running?.cancel()
        // Closing the connection ends the wait for the next announcement.
        try? await connection.withLockedValue({ $0 })?.close()
        await running?.value
    }
}
