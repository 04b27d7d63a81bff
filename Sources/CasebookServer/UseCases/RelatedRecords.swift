import CasebookCore
import Fluent
import Foundation

/// Checks that the ids a case refers to exist and fit together, naming the field that does not.
enum RelatedRecords {
    static func check(_ state: CaseState, changed: Set<String>? = nil, on db: any Database) async throws {
        func wanted(_ field: String) -> Bool { changed?.contains(field) ?? true }
        if wanted("requester"), try await UserModel.find(state.requesterID.rawValue, on: db) == nil {
            throw Problem.invalid("requester_id", "names no known person")
        }
        if wanted("organisation"), let id = state.organisationID?.rawValue, try await OrganisationModel.find(id, on: db) == nil {
            throw Problem.invalid("organisation_id", "names no known organisation")
        }
        if wanted("product"), let id = state.productID?.rawValue, try await ProductModel.find(id, on: db) == nil {
            throw Problem.invalid("product_id", "names no known product")
        }
        if wanted("product_version") || wanted("product"), let id = state.productVersionID?.rawValue {
            guard let version = try await ProductVersionModel.find(id, on: db) else {
                throw Problem.invalid("product_version_id", "names no known product version")
            }
            if let product = state.productID?.rawValue, version.productID != product {
                throw Problem.invalid("product_version_id", "belongs to another product")
            }
        }
        if wanted("category"), let id = state.categoryID?.rawValue, try await CategoryModel.find(id, on: db) == nil {
            throw Problem.invalid("category_id", "names no known category")
        }
        if wanted("group"), let id = state.groupID?.rawValue, try await GroupModel.find(id, on: db) == nil {
            throw Problem.invalid("group_id", "names no known group")
        }
        if wanted("assignee"), let id = state.assigneeID?.rawValue {
            guard let user = try await UserModel.find(id, on: db), user.active,
                  let role = Role(rawValue: user.role), role == .agent || role == .admin
            else { throw Problem.invalid("assignee_id", "must name an active agent or admin") }
        }
    }
}
