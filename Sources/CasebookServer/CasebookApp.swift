import Vapor

/// Builds a configured Casebook application; the executable and the tests both start here.
public enum CasebookApp {
    public static func make(_ configuration: CasebookConfiguration, environment: Environment = .production,
                            clock: @escaping @Sendable () -> Date = { Date.millisecondNow() }) async throws -> Application {
        let app = try await Application.make(environment)
        do {
            try await configure(app, configuration, clock: clock)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return app
    }
}
