import CasebookCore
import Foundation
import SQLKit

/// The groups, people and addresses an automation rule's actions name, read as the rule runs.
enum RuleTargetRepository {
    /// A group named by name or id, with its retirement; nil when there is none.
    static func group(named name: String, on sql: any SQLDatabase) async throws -> (id: UUID, retiredAt: Date?)? {
        let byID = UUID(uuidString: name)
        let row = try await sql.select().columns("id", "retired_at").from(GroupModel.schema)
            .where { group in
                let named = group.where("name", .equal, name)
                return byID.map { named.orWhere("id", .equal, $0) } ?? named
            }.first()
        guard let row else { return nil }
        return (try row.decode(column: "id", as: UUID.self), try row.decode(column: "retired_at", as: Date?.self))
    }

    /// The highest tier with a current group: escalation stops there (1 when there are no groups at all).
    static func highestStaffedTier(on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT MAX(tier) AS top FROM groups WHERE retired_at IS NULL").first()?.decode(column: "top", as: Int?.self) ?? 1
    }

    /// The current group an escalation to `tier` hands the case to (the first by name), if the tier has one.
    static func group(forTier tier: Int, on sql: any SQLDatabase) async throws -> UUID? {
        try await sql.select().column("id").from(GroupModel.schema).where("tier", .equal, tier).where("retired_at", .is, SQLLiteral.null)
            .orderBy("name").first()
            .map { try $0.decode(column: "id", as: UUID.self) }
    }

    /// An active member of staff named by address or id.
    static func activeStaff(named person: String, on sql: any SQLDatabase) async throws -> UUID? {
        let byID = UUID(uuidString: person)
        return try await sql.select().column("id").from(UserModel.schema)
            .where { who in
                let byEmail = who.where("email", .equal, person.lowercased())
                return byID.map { byEmail.orWhere("id", .equal, $0) } ?? byEmail
            }
            .where("role", .notEqual, Role.customer.rawValue).where("active", .equal, true).first()
            .map { try $0.decode(column: "id", as: UUID.self) }
    }

    /// A person's address.
    static func email(of user: UUID, on sql: any SQLDatabase) async throws -> String? {
        try await sql.select().column("email").from(UserModel.schema).where("id", .equal, user).first()
            .map { try $0.decode(column: "email", as: String.self) }
    }

    /// An organisation's account manager, if it has one.
    static func accountManager(of organisation: UUID, on sql: any SQLDatabase) async throws -> UUID? {
        try await sql.select().column("account_manager_id").from(OrganisationModel.schema)
            .where("id", .equal, organisation).first()?.decode(column: "account_manager_id", as: UUID?.self)
    }

    /// The addresses of a group's active members, in order.
    static func activeMemberEmails(of groupID: UUID, on sql: any SQLDatabase) async throws -> [String] {
        try await sql.raw("""
            SELECT users.email AS email FROM group_memberships JOIN users ON users.id = group_memberships.user_id
            WHERE group_memberships.group_id = \(bind: groupID) AND users.active = \(bind: true) ORDER BY users.email
            """).all().map { try $0.decode(column: "email", as: String.self) }
    }
}
