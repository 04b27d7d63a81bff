import CasebookCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// Organisations as CSV: name, domain, shares_cases, seats, account_manager (a staff email). A known name is updated.
struct OrganisationCSV {
    static let columns = ["name", "domain", "shares_cases", "seats", "account_manager"]

    private struct Plan {
        var outcome: CSVRowOutcome
        var name = ""
        var domain: String?
        var sharesCases: Bool?
        var seats: Int?
        var accountManagerID: UUID?
        var existing: UUID?
    }

    static func run(_ table: CSVTable, mode: CSVImportMode, skipBadRows: Bool, on db: any Database, sql: any SQLDatabase,
                    now: Date) async throws -> CSVImportResult {
        let organisations = try await OrganisationRepository.idsByName(on: sql)
        let staff = try await UserRepository.staffByEmail(on: sql)
        var seen: [String: Int] = [:]
        var plans: [Plan] = []
        for (index, row) in table.rows.enumerated() {
            let values = table.values(row).mapValues { PeopleCSV.cell($0) ?? $0 }
            var plan = Plan(outcome: CSVRowOutcome(row: index + 2, action: "create", key: values["name"] ?? ""))
            var errors: [String] = []
            do { plan.name = try Validate.name(values["name"] ?? "", field: "name") } catch let DomainError.invalid(field, message) {
                errors.append("\(field) \(message)")
            }
            if let domain = values["domain"]?.lowercased() {
                if domain.contains("."), domain.count <= 253, domain.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) {
                    plan.domain = domain
                } else {
                    errors.append("domain must be a mail domain such as example.com")
                }
            }
            if let text = values["shares_cases"]?.lowercased() {
                if let flag = ["yes": true, "true": true, "1": true, "no": false, "false": false, "0": false][text] { plan.sharesCases = flag } else {
                    errors.append("shares_cases must be yes or no")
                }
            }
            if let text = values["seats"] {
                if let seats = Int(text), (0...1_000_000).contains(seats) { plan.seats = seats } else { errors.append("seats must be a whole number from 0") }
            }
            if let email = values["account_manager"]?.lowercased() {
                if let id = staff[email] { plan.accountManagerID = id } else { errors.append("account_manager \(email) is not a member of staff") }
            }
            if !plan.name.isEmpty {
                plan.outcome.key = plan.name
                let key = plan.name.lowercased()
                if let first = seen[key] { errors.append("name \(plan.name) is also on row \(first)") } else { seen[key] = index + 2 }
                if let id = organisations[key] {
                    plan.existing = id
                    plan.outcome.action = "update"
                }
            }
            if !errors.isEmpty { plan.outcome.errors = errors; plan.outcome.action = "skip" }
            plans.append(plan)
        }
        let outcomes = plans.map(\.outcome)
        guard mode == .apply else { return CSVImportResult(mode: mode, outcomes: outcomes, applied: false) }
        try PeopleCSV.refuseBadRows(outcomes, skipping: skipBadRows)
        for plan in plans where plan.outcome.errors == nil {
            let model = try await plan.existing.asyncFlatMap { try await OrganisationModel.find($0, on: db) }
                ?? OrganisationModel(name: plan.name, domain: nil, accountManagerID: nil, sharesCases: false, seats: 0, createdAt: now)
            if let domain = plan.domain { model.domain = domain }
            if let shares = plan.sharesCases { model.sharesCases = shares }
            if let seats = plan.seats { model.seats = seats }
            if let manager = plan.accountManagerID { model.accountManagerID = manager }
            try await model.save(on: db)
        }
        return CSVImportResult(mode: mode, outcomes: outcomes, applied: true)
    }

    static func export(on sql: any SQLDatabase) async throws -> String {
        var text = PeopleCSV.line(columns)
        for fields in try await OrganisationRepository.forExport(on: sql) { text += PeopleCSV.line(fields) }
        return text
    }
}

extension Optional {
    /// `map` for an async transform.
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
