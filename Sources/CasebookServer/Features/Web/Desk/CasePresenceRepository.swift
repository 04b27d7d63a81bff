import Foundation
import SQLKit

/// Who has which case open, and who is typing a reply, so two agents do not answer the same customer twice.
/// Kept in the database, so agents on different app instances see each other; a heartbeat older than `ttl` counts as gone.
enum CasePresenceRepository {
    struct Visitor: Sendable, Equatable {
        var userID: UUID
        var name: String
        var replying: Bool
    }

    static let ttl: TimeInterval = 30

    /// Records a heartbeat; `replying` is true while the agent has an unsent draft.
    static func beat(caseID: UUID, userID: UUID, name: String, replying: Bool, now: Date, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "case_presence").where("case_id", .equal, caseID).where("user_id", .equal, userID).run()
        try await sql.insert(into: "case_presence").columns("case_id", "user_id", "name", "replying", "seen_at")
            .values(SQLBind(caseID), SQLBind(userID), SQLBind(name), SQLBind(replying), SQLBind(now)).run()
        // Visitors who closed the page without saying so: the table only ever holds the last half-minute.
        try await sql.delete(from: "case_presence").where("seen_at", .lessThan, now.addingTimeInterval(-ttl)).run()
        CaseChanges.note(caseID)
    }

    static func leave(caseID: UUID, userID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "case_presence").where("case_id", .equal, caseID).where("user_id", .equal, userID).run()
        CaseChanges.note(caseID)
    }

    /// The other agents on the case now, by name.
    static func others(caseID: UUID, besides userID: UUID, now: Date, on sql: any SQLDatabase) async throws -> [Visitor] {
        try await sql.select().columns("user_id", "name", "replying").from("case_presence")
            .where("case_id", .equal, caseID).where("user_id", .notEqual, userID)
            .where("seen_at", .greaterThanOrEqual, now.addingTimeInterval(-ttl)).orderBy("name").all().map {
                Visitor(userID: try $0.decode(column: "user_id", as: UUID.self), name: try $0.decode(column: "name", as: String.self),
                        replying: try $0.decode(column: "replying", as: Bool.self))
            }
    }

    /// The case's version and its newest timeline position: what the live page compares to see that the case moved.
    static func caseMark(_ caseID: UUID, on sql: any SQLDatabase) async throws -> (version: Int, position: Int) {
        let row = try await sql.raw("""
            SELECT cases.version AS version, (SELECT MAX(position) FROM timeline_entries WHERE case_id = cases.id) AS position
            FROM cases WHERE cases.id = \(bind: caseID)
            """).first()
        return (try row?.decode(column: "version", as: Int.self) ?? 0, try row?.decode(column: "position", as: Int?.self) ?? 0)
    }
}
