import CasebookCore
import Foundation
import SQLKit

/// What a customer, and their organisation, said about earlier cases: the agent's customer panel shows it before replying.
enum SatisfactionHistoryRepository {
    /// One answered survey.
    struct Rating: Sendable, Equatable {
        let caseNumber: Int
        let score: Int
        let comment: String?
        let answeredAt: Date
    }

    /// How many answers, and their mean on the 1–5 scale.
    struct Summary: Sendable, Equatable {
        let count: Int
        let average: Double
    }

    /// The person's latest answers, newest first.
    static func recent(requester: UUID, limit: Int = 5, on sql: any SQLDatabase) async throws -> [Rating] {
        try await sql.select().column(SQLColumn("number", table: "c")).column(SQLColumn("score", table: "s")).column(SQLColumn("comment", table: "s"))
            .column(SQLColumn("answered_at", table: "s"))
            .from(SQLAlias(SQLIdentifier("satisfaction_surveys"), as: SQLIdentifier("s")))
            .join(SQLAlias(SQLIdentifier("cases"), as: SQLIdentifier("c")), on: SQLColumn("case_id", table: "s"), .equal, SQLColumn("id", table: "c"))
            .where(SQLColumn("requester_id", table: "s"), .equal, SQLBind(requester)).where(SQLColumn("score", table: "s"), .isNot, SQLLiteral.null)
            .orderBy(SQLColumn("answered_at", table: "s"), SQLDirection.descending).limit(limit).all().map {
                Rating(caseNumber: try $0.decode(column: "number", as: Int.self), score: try $0.decode(column: "score", as: Int.self),
                       comment: try $0.decode(column: "comment", as: String?.self), answeredAt: try $0.decode(column: "answered_at", as: Date.self))
            }
    }

    static func summary(requester: UUID, on sql: any SQLDatabase) async throws -> Summary? {
        try await summary(column: "requester_id", id: requester, on: sql)
    }

    static func summary(organisation: UUID, on sql: any SQLDatabase) async throws -> Summary? {
        try await summary(column: "organisation_id", id: organisation, on: sql)
    }

    private static func summary(column: String, id: UUID, on sql: any SQLDatabase) async throws -> Summary? {
        guard let row = try await sql.select().column(SQLFunction("COUNT", args: SQLColumn("score")), as: "n")
            .column(SQLFunction("AVG", args: SQLColumn("score")), as: "average").from("satisfaction_surveys")
            .where(SQLColumn(column), .equal, SQLBind(id)).where("score", .isNot, SQLLiteral.null).first() else { return nil }
        let count = try row.decode(column: "n", as: Int.self)
        return count == 0 ? nil : Summary(count: count, average: try row.decode(column: "average", as: Double.self))
    }
}
