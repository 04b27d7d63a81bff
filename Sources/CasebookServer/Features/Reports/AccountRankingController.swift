import CasebookCore
import SQLKit
import Vapor

/// `/accounts/ranking`: organisations ranked by cases per seat and by repeat problems, for account managers and sales.
struct AccountRankingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("accounts", "ranking", use: ranking)
    }

    struct Row: Content {
        var organisationID: UUID
        var name: String
        var seats: Int
        var cases: Int
        var casesPerSeat: Double
        /// Problems this organisation hit more than once (two or more of its cases linked to the same problem).
        var repeatProblems: Int
        /// Its cases that turned out to be a known problem.
        var problemCases: Int

        enum CodingKeys: String, CodingKey {
            case name, seats, cases
            case organisationID = "organisation_id", casesPerSeat = "cases_per_seat", repeatProblems = "repeat_problems", problemCases = "problem_cases"
        }
    }

    @Sendable func ranking(req: Request) async throws -> [Row] {
        try req.authorize(.readReports)
        let by = req.query[String.self, at: "by"] ?? "cases_per_seat"
        guard ["cases_per_seat", "repeat_problems"].contains(by) else { throw Problem.badRequest("Query parameter 'by' must be cases_per_seat or repeat_problems.") }
        let days = req.query[Int.self, at: "days"] ?? 90
        guard (1...3_650).contains(days) else { throw Problem.badRequest("Query parameter 'days' must be 1 to 3650.") }
        let since = req.now.addingTimeInterval(-Double(days) * 86_400)
        let sql = req.store.sql
        let cases = try await AccountRepository.casesByOrganisation(since: since, on: sql)
        var problems: [UUID: (repeats: Int, cases: Int)] = [:]
        for (organisation, _, count) in try await AccountRepository.problemCasesByOrganisation(since: since, on: sql) {
            problems[organisation, default: (0, 0)].cases += count
            if count >= 2 { problems[organisation, default: (0, 0)].repeats += 1 }
        }
        let rows = try await AccountRepository.organisations(on: sql).map { id, name, seatCount -> Row in
            let seats = max(1, seatCount)
            let count = cases[id] ?? 0
            return Row(organisationID: id, name: name, seats: seats, cases: count,
                       casesPerSeat: (Double(count) / Double(seats) * 100).rounded() / 100, repeatProblems: problems[id]?.repeats ?? 0,
                       problemCases: problems[id]?.cases ?? 0)
        }
        return rows.sorted { a, b in
            by == "repeat_problems" ? (a.repeatProblems, a.problemCases, b.name) > (b.repeatProblems, b.problemCases, a.name)
                : (a.casesPerSeat, a.cases, b.name) > (b.casesPerSeat, b.cases, a.name)
        }.prefix(200).map { $0 }
    }
}
