import CasebookCore
import Foundation
import SQLKit

/// A member of staff following a case.
struct CaseFollower: Sendable, Equatable, Codable {
    let userID: UUID
    let name: String
    let email: String
    let since: Date

    enum CodingKeys: String, CodingKey {
        case name, email, since
        case userID = "user_id"
    }
}

/// Who follows which case.
enum FollowerRepository {
    static func followers(of caseID: UUID, on sql: any SQLDatabase) async throws -> [CaseFollower] {
        try await sql.raw("""
            SELECT f.user_id, f.created_at, u.name, u.email FROM case_followers f JOIN users u ON u.id = f.user_id
            WHERE f.case_id = \(bind: caseID) ORDER BY u.name, u.email
            """).all().map { row in
            CaseFollower(userID: try row.decode(column: "user_id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                         email: try row.decode(column: "email", as: String.self), since: try row.decode(column: "created_at", as: Date.self))
        }
    }

    static func followerIDs(of caseID: UUID, on sql: any SQLDatabase) async throws -> [UUID] {
        try await sql.select().column("user_id").from("case_followers").where("case_id", .equal, caseID).all()
            .map { try $0.decode(column: "user_id", as: UUID.self) }
    }

    /// Adds a follower; following twice changes nothing.
    static func follow(_ caseID: UUID, by userID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO case_followers (id, case_id, user_id, created_at) VALUES (\(bind: RecordID.make()), \(bind: caseID), \(bind: userID), \(bind: now))
            ON CONFLICT (case_id, user_id) DO NOTHING
            """).run()
    }

    static func unfollow(_ caseID: UUID, by userID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "case_followers").where("case_id", .equal, caseID).where("user_id", .equal, userID).run()
    }

    /// A merged case's followers follow the case that remains.
    static func move(from caseID: UUID, to survivor: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        for userID in try await followerIDs(of: caseID, on: sql) { try await follow(survivor, by: userID, at: now, on: sql) }
    }
}
