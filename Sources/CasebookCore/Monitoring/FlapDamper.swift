import Foundation

/// Recent firing/resolved changes of one alert, and whether it is flapping.
public struct FlapState: Sendable, Equatable, Codable {
    public var changes: [Date]
    public var flapping: Bool

    public init(changes: [Date] = [], flapping: Bool = false) {
        self.changes = changes
        self.flapping = flapping
    }
}

/// Decides when an alert that keeps changing state is flapping, so it stops generating noise on the case.
///
/// Flapping starts at `threshold` state changes within `window`, and ends once fewer than half that
/// many remain in the window (the gap between the two stops it toggling on the boundary).
public struct FlapDamper: Sendable, Equatable {
    public let window: TimeInterval
    public let threshold: Int

    public init(window: TimeInterval = 3_600, threshold: Int = 4) {
        self.window = window
        self.threshold = max(2, threshold)
    }

    public enum Change: Sendable, Equatable {
        case none, started, stopped
    }

    /// Records a state change at `time`.
    public func recordChange(at time: Date, in state: FlapState) -> (FlapState, Change) {
        var next = state
        next.changes = state.changes.filter { time.timeIntervalSince($0) < window } + [time]
        return settle(next, at: time, wasFlapping: state.flapping)
    }

    /// Re-judges the state at `time` with no new change (changes age out of the window).
    public func settle(_ state: FlapState, at time: Date) -> (FlapState, Change) {
        var next = state
        next.changes = state.changes.filter { time.timeIntervalSince($0) < window }
        return settle(next, at: time, wasFlapping: state.flapping)
    }

    private func settle(_ state: FlapState, at time: Date, wasFlapping: Bool) -> (FlapState, Change) {
        var next = state
        if !wasFlapping && next.changes.count >= threshold {
            next.flapping = true
            return (next, .started)
        }
        if wasFlapping && next.changes.count < (threshold + 1) / 2 {
            next.flapping = false
            return (next, .stopped)
        }
        return (next, .none)
    }
}
