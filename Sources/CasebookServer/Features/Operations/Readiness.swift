import NIOConcurrencyHelpers
import Vapor

/// Whether this instance should still be sent work: it stops being ready the moment it is asked to stop, while it
/// still answers, so a load balancer's health check takes it out before it stops accepting connections.
final class Readiness: Sendable {
    private let stopping = NIOLockedValueBox(false)

    /// True from the start of a graceful stop.
    var isStopping: Bool { stopping.withLockedValue { $0 } }

    /// Says from now on that this instance is stopping (`/healthz` answers 503).
    func beginStopping() {
        stopping.withLockedValue { $0 = true }
    }
}

extension Application {
    private struct ReadinessKey: StorageKey {
        typealias Value = Readiness
    }

    /// This instance's readiness; set once by `configure`.
    var readiness: Readiness {
        get { configured(ReadinessKey.self) }
        set { storage[ReadinessKey.self] = newValue }
    }
}
