import Vapor

/// Builds a configured Casebook application; the executable and the tests both start here.
public enum CasebookApp {
    public static func make(_ configuration: CasebookConfiguration, environment: Environment = .production,
                            clock: @escaping @Sendable () -> Date = { Date.millisecondNow() }) async throws -> Application {
        try await make(configuration, environment: environment, clock: clock, logFlush: { fdatasync($0) })
    }

    /// The same, with the system call that makes SQLite's log durable replaced (tests make it wait, or fail).
    static func make(_ configuration: CasebookConfiguration, environment: Environment, clock: @escaping @Sendable () -> Date,
                     logFlush: @escaping @Sendable (Int32) -> Int32) async throws -> Application {
        let app = try await Application.make(environment)
        do {
            try await configure(app, configuration, clock: clock, logFlush: logFlush)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return app
    }
}
