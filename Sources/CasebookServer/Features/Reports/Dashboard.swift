import CasebookCore
import Foundation
import SQLKit

/// The manager's dashboard: queue health now, the team's responsiveness over the last 30 days, satisfaction, tone,
/// outages avoided, the problems behind most cases and the customers with most open work. Figures over time come from
/// the daily rollups and counts use indexes on status, so it stays quick at a million cases.
struct Dashboard: Codable, Sendable {
    var generatedAt: Date
    var queue: Queue
    var responsiveness: Responsiveness
    var satisfaction: Satisfaction
    var tone: ToneTrend
    var outagesAvoided: Int
    var topProblems: [ProblemCount]
    var mostAffected: [OrganisationCount]

    struct Queue: Codable, Sendable {
        var byStatus: [String: Int]
        var unassigned: Int
        var breachingSoon: Int
        var breached: Int
    }

    /// Medians in hours over the cases opened in the last 30 days (nil when there is nothing to measure yet).
    struct Responsiveness: Codable, Sendable {
        var firstResponseHours: Double?
        var timeBetweenUpdatesHours: Double?
        var resolutionHours: Double?
        var slaAttainmentPercent: Double?
    }

    struct Satisfaction: Codable, Sendable {
        var average: Double?
        var responses: Int
    }

    /// Cases opened with an angry or frustrated first message, this week against the week before.
    struct ToneTrend: Codable, Sendable {
        var flaggedLast7Days: Int
        var flaggedPrevious7Days: Int
    }

    struct ProblemCount: Codable, Sendable {
        var id: UUID
        var title: String
        var cases: Int
    }

    struct OrganisationCount: Codable, Sendable {
        var id: UUID
        var name: String
        var openCases: Int
    }

    static let openStatuses = CaseStatus.allCases.filter(\.isActive).map(\.rawValue)

    static func load(now: Date, on sql: any SQLDatabase) async throws -> Dashboard {
        let today = ReportRollup.utc.localDay(of: now)
        let days = try await ReportQueries.days(from: today.adding(days: -29), to: today, on: sql)
        func median(_ pick: (ReportQueries.Day) -> DurationHistogram) -> Double? {
            days.reduce(into: DurationHistogram()) { $0.merge(pick($1)) }.percentile(0.5).map { ($0 / 60 * 10).rounded() / 10 }
        }
        let slaCases = days.reduce(0) { $0 + $1.slaCases }, slaBreached = days.reduce(0) { $0 + $1.slaBreached }
        let surveyCount = days.reduce(0) { $0 + $1.satisfactionCount }, surveySum = days.reduce(0) { $0 + $1.satisfactionSum }
        // The figures read different rows; asked at once they take as long as the slowest, not the sum.
        async let queueNow = queue(on: sql)
        async let toneNow = tone(now: now, on: sql)
        async let avoided = outagesAvoided(since: now.addingTimeInterval(-90 * 86_400), on: sql)
        async let problems = topProblems(on: sql)
        async let affected = mostAffected(since: now.addingTimeInterval(-30 * 86_400), on: sql)
        return Dashboard(
            generatedAt: now, queue: try await queueNow,
            responsiveness: Responsiveness(firstResponseHours: median { $0.firstResponse }, timeBetweenUpdatesHours: median { $0.updateGaps },
                                           resolutionHours: median { $0.resolution },
                                           slaAttainmentPercent: slaCases == 0 ? nil : (1_000 * Double(slaCases - slaBreached) / Double(slaCases)).rounded() / 10),
            satisfaction: Satisfaction(average: surveyCount == 0 ? nil : (100 * Double(surveySum) / Double(surveyCount)).rounded() / 100, responses: surveyCount),
            tone: try await toneNow, outagesAvoided: try await avoided, topProblems: try await problems, mostAffected: try await affected)
    }

