import CasebookCore
import SQLKit
import Vapor

/// `/organisations/{id}/account`: what an account manager needs before a customer call or a renewal.
struct AccountController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("organisations", ":id", "account", use: show)
    }

    struct AccountView: Content {
        var organisationID: UUID
        var name: String
        var seats: Int?
        var contracts: [ContractView]
        /// The latest end date among current contracts: when the account comes up for renewal.
        var renewalOn: LocalDate?
        var openCases: Int
        var casesLast90Days: Int
        var breachedCases: Int
        var assets: Int
        var openWorkOrders: Int
        var overdueWorkOrders: Int
        var avoidedOutages: Int
        var avoidedOutageCases: [AvoidedOutage]
        /// Problem records this organisation's cases are linked to, open ones first.
        var problems: [ProblemSummary]
        /// Satisfaction answers over the last year: how many, and their average score (1–5).
        var satisfactionResponses: Int
        var satisfactionAverage: Double?

        struct ProblemSummary: Content {
            var id: UUID
            var title: String
            var status: String
            var cases: Int
        }

        struct AvoidedOutage: Content {
            var reference: String
            var subject: String
            var source: String
            var raisedAt: Date

            enum CodingKeys: String, CodingKey {
                case reference, subject, source
                case raisedAt = "raised_at"
            }
        }

        enum CodingKeys: String, CodingKey {
            case name, seats, contracts, assets
            case organisationID = "organisation_id", renewalOn = "renewal_on", openCases = "open_cases", casesLast90Days = "cases_last_90_days"
            case breachedCases = "breached_cases", openWorkOrders = "open_work_orders", overdueWorkOrders = "overdue_work_orders"
            case avoidedOutages = "avoided_outages", avoidedOutageCases = "avoided_outage_cases"
            case satisfactionResponses = "satisfaction_responses", satisfactionAverage = "satisfaction_average", problems
        }
    }

    @Sendable func show(req: Request) async throws -> AccountView {
        try req.authorize(.readServiceLevels)
        try req.authorize(.readEquipment)
        let sql = req.store.sql
        guard let id = req.parameters.get("id", as: UUID.self),
              let organisation = try await sql.select().columns("name", "seats").from(OrganisationModel.schema).where("id", .equal, id).first()
        else { throw Problem.notFound("The organisation") }
        let now = req.now
        let today = BusinessCalendar.allHours().localDay(of: now)
        let contracts = try await ContractRepository.list(organisationID: id, limit: nil, on: sql)
        let current = contracts.filter { $0.startsOn <= today && ($0.endsOn.map { $0 >= today } ?? true) }
        func count(_ query: SQLQueryString) async throws -> Int {
            try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
        }
        let openStatuses = CaseStatus.allCases.filter(\.isActive).map(\.rawValue)
        let open = try await count("SELECT COUNT(*) AS n FROM cases WHERE organisation_id = \(bind: id) AND status IN (\(binds: openStatuses))")
        let recent = try await count("SELECT COUNT(*) AS n FROM cases WHERE organisation_id = \(bind: id) AND created_at >= \(bind: now.addingTimeInterval(-90 * 86_400))")
        let breached = try await count("""
            SELECT COUNT(*) AS n FROM case_sla s JOIN cases c ON c.id = s.case_id WHERE c.organisation_id = \(bind: id) AND s.breached <> ''
            """)
        let assets = try await count("SELECT COUNT(*) AS n FROM assets WHERE organisation_id = \(bind: id) AND retired = \(bind: false)")
        let openOrders = try await count("SELECT COUNT(*) AS n FROM work_orders WHERE organisation_id = \(bind: id) AND status = 'open'")
        let overdue = try await count("""
            SELECT COUNT(*) AS n FROM work_orders WHERE organisation_id = \(bind: id) AND status = 'open' AND due_on < \(bind: today.description)
            """)
        let scores = try await sql.raw("""
            SELECT score FROM satisfaction_surveys WHERE organisation_id = \(bind: id) AND answered_at >= \(bind: now.addingTimeInterval(-365 * 86_400))
            """).all().map { try $0.decode(column: "score", as: Int.self) }
        let problems = try await sql.raw("""
            SELECT p.id, p.title, p.status, COUNT(*) AS n FROM problem_cases l JOIN problems p ON p.id = l.problem_id JOIN cases c ON c.id = l.case_id
            WHERE c.organisation_id = \(bind: id) GROUP BY p.id, p.title, p.status ORDER BY n DESC LIMIT 50
            """).all().map { row in
                AccountView.ProblemSummary(id: try row.decode(column: "id", as: UUID.self), title: try row.decode(column: "title", as: String.self),
                                           status: try row.decode(column: "status", as: String.self), cases: try row.decode(column: "n", as: Int.self))
            }.sorted { ($0.status == "closed" ? 1 : 0, -$0.cases) < ($1.status == "closed" ? 1 : 0, -$1.cases) }
        let prefix = req.casebook.configuration.referencePrefix
        let avoided = try await ProactiveIncidents.avoided(organisationID: id, since: now.addingTimeInterval(-365 * 86_400), now: now, on: sql)
        return AccountView(
            organisationID: id, name: try organisation.decode(column: "name", as: String.self), seats: try organisation.decode(column: "seats", as: Int?.self),
            contracts: contracts, renewalOn: current.compactMap(\.endsOn).max(), openCases: open, casesLast90Days: recent, breachedCases: breached,
            assets: assets, openWorkOrders: openOrders, overdueWorkOrders: overdue, avoidedOutages: avoided.count,
            avoidedOutageCases: avoided.prefix(50).map {
                AccountView.AvoidedOutage(reference: Reference(prefix: prefix, number: $0.number).description, subject: $0.subject,
                                          source: $0.source, raisedAt: $0.raisedAt)
            },
            problems: problems,
            satisfactionResponses: scores.count,
            satisfactionAverage: scores.isEmpty ? nil : (Double(scores.reduce(0, +)) / Double(scores.count) * 100).rounded() / 100)
    }
}
