import CasebookCore
import Foundation

/// One stretch of work on a case.
struct TimeEntry: Codable, Sendable {
    var id: UUID
    var caseID: UUID
    var messageID: UUID?
    var userID: UUID
    var minutes: Int
    var note: String?
    var at: Date

    enum CodingKeys: String, CodingKey { case id, minutes, note, at, caseID = "case_id", messageID = "message_id", userID = "user_id" }

    /// A day's work at most: more is a typing slip, refused naming the field.
    static let minutesRange = 1...1_440

    static func checked(_ minutes: Int, field: String = "minutes") throws -> Int {
        guard minutesRange.contains(minutes) else { throw DomainError.invalid(field, "must be between 1 and 1440 minutes") }
        return minutes
    }

    /// "1 h 25 min", for pages.
    static func readable(_ minutes: Int) -> String {
        minutes < 60 ? "\(minutes) min" : "\(minutes / 60) h" + (minutes % 60 == 0 ? "" : " \(minutes % 60) min")
    }
}

/// Minutes summed under one name in the time report.
struct TimeTotal: Codable, Sendable {
    /// What the time report sums by.
    enum Grouping: String, CaseIterable, Sendable { case organisation, contract, agent }

    var name: String
    var minutes: Int
    var cases: Int
}
