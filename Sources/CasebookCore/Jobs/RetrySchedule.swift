import Foundation

/// When a failed background job runs again, and when it stops being retried.
///
/// Exponential backoff keeps a broken mail server or a bad message from being hammered while it
/// is down, and the cap keeps a job that failed at night from waiting until next week.
public struct RetrySchedule: Sendable, Equatable {
    public let firstDelay: TimeInterval
    public let maximumDelay: TimeInterval
    public let maxAttempts: Int

    public init(firstDelay: TimeInterval = 10, maximumDelay: TimeInterval = 3600, maxAttempts: Int = 8) {
        precondition(firstDelay > 0 && maximumDelay >= firstDelay && maxAttempts >= 1)
        self.firstDelay = firstDelay
        self.maximumDelay = maximumDelay
        self.maxAttempts = maxAttempts
    }

    /// The wait after the `attempt`-th failure (1-based): 10 s, 20 s, 40 s, … up to the cap.
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        let exponent = Double(max(0, min(attempt - 1, 40)))
        return min(maximumDelay, firstDelay * pow(2, exponent))
    }

    /// What happens after the `attempt`-th failure: another try at a time, or the dead-letter list.
    public func next(afterAttempt attempt: Int, failedAt: Date) -> RetryDecision {
        attempt >= maxAttempts ? .giveUp : .retry(at: failedAt.addingTimeInterval(delay(afterAttempt: attempt)))
    }
}

/// The outcome of a failed attempt.
public enum RetryDecision: Sendable, Equatable {
    case retry(at: Date)
    case giveUp
}
