import CasebookCore
import Foundation
import Fluent
import SQLKit

/// The `groups` names and the `group_memberships` rows that put staff in them.
enum GroupMembershipRepository {
    /// Group name → id.
    static func groupIDsByName(on sql: any SQLDatabase) async throws -> [String: UUID] {
        var names: [String: UUID] = [:]
        for row in try await sql.select().columns("id", "name").from("groups").all() {
            names[try row.decode(column: "name", as: String.self)] = try row.decode(column: "id", as: UUID.self)
        }
        return names
    }

    /// The groups a person belongs to.
    static func groups(of userID: UUID, on sql: any SQLDatabase) async throws -> Set<UUID> {
        Set(try await sql.select().column("group_id").from("group_memberships").where("user_id", .equal, userID).all()
            .map { try $0.decode(column: "group_id", as: UUID.self) })
    }

    /// Takes a person out of the given groups.
    static func remove(_ userID: UUID, from groups: Set<UUID>, on sql: any SQLDatabase) async throws {
        guard !groups.isEmpty else { return }
        try await sql.delete(from: "group_memberships").where("user_id", .equal, userID)
            .where("group_id", .in, SQLBind.group(Array(groups))).run()
    }

    /// Puts a person in one group.
    static func add(_ userID: UUID, to group: UUID, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "group_memberships").columns("id", "group_id", "user_id")
            .values(SQLBind(RecordID.make()), SQLBind(group), SQLBind(userID)).run()
    }

    /// Every group by tier then name, with each group's member ids.
    static func groupsWithMembers(on db: any Database) async throws -> [(group: GroupModel, memberIDs: [UUID])] {
        let groups = try await GroupModel.query(on: db).sort(\.$tier).sort(\.$name).all()
        let members = Dictionary(grouping: try await GroupMembershipModel.query(on: db).all(), by: \.groupID)
        return groups.map { group in (group, group.id.map { (members[$0] ?? []).map(\.userID) } ?? []) }
    }

    static func memberIDs(of groupID: UUID, on db: any Database) async throws -> [UUID] {
        try await GroupMembershipModel.query(on: db).filter(\.$groupID == groupID).all().map(\.userID)
    }

    /// Makes a group's members exactly these people.
    static func replaceMembers(of groupID: UUID, with ids: [UUID], on db: any Database) async throws {
        try await GroupMembershipModel.query(on: db).filter(\.$groupID == groupID).delete()
        for id in ids { try await GroupMembershipModel(groupID: groupID, userID: id).create(on: db) }
    }

    /// A group as the admin list shows it.
    struct Summary: Sendable {
        let id: UUID
        let name: String
        let tier: Int
        let retiredAt: Date?
        let members: Int
        let openCases: Int
    }

    /// Every group by tier then name, with its member count and the cases open in it.
    static func summaries(openStatuses: [String], on sql: any SQLDatabase) async throws -> [Summary] {
        try await sql.raw("""
            SELECT g.id AS id, g.name AS name, g.tier AS tier, g.retired_at AS retired_at,
                   (SELECT COUNT(*) FROM group_memberships m WHERE m.group_id = g.id) AS members,
                   (SELECT COUNT(*) FROM cases c WHERE c.group_id = g.id AND c.status IN (\(binds: openStatuses))) AS open
            FROM groups g ORDER BY g.tier, g.name
            """).all().map { row in
                Summary(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                        tier: try row.decode(column: "tier", as: Int.self), retiredAt: try row.decode(column: "retired_at", as: Date?.self),
                        members: try row.decode(column: "members", as: Int.self), openCases: try row.decode(column: "open", as: Int.self))
            }
    }
}
