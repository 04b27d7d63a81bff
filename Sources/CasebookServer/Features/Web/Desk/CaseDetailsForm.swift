import CasebookCore
import Foundation
import SQLKit

/// The case page's "Details" form: subject, requester, organisation, product and version, category, tags and the
/// custom fields, shown as the case has them or, after a refusal, as the agent typed them.
struct CaseDetailsForm: Encodable {
    var subject: String
    var requesterEmail: String
    var organisations: [DeskCasePage.Option]
    var products: [DeskCasePage.Option]
    var versions: [DeskCasePage.Option]
    var categories: [DeskCasePage.Option]
    var tags: String
    var custom: [CustomInput]
    /// Why the last save was refused; the form opens with it.
    var error: String?

    /// One custom field as an input: `kind` picks the control (text, number, date, boolean, choice).
    struct CustomInput: Encodable {
        var name: String
        var label: String
        var kind: String
        var value: String
        var checked: Bool
        var required: Bool
        var choices: [DeskCasePage.Option]
    }

    /// The form for this case; `typed` holds what the agent sent when a save was refused.
    static func load(_ record: CaseRecord, requesterEmail: String, typed: [String: String]?, error: String?,
                     on sql: any SQLDatabase) async throws -> CaseDetailsForm {
        func value(_ key: String, _ stored: String) -> String { typed?[key] ?? stored }
        func options(_ choices: [CaseChoiceRepository.Choice], _ key: String, _ stored: UUID?) -> [DeskCasePage.Option] {
            DeskCasePage.Option.list(choices, chosen: value(key, stored?.uuidString.lowercased() ?? ""))
        }
        let stored = CaseCodec.customFields(record.customFields)
        let custom = try await CaseRepository.customFieldDefinitions(on: sql).map { definition -> CustomInput in
            let name = "cf__" + definition.key
            let current = value(name, stored[definition.key]?.description ?? "")
            let checked = typed.map { $0[name] == "on" } ?? (stored[definition.key] == .flag(true))
            return CustomInput(name: name, label: definition.label, kind: definition.kind.rawValue, value: current, checked: checked,
                               required: definition.required,
                               choices: [DeskCasePage.Option(value: "", label: "—", selected: current.isEmpty)]
                                   + definition.choices.map { DeskCasePage.Option(value: $0, label: $0, selected: $0 == current) })
        }
        return CaseDetailsForm(
            subject: value("subject", record.subject), requesterEmail: value("requester_email", requesterEmail),
            organisations: options(try await CaseChoiceRepository.organisations(on: sql), "organisation_id", record.organisationID),
            products: options(try await CaseChoiceRepository.products(keeping: record.productID, on: sql), "product_id", record.productID),
            versions: options(try await CaseChoiceRepository.versions(keeping: record.productVersionID, on: sql), "product_version_id", record.productVersionID),
            categories: options(try await CaseChoiceRepository.categories(keeping: record.categoryID, on: sql), "category_id", record.categoryID),
            tags: value("tags", CaseCodec.tags(record.tags).joined(separator: ", ")), custom: custom, error: error)
    }

    /// The API patch that turns the case into what the form says: only what differs, so an untouched field is never rewritten.
    static func patch(_ form: [String: String], for record: CaseRecord, requesterEmail: String, on sql: any SQLDatabase) async throws -> [String: Any] {
        var patch: [String: Any] = [:]
        if let subject = form["subject"], subject.trimmingCharacters(in: .whitespacesAndNewlines) != record.subject { patch["subject"] = subject }
        let email = (form["requester_email"] ?? "").trimmingCharacters(in: .whitespaces)
        if !email.isEmpty, email.lowercased() != requesterEmail.lowercased() {
            guard let person = try await CaseChoiceRepository.person(email: email, on: sql) else {
                throw DomainError.invalid("requester_email", "names nobody we know; add them as a contact first")
            }
            // Unless the organisation is changed too, it follows the new requester.
            patch["requester_id"] = person.id.uuidString
        }
        func pick(_ key: String, _ stored: UUID?) throws -> Any? {
            guard let text = form[key] else { return nil }
            if text.isEmpty { return stored == nil ? nil : NSNull() }
            guard let id = UUID(uuidString: text) else { throw DomainError.invalid(key, "is not one of the choices") }
            return id == stored ? nil : id.uuidString
        }
        if let organisation = try pick("organisation_id", record.organisationID) { patch["organisation_id"] = organisation }
        let version = try pick("product_version_id", record.productVersionID)
        let product = try pick("product_id", record.productID)
        if let version, !(version is NSNull) {
            // A version names its product; sending both could only disagree.
            patch["product_version_id"] = version
        } else {
            if let product { patch["product_id"] = product }
            // Another product's version cannot stay.
            if let version { patch["product_version_id"] = version } else if product != nil, record.productVersionID != nil { patch["product_version_id"] = NSNull() }
        }
        if let category = try pick("category_id", record.categoryID) { patch["category_id"] = category }
        if let tags = form["tags"] {
            let wanted = tags.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
            if Set(wanted) != Set(CaseCodec.tags(record.tags)) { patch["tags"] = wanted }
        }
        let custom = try await customChanges(form, stored: CaseCodec.customFields(record.customFields), on: sql)
        if !custom.isEmpty { patch["custom_fields"] = custom }
        return patch
    }

    private static func customChanges(_ form: [String: String], stored: [String: FieldValue], on sql: any SQLDatabase) async throws -> [String: Any] {
        var changes: [String: Any] = [:]
        for definition in try await CaseRepository.customFieldDefinitions(on: sql) {
            let name = "cf__" + definition.key
            let was = stored[definition.key]
            if definition.kind == .boolean {
                let now = form[name] == "on"
                if now != (was == .flag(true)) { changes[definition.key] = now }
                continue
            }
            guard let text = form[name]?.trimmingCharacters(in: .whitespaces) else { continue }
            if text.isEmpty {
                if was != nil { changes[definition.key] = NSNull() }
                continue
            }
            guard text != was?.description else { continue }
            if definition.kind == .number {
                guard let number = Double(text), number.isFinite else { throw DomainError.invalid(definition.key, "must be a number") }
                changes[definition.key] = number
            } else {
                changes[definition.key] = text
            }
        }
        return changes
    }
}
