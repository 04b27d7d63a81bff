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

