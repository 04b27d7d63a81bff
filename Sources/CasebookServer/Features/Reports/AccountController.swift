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
              let organisation = try await AccountRepository.organisation(id, on: sql)
        else { throw Problem.notFound("The organisation") }
        let now = req.now
        let today = BusinessCalendar.allHours().localDay(of: now)
        let contracts = try await ContractRepository.list(organisationID: id, limit: nil, on: sql)
        let current = contracts.filter { $0.startsOn <= today && ($0.endsOn.map { $0 >= today } ?? true) }
        let openStatuses = CaseStatus.allCases.filter(\.isActive).map(\.rawValue)
        let counts = try await AccountRepository.counts(of: id, openStatuses: openStatuses, casesSince: now.addingTimeInterval(-90 * 86_400),
                                                        today: today, on: sql)
        let scores = try await AccountRepository.scores(of: id, since: now.addingTimeInterval(-365 * 86_400), on: sql)
        let problems = try await AccountRepository.problems(of: id, limit: 50, on: sql)
            .sorted { ($0.status == "closed" ? 1 : 0, -$0.cases) < ($1.status == "closed" ? 1 : 0, -$1.cases) }
        let prefix = req.casebook.configuration.referencePrefix
        let avoided = try await ProactiveIncidentRepository.avoided(organisationID: id, since: now.addingTimeInterval(-365 * 86_400), now: now, on: sql)
        return AccountView(
            organisationID: id, name: organisation.name, seats: organisation.seats,
            contracts: contracts, renewalOn: current.compactMap(\.endsOn).max(), openCases: counts.openCases, casesLast90Days: counts.casesSince,
            breachedCases: counts.breachedCases, assets: counts.assets, openWorkOrders: counts.openWorkOrders, overdueWorkOrders: counts.overdueWorkOrders, avoidedOutages: avoided.count,
            avoidedOutageCases: avoided.prefix(50).map {
                AccountView.AvoidedOutage(reference: Reference(prefix: prefix, number: $0.number).description, subject: $0.subject,
                                          source: $0.source, raisedAt: $0.raisedAt)
            },
            problems: problems,
            satisfactionResponses: scores.count,
            satisfactionAverage: scores.isEmpty ? nil : (Double(scores.reduce(0, +)) / Double(scores.count) * 100).rounded() / 100)
    }
}
