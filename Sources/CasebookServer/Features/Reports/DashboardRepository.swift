import CasebookCore
import Foundation
import SQLKit

/// The live counts behind the manager's dashboard and reports, each answered from an index on cases.
enum DashboardRepository {
    /// Open cases per status, and how many of them nobody holds, from the tallies.
    static func openByStatus(_ statuses: [String], on sql: any SQLDatabase) async throws -> (byStatus: [String: Int], unassigned: Int) {
        var byStatus: [String: Int] = [:], unassigned = 0
        for tally in try await CaseTallyRepository.tallies(statuses: statuses, on: sql) {
            byStatus[tally.status, default: 0] += tally.cases
            if tally.unassigned { unassigned += tally.cases }
        }
        return (byStatus, unassigned)
    }

    /// Open cases whose clocks are warning or breached, by state.
    static func clockStates(openStatuses: [String], on sql: any SQLDatabase) async throws -> [String: Int] {
        var states: [String: Int] = [:]
        for row in try await sql.raw("""
            SELECT s.state, COUNT(*) AS n FROM case_sla s JOIN cases c ON c.id = s.case_id
            WHERE s.state IN ('warning', 'breached') AND c.status IN (\(binds: openStatuses)) GROUP BY s.state
            """).all() {
            states[try row.decode(column: "state", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return states
    }

    /// Cases opened in `from..<to` whose customer's tone is one of these.
    static func casesWithTone(_ tones: [String], from: Date, to: Date, on sql: any SQLDatabase) async throws -> Int {
        try await count("SELECT COUNT(*) AS n FROM cases WHERE tone IN (\(binds: tones)) AND created_at >= \(bind: from) AND created_at < \(bind: to)", on: sql)
    }

    /// Open cases opened in `(older, younger]`.
    static func openCases(_ statuses: [String], openedAfter older: Date, upTo younger: Date, on sql: any SQLDatabase) async throws -> Int {
        try await count("""
            SELECT COUNT(*) AS n FROM cases WHERE status IN (\(binds: statuses)) AND created_at <= \(bind: younger) AND created_at > \(bind: older)
            """, on: sql)
    }

    static func incidentsRaised(since: Date, on sql: any SQLDatabase) async throws -> Int {
        try await count("SELECT COUNT(*) AS n FROM proactive_incidents WHERE raised_at >= \(bind: since)", on: sql)
    }

    /// The unclosed problems behind most cases.
    static func topProblems(limit: Int, on sql: any SQLDatabase) async throws -> [Dashboard.ProblemCount] {
        try await sql.raw("""
            SELECT p.id, p.title, COUNT(pc.case_id) AS n FROM problems p JOIN problem_cases pc ON pc.problem_id = p.id
            WHERE p.status <> 'closed' GROUP BY p.id, p.title ORDER BY n DESC, p.title LIMIT \(bind: limit)
            """).all().map { Dashboard.ProblemCount(id: try $0.decode(column: "id", as: UUID.self), title: try $0.decode(column: "title", as: String.self),
                                                    cases: try $0.decode(column: "n", as: Int.self)) }
    }

    /// Organisations with most open cases among those opened since a moment.
    static func mostAffected(since: Date, openStatuses: [String], limit: Int, on sql: any SQLDatabase) async throws -> [Dashboard.OrganisationCount] {
        try await sql.raw("""
            SELECT o.id, o.name, COUNT(*) AS n FROM cases c JOIN organisations o ON o.id = c.organisation_id
            WHERE c.created_at >= \(bind: since) AND c.status IN (\(binds: openStatuses))
            GROUP BY o.id, o.name ORDER BY n DESC, o.name LIMIT \(bind: limit)
            """).all().map { Dashboard.OrganisationCount(id: try $0.decode(column: "id", as: UUID.self), name: try $0.decode(column: "name", as: String.self),
                                                         openCases: try $0.decode(column: "n", as: Int.self)) }
    }

    /// Display names of categories, products or product versions ("Product 2.1") by lower-case id.
    static func names(of ids: [UUID], in kind: ReportQueries.Name, on sql: any SQLDatabase) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        let query: SQLQueryString
        switch kind {
        case .topCategories: query = "SELECT id, name FROM categories WHERE id IN (\(binds: ids))"
        case .topProducts: query = "SELECT id, name FROM products WHERE id IN (\(binds: ids))"
        default: query = "SELECT v.id AS id, p.name || ' ' || v.name AS name FROM product_versions v JOIN products p ON p.id = v.product_id WHERE v.id IN (\(binds: ids))"
        }
        var names: [String: String] = [:]
        for row in try await sql.raw(query).all() {
            names[try row.decode(column: "id", as: UUID.self).uuidString.lowercased()] = try row.decode(column: "name", as: String.self)
        }
        return names
    }

    private static func count(_ query: SQLQueryString, on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
