import Foundation

/// Service-level clock arithmetic: pure functions from a case's history, a policy and "now" to a report.
///
/// Nothing is stored between runs: a clock is always recomputed from the timeline, so changing a
/// policy or a calendar, or replaying a case, gives the same answer, and paused time is never lost.
public enum SLAClock {
    /// The report for a case under `policy` at `now`; nil when the policy has no targets for `priority`.
    public static func report(history: SLAHistory, policy: SLAPolicy, priority: Priority, now: Date) -> SLAReport? {
        guard let targets = policy.targets[priority] else { return nil }
        let segments = history.segments(until: now)
        let calendar = policy.calendar
        let warnShare = Double(min(max(policy.warnAtPercent, 1), 100)) / 100
        var metrics: [SLAMetricReport] = []

        let firstReply = history.publicStaffReplies.first { $0 >= history.openedAt && $0 <= now }
        if let minutes = targets.firstResponseMinutes {
            metrics.append(measure(.firstResponse, target: Double(minutes) * 60, from: history.openedAt, fulfilledAt: firstReply,
                                   segments: segments, calendar: calendar, warnShare: warnShare, now: now))
        }
        if let minutes = targets.nextUpdateMinutes, let firstReply {
            // Waiting on a vendor or parts pauses resolution, but the customer is still owed news on the usual cadence.
            let segments = segments.map { segment in
                segment.mode == .paused(.pendingVendor) ? SLAHistory.Segment(start: segment.start, end: segment.end, mode: .counting) : segment
            }
            let replies = history.publicStaffReplies.filter { $0 >= firstReply && $0 <= now }
            let target = Double(minutes) * 60
            var earlier = 0
            for (from, to) in zip(replies, replies.dropFirst()) {
                let cycle = measure(.nextUpdate, target: target, from: from, fulfilledAt: to, segments: segments, calendar: calendar,
                                    warnShare: warnShare, now: now)
                if cycle.state == .breached { earlier += 1 }
            }
            let current = measure(.nextUpdate, target: target, from: replies.last ?? firstReply, fulfilledAt: nil, segments: segments,
                                  calendar: calendar, warnShare: warnShare, now: now, earlierBreaches: earlier, cycle: max(0, replies.count - 1))
            metrics.append(current)
        }
        if let minutes = targets.resolutionMinutes {
            metrics.append(measure(.resolution, target: Double(minutes) * 60, from: history.openedAt, fulfilledAt: history.resolvedAt(asOf: now),
                                   segments: segments, calendar: calendar, warnShare: warnShare, now: now))
        }
        return SLAReport(policyID: policy.id, policyName: policy.name, kind: policy.kind, timeZone: calendar.timeZone.identifier, metrics: metrics)
    }

    /// One promise: the business time counted from `start` until it was fulfilled (or now).
    static func measure(_ metric: SLAMetric, target: TimeInterval, from start: Date, fulfilledAt: Date?, segments: [SLAHistory.Segment],
                        calendar: BusinessCalendar, warnShare: Double, now: Date, earlierBreaches: Int = 0, cycle: Int = 0) -> SLAMetricReport {
        let end = min(fulfilledAt ?? now, now)
        var used = 0.0, paused = 0.0
        var breachedAt: Date?, warnAt: Date?
        var pausedBy: Set<CaseStatus> = []
        var modeAtEnd: SLAHistory.Mode = .counting
        for segment in segments where segment.end > start && segment.start < end {
            let from = max(segment.start, start), to = min(segment.end, end)
            let worked = calendar.workingSeconds(from: from, to: to)
            modeAtEnd = segment.mode
            switch segment.mode {
            case .counting:
                if warnAt == nil, used + worked >= target * warnShare {
                    warnAt = calendar.date(addingWorkingSeconds: target * warnShare - used, to: from)
                }
                if breachedAt == nil, used + worked > target {
                    breachedAt = calendar.date(addingWorkingSeconds: target - used, to: from)
                }
                used += worked
            case let .paused(status):
                paused += worked
                pausedBy.insert(status)
            case .stopped:
                break
            }
        }
        let fulfilled = fulfilledAt.map { $0 <= now } ?? false
        let state: SLAState
        var dueAt: Date?
        if breachedAt != nil {
            state = .breached
        } else if fulfilled {
            state = .met
        } else if metric != .resolution, modeAtEnd == .stopped {
            state = .stopped
        } else if case .paused = modeAtEnd {
            state = .paused
        } else if modeAtEnd == .stopped {
            state = .stopped
        } else {
            dueAt = calendar.date(addingWorkingSeconds: target - used, to: now)
            if warnAt == nil { warnAt = calendar.date(addingWorkingSeconds: max(0, target * warnShare - used), to: now) }
            state = used >= target * warnShare ? .warning : .running
        }
        return SLAMetricReport(metric: metric, targetSeconds: target, usedSeconds: used, pausedSeconds: paused, state: state,
                               dueAt: dueAt, warnAt: warnAt, breachedAt: breachedAt, fulfilledAt: fulfilled ? fulfilledAt : nil,
                               earlierBreaches: earlierBreaches, cycle: cycle, pausedBy: pausedBy, timeZone: calendar.timeZone)
    }
}

extension SLAMetricReport {
    /// The report's sentence.
    func explain() -> String {
        var parts = ["\(metric.label): \(DurationText.describe(usedSeconds)) of \(DurationText.describe(targetSeconds)) business time used"]
        if pausedSeconds > 0 || !pausedBy.isEmpty {
            let reasons = pausedBy.map(\.words).sorted().joined(separator: ", ")
            parts.append("paused \(DurationText.describe(pausedSeconds)) while \(reasons)")
        }
        let zone = timeZone
        switch state {
        case .breached:
            let when = breachedAt.map { " at \(Self.format($0, zone))" } ?? ""
            parts.append("breached\(when): the \(DurationText.describe(targetSeconds)) target ran out" +
                         (metric == .firstResponse && fulfilledAt == nil ? " with no public reply yet" : "") +
                         (metric == .resolution && fulfilledAt == nil ? " before the case was solved" : "") +
                         (metric == .nextUpdate ? " with no public update since the last one" : ""))
        case .met:
            parts.append("met" + (fulfilledAt.map { " at \(Self.format($0, zone))" } ?? ""))
        case .paused:
            parts.append("the clock resumes when the customer or vendor answers")
        case .stopped:
            parts.append("no longer owed (the case is solved or closed)")
        case .running, .warning:
            if let dueAt { parts.append("due \(Self.format(dueAt, zone)); breaches then if nothing is done") }
            if state == .warning { parts.append("warning: \(percentUsed)% of the target used") }
        }
        if earlierBreaches > 0 { parts.append("\(earlierBreaches) earlier update interval(s) ran over") }
        return parts.joined(separator: "; ") + "."
    }

    /// `2026-11-24 14:00 Europe/Madrid`, without a DateFormatter (recomputing many clocks must stay cheap).
    static func format(_ date: Date, _ zone: TimeZone) -> String {
        let local = Int((date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))).rounded(.down))
        let day = LocalDate(dayNumber: Int((Double(local) / 86_400).rounded(.down)))
        let minute = (local - day.dayNumber * 86_400) / 60
        return "\(day) \(WorkingPeriod.clock(minute)) \(zone.identifier)"
    }
}
