import CasebookCore
import Foundation
import SQLKit

/// The satisfaction report in three steps: the answered surveys of a period (SQL), their figures grouped by agent,
/// group, organisation or month (pure), and the same figures as CSV.
enum SatisfactionReport {
    /// What the report can be grouped by.
    enum Grouping: String, CaseIterable {
        case agent, group, organisation, month
    }

    /// One answered survey, with the names it may be grouped under.
    struct Answer {
        var score: Int
        var answeredAt: Date
        var agent: (key: String, name: String)
        var group: (key: String, name: String)
        var organisation: (key: String, name: String)
    }

    /// Surveys sent in `start..<end`, and those answered then.
    static func answers(from start: Date, to end: Date, on sql: any SQLDatabase) async throws -> (sent: Int, answers: [Answer]) {
        let sent = try await sql.raw("SELECT COUNT(*) AS n FROM satisfaction_surveys WHERE sent_at >= \(bind: start) AND sent_at < \(bind: end)")
            .first()?.decode(column: "n", as: Int.self) ?? 0
        let rows = try await sql.raw("""
            SELECT s.score, s.answered_at, s.agent_id, s.group_id, s.organisation_id, u.name AS agent_name, g.name AS group_name, o.name AS organisation_name
            FROM satisfaction_surveys s LEFT JOIN users u ON u.id = s.agent_id LEFT JOIN groups g ON g.id = s.group_id
            LEFT JOIN organisations o ON o.id = s.organisation_id
            WHERE s.answered_at IS NOT NULL AND s.answered_at >= \(bind: start) AND s.answered_at < \(bind: end)
            """).all()
        func named(_ row: any SQLRow, _ id: String, _ name: String, none: String) throws -> (key: String, name: String) {
            (try row.decode(column: id, as: UUID?.self)?.uuidString.lowercased() ?? "none", try row.decode(column: name, as: String?.self) ?? none)
        }
        let answers = try rows.map { row in
            Answer(score: try row.decode(column: "score", as: Int.self), answeredAt: try row.decode(column: "answered_at", as: Date.self),
                   agent: try named(row, "agent_id", "agent_name", none: "(unassigned)"),
                   group: try named(row, "group_id", "group_name", none: "(no group)"),
                   organisation: try named(row, "organisation_id", "organisation_name", none: "(no organisation)"))
        }
        return (sent, answers)
    }

    /// The figures per bucket: months in order, everything else busiest first.
    static func rows(_ answers: [Answer], by grouping: Grouping) -> [SatisfactionController.ReportRow] {
        let utc = BusinessCalendar.allHours()
        var buckets: [String: (name: String, scores: [Int])] = [:]
        for answer in answers {
            let (key, name): (String, String) = switch grouping {
            case .agent: answer.agent
            case .group: answer.group
            case .organisation: answer.organisation
            case .month: { let month = String(utc.localDay(of: answer.answeredAt).description.prefix(7)); return (month, month) }()
            }
            buckets[key, default: (name, [])].scores.append(answer.score)
        }
        return buckets.map { key, bucket in
            SatisfactionController.ReportRow(key: key, name: bucket.name, responses: bucket.scores.count, average: average(bucket.scores) ?? 0,
                                             satisfiedPercent: rounded(100 * Double(bucket.scores.filter { $0 >= 4 }.count) / Double(bucket.scores.count)))
        }.sorted { grouping == .month ? $0.key < $1.key : ($0.responses, $1.name) > ($1.responses, $0.name) }
    }

    /// The mean score to two places, or nil without answers.
    static func average(_ scores: [Int]) -> Double? {
        scores.isEmpty ? nil : rounded(Double(scores.reduce(0, +)) / Double(scores.count))
    }

    static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    /// The rows as CSV, one line each, fields quoted so a spreadsheet never runs one as a formula.
    static func csv(_ rows: [SatisfactionController.ReportRow], by grouping: Grouping) -> String {
        var csv = "\(grouping.rawValue),name,responses,average,satisfied_percent\r\n"
        for row in rows {
            csv += [row.key, row.name, String(row.responses), String(row.average), String(row.satisfiedPercent)].map(CSVField.quote).joined(separator: ",") + "\r\n"
        }
        return csv
    }
}
