import Foundation

/// The facts a case's clocks are derived from, all read from its timeline.
public struct SLAHistory: Sendable, Equatable {
    /// One status the case entered, and when.
    public struct StatusChange: Sendable, Equatable {
        public let at: Date
        public let status: CaseStatus

        public init(at: Date, status: CaseStatus) {
            self.at = at
            self.status = status
        }
    }

    public let openedAt: Date
    /// Every status the case has had, in order; the first is its status when opened.
    public let statuses: [StatusChange]
    /// When staff posted public replies, in order.
    public let publicStaffReplies: [Date]

    public init(openedAt: Date, statuses: [StatusChange], publicStaffReplies: [Date]) {
        self.openedAt = openedAt
        self.statuses = statuses.isEmpty ? [StatusChange(at: openedAt, status: .new)] : statuses.sorted { $0.at < $1.at }
        self.publicStaffReplies = publicStaffReplies.sorted()
    }

    /// How the clock runs during a stretch of the case's life.
    public enum Mode: Sendable, Equatable {
        /// Open and in our hands: the clock runs (in business hours).
        case counting
        /// Waiting on the customer or a vendor: the clock is paused.
        case paused(CaseStatus)
        /// Solved or closed: nothing is owed.
        case stopped
    }

    /// A stretch of time with one mode.
    public struct Segment: Sendable, Equatable {
        public let start: Date
        public let end: Date
        public let mode: Mode
    }

    /// The case's life from opening to `now`, cut where its mode changes.
    public func segments(until now: Date) -> [Segment] {
        var result: [Segment] = []
        for (index, change) in statuses.enumerated() where change.at < now {
            let start = max(change.at, openedAt)
            let end = min(index + 1 < statuses.count ? statuses[index + 1].at : now, now)
            guard end > start else { continue }
            let mode: Mode = change.status.isWaiting ? .paused(change.status) : (change.status.isActive ? .counting : .stopped)
            if let last = result.last, last.mode == mode, last.end == start {
                result[result.count - 1] = Segment(start: last.start, end: end, mode: mode)
            } else {
                result.append(Segment(start: start, end: end, mode: mode))
            }
        }
        return result
    }

    /// When the case was last solved or closed, if that is where it is now.
    public func resolvedAt(asOf now: Date) -> Date? {
        let past = statuses.filter { $0.at <= now }
        guard let current = past.last, !current.status.isActive else { return nil }
        var index = past.count - 1
        while index > 0, !past[index - 1].status.isActive { index -= 1 }
        return past[index].at
    }
}
