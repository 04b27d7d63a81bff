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
        let days = try await ReportDayRepository.days(from: today.adding(days: -29), to: today, on: sql)
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

    private static func queue(on sql: any SQLDatabase) async throws -> Queue {
        var byStatus = Dictionary(uniqueKeysWithValues: openStatuses.map { ($0, 0) })
        let open = try await DashboardRepository.openByStatus(openStatuses, on: sql)
        byStatus.merge(open.byStatus) { $1 }
        let states = try await DashboardRepository.clockStates(openStatuses: openStatuses, on: sql)
        return Queue(byStatus: byStatus, unassigned: open.unassigned, breachingSoon: states["warning"] ?? 0, breached: states["breached"] ?? 0)
    }

    private static func tone(now: Date, on sql: any SQLDatabase) async throws -> ToneTrend {
        let flagged = Tone.allCases.filter(\.isFlagged).map(\.rawValue)
        let week = 7 * 86_400.0
        return ToneTrend(
            flaggedLast7Days: try await DashboardRepository.casesWithTone(flagged, from: now.addingTimeInterval(-week), to: now.addingTimeInterval(1), on: sql),
            flaggedPrevious7Days: try await DashboardRepository.casesWithTone(flagged, from: now.addingTimeInterval(-2 * week), to: now.addingTimeInterval(-week),
                                                                              on: sql))
    }

    private static func outagesAvoided(since: Date, on sql: any SQLDatabase) async throws -> Int {
        try await DashboardRepository.incidentsRaised(since: since, on: sql)
    }

    private static func topProblems(on sql: any SQLDatabase) async throws -> [ProblemCount] {
        try await DashboardRepository.topProblems(limit: 5, on: sql)
    }

    /// Organisations with most open cases among those opened in the last 30 days (bounded, so it does not grow with history).
    private static func mostAffected(since: Date, on sql: any SQLDatabase) async throws -> [OrganisationCount] {
        try await DashboardRepository.mostAffected(since: since, openStatuses: openStatuses, limit: 5, on: sql)
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
