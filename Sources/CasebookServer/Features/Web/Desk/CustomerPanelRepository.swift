import CasebookCore
import Foundation
import SQLKit

/// What the case page's customer panel reads about the requester: who they are, their other cases, their
/// organisation and its latest contract.
enum CustomerPanelRepository {
    struct Person: Sendable {
        let name: String
        let email: String
        let language: String
        let timeZone: String?
    }

    struct OtherCase: Sendable {
        let number: Int
        let subject: String
        let status: String
    }

    struct Contract: Sendable {
        let name: String
        let level: String
        let endsOn: String?
    }

    static func person(_ id: UUID, on sql: any SQLDatabase) async throws -> Person? {
        try await sql.select().columns("name", "email", "language", "time_zone").from("users").where("id", .equal, id).first().map {
            Person(name: try $0.decode(column: "name", as: String.self), email: try $0.decode(column: "email", as: String.self),
                   language: try $0.decode(column: "language", as: String?.self) ?? "en", timeZone: try $0.decode(column: "time_zone", as: String?.self))
        }
    }

    /// The requester's other cases, newest first.
    static func otherCases(of requester: UUID, excluding caseID: UUID, limit: Int, on sql: any SQLDatabase) async throws -> [OtherCase] {
        try await sql.select().columns("number", "subject", "status").from("cases")
            .where("requester_id", .equal, requester).where("id", .notEqual, caseID)
            .orderBy("created_at", .descending).limit(limit).all().map {
                OtherCase(number: try $0.decode(column: "number", as: Int.self), subject: try $0.decode(column: "subject", as: String.self),
                          status: try $0.decode(column: "status", as: String.self))
            }
    }

    static func organisationName(_ id: UUID, on sql: any SQLDatabase) async throws -> String? {
        try await sql.select().column("name").from("organisations").where("id", .equal, id).first()?.decode(column: "name", as: String.self)
    }

    /// The organisation's contract that started last.
    static func latestContract(of organisation: UUID, on sql: any SQLDatabase) async throws -> Contract? {
        try await sql.select().columns("name", "level", "ends_on").from("contracts").where("organisation_id", .equal, organisation)
            .orderBy("starts_on", .descending).first().map {
                Contract(name: try $0.decode(column: "name", as: String.self), level: try $0.decode(column: "level", as: String.self),
                         endsOn: try $0.decode(column: "ends_on", as: String?.self))
            }
    }
}
