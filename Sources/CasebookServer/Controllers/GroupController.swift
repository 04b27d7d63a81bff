import CasebookCore
import Fluent
import Vapor

/// `/groups`: support teams at a tier.
struct GroupController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let groups = routes.grouped("groups")
        groups.get(use: list)
        groups.post(use: create)
    }

    @Sendable func list(req: Request) async throws -> [GroupView] {
        try req.authorize(.readPeople)
        let groups = try await GroupModel.query(on: req.db).sort(\.$tier).sort(\.$name).all()
        let memberships = try await GroupMembershipModel.query(on: req.db).all()
        let members = Dictionary(grouping: memberships, by: \.groupID)
        return groups.map { group in
            GroupView(id: group.id ?? UUID(), name: group.name, tier: group.tier, description: group.description,
                      memberIDs: (members[group.id ?? UUID()] ?? []).map(\.userID).sorted { $0.uuidString < $1.uuidString })
        }
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.manageCatalog)
        let input = try req.content.decode(GroupCreateRequest.self)
        let now = req.now
        return try await Idempotency.create(req) { db in
            let name = try Validate.name(input.name, field: "name")
            let tier = input.tier ?? 1
            guard (1...9).contains(tier) else { throw Problem.invalid("tier", "must be between 1 and 9") }
            guard try await GroupModel.query(on: db).filter(\.$name == name).first() == nil else {
                throw Problem.conflict("A group named '\(name)' already exists.")
            }
            let group = GroupModel(name: name, tier: tier, description: input.description ?? "", createdAt: now)
            try await group.create(on: db)
            let memberIDs = Array(Set(input.memberIDs ?? []))
            for id in memberIDs {
                guard let user = try await UserModel.find(id, on: db), Role(rawValue: user.role)?.isStaff == true else {
                    throw Problem.invalid("member_ids", "must name members of staff")
                }
                try await GroupMembershipModel(groupID: group.requireID(), userID: id).create(on: db)
            }
            return GroupView(id: try group.requireID(), name: name, tier: tier, description: group.description,
                             memberIDs: memberIDs.sorted { $0.uuidString < $1.uuidString })
        }
    }
}
