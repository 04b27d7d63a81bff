import NIOConcurrencyHelpers
import Vapor

/// Background upkeep of the SQLite file, run every `interval` from boot to shutdown (nothing on PostgreSQL).
final class SQLiteChore: LifecycleHandler {
    typealias Work = @Sendable (Store) async throws -> Void

    private let name: String
    private let interval: Duration
    private let work: Work
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(_ name: String, every interval: Duration, _ work: @escaping Work) {
        self.name = name
        self.interval = interval
        self.work = work
    }

    func didBootAsync(_ application: Application) async throws {
        guard DatabaseSetup.isSQLite(application) else { return }
        let store = application.casebook.store
        let (logger, name, interval, work) = (application.logger, name, interval, work)
        task.withLockedValue { running in
            running = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    let began = ContinuousClock.now
                    do {
                        try await work(store)
                        JobRunner.noteIfSlow("chore", name: name, since: began, logger: logger)
                    } catch {
                        logger.warning("\(name) failed", metadata: ["error": "\(error)"])
                    }
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        let running = task.withLockedValue { running in
            defer { running = nil }
            return running
        }
        running?.cancel()
        await running?.value
    }
}
