import Vapor

extension Application {
    private struct JobRunnerKey: StorageKey {
        typealias Value = JobRunner
    }

    /// The durable queue's runner; set once by `configure`.
    var jobs: JobRunner {
        get {
            guard let runner = storage[JobRunnerKey.self] else { fatalError("configure(_:_:) has not run for this application") }
            return runner
        }
        set { storage[JobRunnerKey.self] = newValue }
    }
}

/// Starts and stops the work that runs beside the HTTP server (the job loop, the SMTP listener).
struct BackgroundWork: LifecycleHandler {
    func didBootAsync(_ application: Application) async throws {
        if application.casebook.configuration.runsJobs { application.jobs.start() }
    }

    func shutdownAsync(_ application: Application) async {
        await application.jobs.stop()
    }
}
