import CasebookCore
import Fluent
import Vapor

/// `/groups`: support teams at a tier, added, changed and retired by admins.
struct GroupController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let groups = routes.grouped("groups")
        groups.get(use: list)
        groups.post(use: create)
        groups.patch(":id", use: update)
    }

    @Sendable func list(req: Request) async throws -> [GroupView] {
        try req.authorize(.readPeople)
        return try await GroupMembershipRepository.groupsWithMembers(on: req.db).map { GroupView($0.group, memberIDs: $0.memberIDs) }
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.manageCatalog)
        let input = try req.content.decode(GroupCreateRequest.self)
        let now = req.now
        return try await Idempotency.create(req) { db in
            let name = try Validate.name(input.name, field: "name")
            let tier = try Self.tier(input.tier ?? 1)
            try await CatalogController.refuseTakenName(GroupModel.self, name, kind: "A group", on: db)
            let group = GroupModel(name: name, tier: tier, description: try CatalogController.description(input.description), createdAt: now)
            try await group.create(on: db)
            let memberIDs = try await Self.replaceMembers(of: try group.requireID(), with: input.memberIDs ?? [], on: db)
            return GroupView(group, memberIDs: memberIDs)
        }
    }

    @Sendable func update(req: Request) async throws -> GroupView {
        try req.authorize(.manageCatalog)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The group") }
        let input = try req.content.decode(GroupPatchRequest.self)
        let now = req.now
        return try await req.store.write { db in
            guard let group = try await GroupModel.find(id, on: db) else { throw Problem.notFound("The group") }
            try await CatalogController.change(group, name: input.name, retired: input.retired, kind: "A group", now: now, on: db)
            if let tier = input.tier { group.tier = try Self.tier(tier) }
            if let description = input.description { group.description = try CatalogController.description(description) }
            try await group.update(on: db)
            let memberIDs: [UUID]
            if let wanted = input.memberIDs {
                memberIDs = try await Self.replaceMembers(of: id, with: wanted, on: db)
            } else {
                memberIDs = try await GroupMembershipRepository.memberIDs(of: id, on: db)
            }
            return GroupView(group, memberIDs: memberIDs)
        }
    }

    private static func tier(_ tier: Int) throws -> Int {
        guard (1...9).contains(tier) else { throw Problem.invalid("tier", "must be between 1 and 9") }
        return tier
    }

    /// Makes the group's members exactly `ids`, all of them staff.
    private static func replaceMembers(of groupID: UUID, with ids: [UUID], on db: any Database) async throws -> [UUID] {
        let wanted = Array(Set(ids))
        guard wanted.count <= 500 else { throw Problem.invalid("member_ids", "must name at most 500 people") }
        let staff = try await UserRepository.find(ids: wanted, on: db).filter { Role(rawValue: $0.role)?.isStaff == true }
        guard staff.count == wanted.count else { throw Problem.invalid("member_ids", "must name members of staff") }
        try await GroupMembershipRepository.replaceMembers(of: groupID, with: wanted, on: db)
        return wanted
    }
}
