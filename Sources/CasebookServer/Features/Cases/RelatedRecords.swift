import CasebookCore
import Foundation
import SQLKit

/// Checks that the ids a case refers to exist and fit together, naming the field that does not.
enum RelatedRecords {
    static func check(_ state: CaseState, changed: Set<String>? = nil, on sql: any SQLDatabase) async throws {
        func wanted(_ field: String) -> Bool { changed?.contains(field) ?? true }
        func exists(_ table: String, _ id: UUID) async throws -> Bool {
            try await sql.select().column("id").from(table).where("id", .equal, id).first() != nil
        }
        // Catalogue entries must exist and not be retired: cases already naming a retired one keep it, new choices may not.
        func offered(_ table: String, _ id: UUID, field: String, noun: String) async throws {
            guard let row = try await sql.select().column("retired_at").from(table).where("id", .equal, id).first() else {
                throw DomainError.invalid(field, "names no known \(noun)")
            }
            if try row.decode(column: "retired_at", as: Date?.self) != nil {
                throw DomainError.invalid(field, "names a retired \(noun); choose a current one")
            }
        }
        if wanted("requester"), try await !exists("users", state.requesterID.rawValue) {
            throw DomainError.invalid("requester_id", "names no known person")
        }
        if wanted("organisation"), let id = state.organisationID?.rawValue, try await !exists("organisations", id) {
            throw DomainError.invalid("organisation_id", "names no known organisation")
        }
        if wanted("product"), let id = state.productID?.rawValue {
            try await offered("products", id, field: "product_id", noun: "product")
        }
        if wanted("product_version") || wanted("product"), let id = state.productVersionID?.rawValue {
            guard let row = try await sql.select().columns("product_id", "retired_at").from("product_versions").where("id", .equal, id).first() else {
                throw DomainError.invalid("product_version_id", "names no known product version")
            }
            if let product = state.productID?.rawValue, try row.decode(column: "product_id", as: UUID.self) != product {
                throw DomainError.invalid("product_version_id", "belongs to another product")
            }
            if try row.decode(column: "retired_at", as: Date?.self) != nil {
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
            let row = try await sql.select().columns("role", "active").from("users").where("id", .equal, id).first()
            let role = try row.map { Role(rawValue: try $0.decode(column: "role", as: String.self)) } ?? nil
            let active = try row?.decode(column: "active", as: Bool.self) ?? false
            guard active, role == .agent || role == .admin else { throw DomainError.invalid("assignee_id", "must name an active agent or admin") }
        }
    }

    /// The organisation a person belongs to, if any.
    static func organisation(of userID: UUID, on sql: any SQLDatabase) async throws -> UUID?? {
        guard let row = try await sql.select().column("organisation_id").from("users").where("id", .equal, userID).first() else { return nil }
        return .some(try row.decode(column: "organisation_id", as: UUID?.self))
    }

    static func product(ofVersion id: UUID, on sql: any SQLDatabase) async throws -> UUID? {
        try await sql.select().column("product_id").from("product_versions").where("id", .equal, id).first()
            .map { try $0.decode(column: "product_id", as: UUID.self) }
    }
}
