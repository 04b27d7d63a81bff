import CasebookCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// Contacts (customers) as CSV: email, name, organisation, phone, language, time_zone. A known email is updated.
struct ContactCSV {
    static let columns = ["email", "name", "organisation", "organisation_id", "phone", "language", "time_zone"]

    private struct Plan {
        var outcome: CSVRowOutcome
        var email = ""
        var name = ""
        var organisationID: UUID?
        var phone: String?
        var language: String?
        var timeZone: String?
        var existing: UUID?
    }

    /// Checks every row; with `apply`, writes the good ones (all of them, or the file is refused).
    static func run(_ table: CSVTable, mode: CSVImportMode, skipBadRows: Bool, on db: any Database, sql: any SQLDatabase,
                    now: Date) async throws -> CSVImportResult {
        let organisations = try await OrganisationRepository.idsByName(on: sql)
        let people = try await UserRepository.byEmail(on: sql)
        var seen: [String: Int] = [:]
        var plans: [Plan] = []
        for (index, row) in table.rows.enumerated() {
            let values = table.values(row).mapValues { PeopleCSV.cell($0) ?? $0 }
            var plan = Plan(outcome: CSVRowOutcome(row: index + 2, action: "create", key: values["email"] ?? values["name"] ?? ""))
            var errors: [String] = []
            func check(_ body: () throws -> Void) {
                do { try body() } catch let DomainError.invalid(field, message) { errors.append("\(field) \(message)") } catch { errors.append("\(error)") }
            }
            check { plan.email = try Validate.email(values["email"] ?? "") }
            check { plan.name = try Validate.name(values["name"] ?? "", field: "name") }
            if let language = values["language"] { check { plan.language = try Validate.language(language) } }
            if let zone = values["time_zone"] { check { plan.timeZone = try Validate.timeZone(zone) } }
            if let phone = values["phone"] { check { plan.phone = try Validate.name(phone, field: "phone", max: 40) } }
            if let text = values["organisation_id"] {
                if let id = UUID(uuidString: text), organisations.values.contains(id) { plan.organisationID = id } else { errors.append("organisation_id names no known organisation") }
            } else if let name = values["organisation"] {
                if let id = organisations[name.lowercased()] { plan.organisationID = id } else { errors.append("organisation '\(name)' is not known; import organisations first") }
            }
            if !plan.email.isEmpty {
                plan.outcome.key = plan.email
                if let first = seen[plan.email] { errors.append("email \(plan.email) is also on row \(first)") } else { seen[plan.email] = index + 2 }
                if let known = people[plan.email] {
                    if known.role != Role.customer.rawValue { errors.append("email \(plan.email) belongs to a member of staff, who is not changed by an import") }
                    plan.existing = known.id
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
            if let id = plan.existing, let model = try await UserModel.find(id, on: db) {
                model.name = plan.name
                if let organisationID = plan.organisationID { model.organisationID = organisationID }
                if let phone = plan.phone { model.phone = phone }
                if let language = plan.language { model.language = language }
                if let zone = plan.timeZone { model.timeZone = zone }
                try await model.update(on: db)
            } else {
                try await UserModel(email: plan.email, name: plan.name, role: Role.customer.rawValue, phone: plan.phone, language: plan.language ?? "en",
                                    timeZone: plan.timeZone ?? "UTC", organisationID: plan.organisationID, tier: nil, passwordHash: nil, active: true,
                                    createdAt: now).create(on: db)
            }
        }
        return CSVImportResult(mode: mode, outcomes: outcomes, applied: true)
    }

    /// Every customer, as the import reads them back.
    static func export(on sql: any SQLDatabase) async throws -> String {
        var text = PeopleCSV.line(["email", "name", "organisation", "phone", "language", "time_zone"])
        for fields in try await UserRepository.contactsForExport(on: sql) { text += PeopleCSV.line(fields) }
        return text
    }
}
