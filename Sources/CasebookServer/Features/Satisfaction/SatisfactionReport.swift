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
        (try await SurveyRepository.sentCount(from: start, to: end, on: sql), try await SurveyRepository.answers(from: start, to: end, on: sql))
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
