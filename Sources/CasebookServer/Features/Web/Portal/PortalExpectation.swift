import CasebookCore
import Foundation
import SQLKit
import Vapor

/// What a customer can expect next on an open case, in words and in their own time zone, from the service-level
/// clocks: when we will answer, when the next update is due, when we aim to have it resolved.
struct PortalExpectation: Encodable {
    var lines: [String]

    static func load(for record: CaseRecord, req: Request, t: [String: String], language: String) async throws -> PortalExpectation? {
        guard record.status.isActive else { return nil }
        let catalog = try await req.casebook.serviceLevels.current(on: req.store.sql)
        guard let report = try await CaseClock(services: req.casebook).report(for: record, catalog: catalog, on: req.store.sql, now: req.now) else {
            return nil
        }
        let zone = try await timeZone(of: try req.current.user.id, on: req.store.sql)
        let clocks = report.metrics.map { Clock(metric: $0.metric, state: $0.state, dueAt: $0.dueAt, fulfilledAt: $0.fulfilledAt) }
        return build(status: record.status, clocks: clocks, now: req.now, zone: zone, language: language, t: t)
    }

    /// One service-level clock, as far as the customer's expectation needs it.
    struct Clock {
        var metric: SLAMetric
        var state: SLAState
        var dueAt: Date?
        var fulfilledAt: Date?
    }

    /// The lines for these clocks in the reader's words, zone and language (the desk shows the customer's).
    static func build(status: CaseStatus, clocks: [Clock], now: Date, zone: TimeZone, language: String, t: [String: String]) -> PortalExpectation? {
        guard status.isActive else { return nil }
        func when(_ date: Date) -> String { Self.words(date, now: now, zone: zone, language: language) }
        var lines: [String] = []
        if status == .pendingCustomer {
            lines.append(t["expect_waiting"] ?? "We are waiting for your reply; our clock stops until you answer.")
        }
        for clock in clocks {
            if clock.state == .breached {
                let late = t["expect_late"] ?? "We are later than we promised; the team has been alerted."
                if !lines.contains(late) { lines.append(late) }
                continue
            }
            guard let due = clock.dueAt, clock.fulfilledAt == nil else { continue }
            switch clock.metric {
            case .firstResponse: lines.append((t["expect_first_reply"] ?? "We will answer by %@.").replacingOccurrences(of: "%@", with: when(due)))
            case .nextUpdate: lines.append((t["expect_next_update"] ?? "Next update by %@.").replacingOccurrences(of: "%@", with: when(due)))
            case .resolution: lines.append((t["expect_resolution"] ?? "We aim to resolve it by %@.").replacingOccurrences(of: "%@", with: when(due)))
            }
        }
        return lines.isEmpty ? nil : PortalExpectation(lines: lines)
    }

    static func timeZone(of user: UUID, on sql: any SQLDatabase) async throws -> TimeZone {
        let name = try await UserRepository.timeZoneName(of: user, on: sql)
        return name.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
    }

    /// "Thursday 4 December, 14:00 (Europe/Madrid)", in the reader's language and zone.
    static func words(_ date: Date, now: Date, zone: TimeZone, language: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: language)
        formatter.timeZone = zone
        formatter.setLocalizedDateFormatFromTemplate("EEEEdMMMMHHmm")
        return formatter.string(from: date) + " (" + zone.identifier.replacingOccurrences(of: "_", with: " ") + ")"
    }
}