    private static func count(_ query: SQLQueryString, on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    private static func queue(on sql: any SQLDatabase) async throws -> Queue {
        var byStatus = Dictionary(uniqueKeysWithValues: openStatuses.map { ($0, 0) })
        var unassigned = 0
        // One pass over the (status, assignee, group) index answers both counts.
        for row in try await sql.raw("""
            SELECT status, COUNT(*) AS n, SUM(CASE WHEN assignee_id IS NULL THEN 1 ELSE 0 END) AS unassigned
            FROM cases WHERE status IN (\(binds: openStatuses)) GROUP BY status
            """).all() {
            byStatus[try row.decode(column: "status", as: String.self)] = try row.decode(column: "n", as: Int.self)
            unassigned += try row.decode(column: "unassigned", as: Int?.self) ?? 0
        }
        var states: [String: Int] = [:]
        for row in try await sql.raw("""
            SELECT s.state, COUNT(*) AS n FROM case_sla s JOIN cases c ON c.id = s.case_id
            WHERE s.state IN ('warning', 'breached') AND c.status IN (\(binds: openStatuses)) GROUP BY s.state
            """).all() {
            states[try row.decode(column: "state", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return Queue(byStatus: byStatus, unassigned: unassigned, breachingSoon: states["warning"] ?? 0, breached: states["breached"] ?? 0)
    }

    private static func tone(now: Date, on sql: any SQLDatabase) async throws -> ToneTrend {
        let flagged = Tone.allCases.filter(\.isFlagged).map(\.rawValue)
        func between(_ from: Date, _ to: Date) async throws -> Int {
            try await count("SELECT COUNT(*) AS n FROM cases WHERE tone IN (\(binds: flagged)) AND created_at >= \(bind: from) AND created_at < \(bind: to)", on: sql)
        }
        let week = 7 * 86_400.0
        return ToneTrend(flaggedLast7Days: try await between(now.addingTimeInterval(-week), now.addingTimeInterval(1)),
                         flaggedPrevious7Days: try await between(now.addingTimeInterval(-2 * week), now.addingTimeInterval(-week)))
    }

    private static func outagesAvoided(since: Date, on sql: any SQLDatabase) async throws -> Int {
        try await count("SELECT COUNT(*) AS n FROM proactive_incidents WHERE raised_at >= \(bind: since)", on: sql)
    }

    private static func topProblems(on sql: any SQLDatabase) async throws -> [ProblemCount] {
        try await sql.raw("""
            SELECT p.id, p.title, COUNT(pc.case_id) AS n FROM problems p JOIN problem_cases pc ON pc.problem_id = p.id
            WHERE p.status <> 'closed' GROUP BY p.id, p.title ORDER BY n DESC, p.title LIMIT 5
            """).all().map { ProblemCount(id: try $0.decode(column: "id", as: UUID.self), title: try $0.decode(column: "title", as: String.self),
                                          cases: try $0.decode(column: "n", as: Int.self)) }
    }

    /// Organisations with most open cases among those opened in the last 30 days (bounded, so it does not grow with history).
    private static func mostAffected(since: Date, on sql: any SQLDatabase) async throws -> [OrganisationCount] {
        try await sql.raw("""
            SELECT o.id, o.name, COUNT(*) AS n FROM cases c JOIN organisations o ON o.id = c.organisation_id
            WHERE c.created_at >= \(bind: since) AND c.status IN (\(binds: openStatuses))
            GROUP BY o.id, o.name ORDER BY n DESC, o.name LIMIT 5
            """).all().map { OrganisationCount(id: try $0.decode(column: "id", as: UUID.self), name: try $0.decode(column: "name", as: String.self),
                                               openCases: try $0.decode(column: "n", as: Int.self)) }
    }

    /// The figures as CSV rows: figure, value.
    var csv: String {
        var rows: [(String, String)] = queue.byStatus.sorted { $0.key < $1.key }.map { ("open cases: \($0.key)", String($0.value)) }
        rows += [("unassigned", String(queue.unassigned)), ("breaching soon", String(queue.breachingSoon)), ("breached", String(queue.breached))]
        func hours(_ value: Double?) -> String { value.map { String($0) } ?? "" }
        rows += [("first response median hours (30 days)", hours(responsiveness.firstResponseHours)),
                 ("time between updates median hours (30 days)", hours(responsiveness.timeBetweenUpdatesHours)),
                 ("resolution median hours (30 days)", hours(responsiveness.resolutionHours)),
                 ("SLA attainment percent (30 days)", hours(responsiveness.slaAttainmentPercent)),
                 ("satisfaction average (30 days)", hours(satisfaction.average)), ("satisfaction responses (30 days)", String(satisfaction.responses)),
                 ("angry or frustrated cases, last 7 days", String(tone.flaggedLast7Days)),
                 ("angry or frustrated cases, previous 7 days", String(tone.flaggedPrevious7Days)), ("outages avoided (90 days)", String(outagesAvoided))]
        rows += topProblems.map { ("problem: \($0.title)", String($0.cases)) }
        rows += mostAffected.map { ("open cases: \($0.name)", String($0.openCases)) }
        return "figure,value\r\n" + rows.map { CSVField.quote($0.0) + "," + CSVField.quote($0.1) + "\r\n" }.joined()
    }
}
