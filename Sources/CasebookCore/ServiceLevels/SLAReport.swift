import Foundation

/// Where one promise stands.
public enum SLAState: String, Sendable, Codable, CaseIterable {
    /// The clock runs and the target is not yet reached.
    case running
    /// The clock runs and has used at least the warning share of the target.
    case warning
    /// Waiting on the customer or a vendor.
    case paused
    /// Kept.
    case met
    /// Broken.
    case breached
    /// Nothing owed any more (solved before the promise fell due, or no first reply was needed).
    case stopped
}

/// One promise of one case, fully explained.
public struct SLAMetricReport: Sendable, Equatable {
    public let metric: SLAMetric
    public let targetSeconds: TimeInterval
    /// Business time the clock has run.
    public let usedSeconds: TimeInterval
    /// Business time the clock stood still while the case waited on the customer or a vendor.
    public let pausedSeconds: TimeInterval
    public let state: SLAState
    /// When the target falls due if the clock keeps running (nil while paused, met or stopped).
    public let dueAt: Date?
    /// When the warning share is (or was) reached.
    public let warnAt: Date?
    public let breachedAt: Date?
    public let fulfilledAt: Date?
    /// For next-update: how many earlier update intervals ran over.
    public let earlierBreaches: Int
    /// For next-update: which update interval this is (0 for the one after the first reply); 0 otherwise.
    public let cycle: Int
    /// What the clock waited on, and the calendar's zone: what the explanation is written from.
    let pausedBy: Set<CaseStatus>
    let timeZone: TimeZone

    /// A sentence a person can read: how much is used, what paused it, why it is (or will be) breached.
    /// Written when asked for, since recomputing many cases needs the figures, not the sentences.
    public var explanation: String { explain() }

    /// Share of the target used, in percent.
    public var percentUsed: Int { targetSeconds > 0 ? Int((usedSeconds / targetSeconds * 100).rounded(.down)) : 0 }
}

/// A case's service level: the policy that applies and each of its promises.
public struct SLAReport: Sendable, Equatable {
    public let policyID: UUID
    public let policyName: String
    public let kind: SLAKind
    public let timeZone: String
    public let metrics: [SLAMetricReport]

    /// The next moment something changes without anyone acting (a warning or a breach); nil if none.
    public var nextCheckAt: Date? {
        metrics.flatMap { report -> [Date] in
            switch report.state {
            case .running: [report.warnAt, report.dueAt].compactMap { $0 }
            case .warning: [report.dueAt].compactMap { $0 }
            default: []
            }
        }.min()
    }

    /// The worst state across the promises, for queues (breached, then warning, then the rest).
    public var worstState: SLAState {
        let order: [SLAState] = [.breached, .warning, .running, .paused, .met, .stopped]
        return order.first { state in metrics.contains { $0.state == state } } ?? .stopped
    }

    /// The earliest due time among running promises (for "breaching soon" queues).
    public var earliestDueAt: Date? { metrics.compactMap(\.dueAt).min() }
}

/// Human-readable durations: `1d 3h 20m` in business time.
public enum DurationText {
    public static func describe(_ seconds: TimeInterval) -> String {
        let minutes = Int((seconds / 60).rounded())
        if minutes == 0 { return seconds > 0 ? "under 1m" : "0m" }
        // Appended piece by piece: a 100,000-case recomputation writes hundreds of thousands of these.
        var text = ""
        for (amount, unit) in [(minutes / 1440, "d"), ((minutes % 1440) / 60, "h"), (minutes % 60, "m")] where amount > 0 {
            if !text.isEmpty { text += " " }
            text += String(amount) + unit
        }
        return text
    }
}
