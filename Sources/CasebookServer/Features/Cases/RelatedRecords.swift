import CasebookCore
import Foundation
import SQLKit

/// Checks that the ids a case refers to exist and fit together, naming the field that does not.
enum RelatedRecords {
    static func check(_ state: CaseState, changed: Set<String>? = nil, on sql: any SQLDatabase) async throws {
        func wanted(_ field: String) -> Bool { changed?.contains(field) ?? true }
        // Catalogue entries must exist and not be retired: cases already naming a retired one keep it, new choices may not.
        func offered(_ table: String, _ id: UUID, field: String, noun: String) async throws {
            guard let retirement = try await RelatedRecordRepository.retirement(in: table, of: id, on: sql) else {
                throw DomainError.invalid(field, "names no known \(noun)")
            }
            if retirement != nil { throw DomainError.invalid(field, "names a retired \(noun); choose a current one") }
        }
        if wanted("requester"), try await !RelatedRecordRepository.exists("users", state.requesterID.rawValue, on: sql) {
            throw DomainError.invalid("requester_id", "names no known person")
        }
        if wanted("organisation"), let id = state.organisationID?.rawValue, try await !RelatedRecordRepository.exists("organisations", id, on: sql) {
            throw DomainError.invalid("organisation_id", "names no known organisation")
        }
        if wanted("product"), let id = state.productID?.rawValue {
            try await offered("products", id, field: "product_id", noun: "product")
        }
        if wanted("product_version") || wanted("product"), let id = state.productVersionID?.rawValue {
            guard let version = try await RelatedRecordRepository.productVersion(id, on: sql) else {
                throw DomainError.invalid("product_version_id", "names no known product version")
            }
            if let product = state.productID?.rawValue, version.productID != product {
                throw DomainError.invalid("product_version_id", "belongs to another product")
            }
            if version.retiredAt != nil {
                throw DomainError.invalid("product_version_id", "names a retired product version; choose a current one")
            }
        }
        if wanted("category"), let id = state.categoryID?.rawValue {
            try await offered("categories", id, field: "category_id", noun: "category")
        }
        if wanted("group"), let id = state.groupID?.rawValue {
            try await offered("groups", id, field: "group_id", noun: "group")
        }
        if wanted("assignee"), let id = state.assigneeID?.rawValue {
            let standing = try await RelatedRecordRepository.standing(of: id, on: sql)
            let role = standing.flatMap { Role(rawValue: $0.role) }
            guard standing?.active == true, role == .agent || role == .admin else {
                throw DomainError.invalid("assignee_id", "must name an active agent or admin")
            }
        }
    }
}
