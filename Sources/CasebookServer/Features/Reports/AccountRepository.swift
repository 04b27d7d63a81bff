import CasebookCore
import Foundation
import SQLKit

/// What the account pages read about an organisation: its size, open work, service, satisfaction and problems.
enum AccountRepository {
    /// An organisation's name and seats.
    static func organisation(_ id: UUID, on sql: any SQLDatabase) async throws -> (name: String, seats: Int?)? {
        try await sql.select().columns("name", "seats").from(OrganisationModel.schema).where("id", .equal, id).first()
            .map { (try $0.decode(column: "name", as: String.self), try $0.decode(column: "seats", as: Int?.self)) }
    }

    /// The counts an account page shows.
    struct Counts: Sendable {
        var openCases = 0
        var casesSince = 0
        var breachedCases = 0
        var assets = 0
        var openWorkOrders = 0
        var overdueWorkOrders = 0
    }

    static func counts(of id: UUID, openStatuses: [String], casesSince: Date, today: LocalDate, on sql: any SQLDatabase) async throws -> Counts {
        func count(_ query: SQLQueryString) async throws -> Int {
            try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
        }
        var counts = Counts()
        counts.openCases = try await count("SELECT COUNT(*) AS n FROM cases WHERE organisation_id = \(bind: id) AND status IN (\(binds: openStatuses))")
        counts.casesSince = try await count("SELECT COUNT(*) AS n FROM cases WHERE organisation_id = \(bind: id) AND created_at >= \(bind: casesSince)")
        counts.breachedCases = try await count("""
            SELECT COUNT(*) AS n FROM case_sla s JOIN cases c ON c.id = s.case_id WHERE c.organisation_id = \(bind: id) AND s.breached <> ''
            """)
        counts.assets = try await count("SELECT COUNT(*) AS n FROM assets WHERE organisation_id = \(bind: id) AND retired = \(bind: false)")
        counts.openWorkOrders = try await count("SELECT COUNT(*) AS n FROM work_orders WHERE organisation_id = \(bind: id) AND status = 'open'")
        counts.overdueWorkOrders = try await count("""
            SELECT COUNT(*) AS n FROM work_orders WHERE organisation_id = \(bind: id) AND status = 'open' AND due_on < \(bind: today.description)
            """)
        return counts
    }

    /// Satisfaction scores the organisation's people gave since a moment.
    static func scores(of id: UUID, since: Date, on sql: any SQLDatabase) async throws -> [Int] {
        try await sql.raw("""
            SELECT score FROM satisfaction_surveys WHERE organisation_id = \(bind: id) AND answered_at >= \(bind: since)
            """).all().map { try $0.decode(column: "score", as: Int.self) }
    }

    /// The problems behind the organisation's cases, with how many of its cases each is behind.
    static func problems(of id: UUID, limit: Int, on sql: any SQLDatabase) async throws -> [AccountController.AccountView.ProblemSummary] {
        try await sql.raw("""
            SELECT p.id, p.title, p.status, COUNT(*) AS n FROM problem_cases l JOIN problems p ON p.id = l.problem_id JOIN cases c ON c.id = l.case_id
            WHERE c.organisation_id = \(bind: id) GROUP BY p.id, p.title, p.status ORDER BY n DESC LIMIT \(bind: limit)
            """).all().map { row in
                AccountController.AccountView.ProblemSummary(id: try row.decode(column: "id", as: UUID.self), title: try row.decode(column: "title", as: String.self),
                                           status: try row.decode(column: "status", as: String.self), cases: try row.decode(column: "n", as: Int.self))
            }
    }

    /// Cases opened since a moment, per organisation.
    static func casesByOrganisation(since: Date, on sql: any SQLDatabase) async throws -> [UUID: Int] {
        var cases: [UUID: Int] = [:]
        for row in try await sql.raw("""
            SELECT organisation_id, COUNT(*) AS n FROM cases WHERE organisation_id IS NOT NULL AND created_at >= \(bind: since) GROUP BY organisation_id
            """).all() {
            cases[try row.decode(column: "organisation_id", as: UUID.self)] = try row.decode(column: "n", as: Int.self)
        }
        return cases
    }

    /// For each organisation, how many of its cases opened since a moment each problem is behind.
    static func problemCasesByOrganisation(since: Date, on sql: any SQLDatabase) async throws -> [(organisation: UUID, problem: UUID, cases: Int)] {
        try await sql.raw("""
            SELECT c.organisation_id, l.problem_id, COUNT(*) AS n FROM problem_cases l JOIN cases c ON c.id = l.case_id
            WHERE c.organisation_id IS NOT NULL AND c.created_at >= \(bind: since) GROUP BY c.organisation_id, l.problem_id
            """).all().map {
                (try $0.decode(column: "organisation_id", as: UUID.self), try $0.decode(column: "problem_id", as: UUID.self), try $0.decode(column: "n", as: Int.self))
            }
    }

    /// Every organisation's id, name and seats.
    static func organisations(on sql: any SQLDatabase) async throws -> [(id: UUID, name: String, seats: Int)] {
        try await sql.select().columns("id", "name", "seats").from(OrganisationModel.schema).all()
            .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self), try $0.decode(column: "seats", as: Int.self)) }
    }
}
