import Vapor

extension Application {
    private struct JobRunnerKey: StorageKey {
        typealias Value = JobRunner
    }

    /// The durable queue's runner; set once by `configure`.
    var jobs: JobRunner {
        get { configured(JobRunnerKey.self) }
        set { storage[JobRunnerKey.self] = newValue }
    }
}

