import CasebookCore
import Foundation
import SQLKit

/// Problems (the cause behind many cases), the cases linked to each, and what each linked customer chose and was told.
enum ProblemRepository {
    private static let select = "SELECT p.*, v.name AS fix_version FROM problems p LEFT JOIN product_versions v ON v.id = p.fix_version_id"

    static func find(_ id: UUID, on sql: any SQLDatabase) async throws -> ProblemView? {
        try await sql.raw(SQLQueryString(select) + " WHERE p.id = \(bind: id)").first().map(view)
    }

    /// The 500 most recently changed problems, optionally with one status.
    static func list(status: ProblemStatus?, on sql: any SQLDatabase) async throws -> [ProblemView] {
        var query = SQLQueryString(select)
        if let status { query = query + " WHERE p.status = \(bind: status.rawValue)" }
        return try await sql.raw(query + " ORDER BY p.updated_at DESC LIMIT 500").all().map(view)
    }

    static func insert(_ problem: ProblemView, by userID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "problems")
            .columns("id", "title", "status", "root_cause", "workaround", "product_id", "fix_version_id", "created_by", "created_at", "updated_at")
            .values(SQLBind(problem.id), SQLBind(problem.title), SQLBind(problem.status.rawValue), SQLBind(problem.rootCause), SQLBind(problem.workaround),
                    SQLBind(problem.productID), SQLBind(problem.fixVersionID), SQLBind(userID), SQLBind(now), SQLBind(now))
            .run()
    }

    static func update(_ problem: ProblemView, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("problems").set("title", to: problem.title).set("status", to: problem.status.rawValue)
            .set("root_cause", to: problem.rootCause).set("workaround", to: problem.workaround).set("product_id", to: problem.productID)
            .set("fix_version_id", to: problem.fixVersionID).set("updated_at", to: now).where("id", .equal, problem.id).run()
    }

    static func markFixReleased(_ id: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("problems").set("status", to: ProblemStatus.fixReleased.rawValue).set("fix_released_at", to: now)
            .set("updated_at", to: now).where("id", .equal, id).run()
    }

    /// The cases linked to a problem, by number.
    static func linkedCases(of id: UUID, prefix: String, on sql: any SQLDatabase) async throws -> [ProblemView.LinkedCase] {
        try await sql.raw("""
            SELECT c.number, c.subject, c.status, c.organisation_id, l.choice, l.fix_notified_at FROM problem_cases l JOIN cases c ON c.id = l.case_id
            WHERE l.problem_id = \(bind: id) ORDER BY c.number
            """).all().map { row in
                ProblemView.LinkedCase(reference: Reference(prefix: prefix, number: try row.decode(column: "number", as: Int.self)).description,
                                       subject: try row.decode(column: "subject", as: String.self), status: try row.decode(column: "status", as: String.self),
                                       organisationID: try row.decode(column: "organisation_id", as: UUID?.self),
                                       choice: try row.decode(column: "choice", as: String?.self).flatMap(ProblemChoice.init(rawValue:)),
                                       fixNotifiedAt: try row.decode(column: "fix_notified_at", as: Date?.self))
            }
    }

    /// The numbers of linked cases in one of these statuses.
    static func linkedCaseNumbers(of id: UUID, statuses: [String], on sql: any SQLDatabase) async throws -> [Int] {
        try await sql.raw("""
            SELECT c.number FROM problem_cases l JOIN cases c ON c.id = l.case_id
            WHERE l.problem_id = \(bind: id) AND c.status IN (\(binds: statuses)) ORDER BY c.number
            """).all().map { try $0.decode(column: "number", as: Int.self) }
    }

    /// Linked cases not yet told that the fix is out: their ids, numbers and statuses.
    static func casesAwaitingFixNotice(of id: UUID, on sql: any SQLDatabase) async throws -> [(id: UUID, number: Int, status: CaseStatus?)] {
        try await sql.raw("""
            SELECT c.id, c.number, c.status FROM problem_cases l JOIN cases c ON c.id = l.case_id
            WHERE l.problem_id = \(bind: id) AND l.fix_notified_at IS NULL ORDER BY c.number
            """).all().map {
                (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "number", as: Int.self),
                 CaseStatus(rawValue: try $0.decode(column: "status", as: String.self)))
            }
    }

    static func markFixNotified(problemID: UUID, caseID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("problem_cases").set("fix_notified_at", to: now).where("problem_id", .equal, problemID).where("case_id", .equal, caseID).run()
    }

    /// The problem a case is linked to, and what its customer chose.
    static func link(ofCase caseID: UUID, on sql: any SQLDatabase) async throws -> (problemID: UUID, choice: ProblemChoice?)? {
        try await sql.select().columns("problem_id", "choice").from("problem_cases").where("case_id", .equal, caseID).first().map {
            (try $0.decode(column: "problem_id", as: UUID.self), try $0.decode(column: "choice", as: String?.self).flatMap(ProblemChoice.init(rawValue:)))
        }
    }

    static func caseIDs(of problemID: UUID, on sql: any SQLDatabase) async throws -> [UUID] {
        try await sql.select().column("case_id").from("problem_cases").where("problem_id", .equal, problemID).all()
            .map { try $0.decode(column: "case_id", as: UUID.self) }
    }

    static func addLink(problemID: UUID, caseID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "problem_cases").columns("problem_id", "case_id", "created_at").values(SQLBind(problemID), SQLBind(caseID), SQLBind(now)).run()
    }

    static func recordChoice(_ choice: ProblemChoice, caseID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("problem_cases").set("choice", to: choice.rawValue).set("choice_at", to: now).where("case_id", .equal, caseID).run()
    }

    private static func view(_ row: any SQLRow) throws -> ProblemView {
        ProblemView(id: try row.decode(column: "id", as: UUID.self), title: try row.decode(column: "title", as: String.self),
                    status: ProblemStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .investigating,
                    rootCause: try row.decode(column: "root_cause", as: String?.self), workaround: try row.decode(column: "workaround", as: String?.self),
                    productID: try row.decode(column: "product_id", as: UUID?.self), fixVersionID: try row.decode(column: "fix_version_id", as: UUID?.self),
                    fixVersion: try row.decode(column: "fix_version", as: String?.self), createdAt: try row.decode(column: "created_at", as: Date.self),
                    updatedAt: try row.decode(column: "updated_at", as: Date.self), fixReleasedAt: try row.decode(column: "fix_released_at", as: Date?.self))
    }
}
