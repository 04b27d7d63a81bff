import CasebookCore
import Foundation
import SQLKit

/// The Casebook groups a company identity's groups put staff in: a map from a claim value or directory group (any
/// case) to a group's name, kept in step at every sign-in and every directory sync.
enum CompanyGroups {
    /// Checks a map as typed: at most 200 entries, and every group it names exists here.
    static func parse(_ input: [String: String], on sql: any SQLDatabase) async throws -> [String: String] {
        guard input.count <= RoleMapInput.mostEntries else {
            throw DomainError.invalid("group_map", "has \(input.count) entries; at most \(RoleMapInput.mostEntries)")
        }
        let known = Set(try await GroupMembershipRepository.groupIDsByName(on: sql).keys)
        for (value, group) in input {
            guard !value.isEmpty, value.count <= 512 else { throw DomainError.invalid("group_map", "group names must be 1 to 512 characters") }
            guard known.contains(group) else { throw DomainError.invalid("group_map", "maps '\(value)' to '\(group)', which is not a group here") }
        }
        return input
    }

    /// Puts a staff member in the mapped groups their identity's groups name and takes them out of the mapped groups
    /// it no longer names; groups the map does not mention are left as an admin set them. Returns whether anything changed.
    @discardableResult
    static func sync(_ userID: UUID, groups: [String], map: [String: String], on sql: any SQLDatabase) async throws -> Bool {
        guard !map.isEmpty else { return false }
        let ids = try await GroupMembershipRepository.groupIDsByName(on: sql)
        let lowered = Dictionary(map.map { ($0.key.lowercased(), $0.value) }) { first, _ in first }
        let wanted = Set(groups.compactMap { lowered[$0.lowercased()] }.compactMap { ids[$0] })
        let managed = Set(map.values.compactMap { ids[$0] })
        let current = try await GroupMembershipRepository.groups(of: userID, on: sql)
        let leave = current.intersection(managed).subtracting(wanted)
        let join = wanted.subtracting(current)
        try await GroupMembershipRepository.remove(userID, from: leave, on: sql)
        for group in join { try await GroupMembershipRepository.add(userID, to: group, on: sql) }
        return !leave.isEmpty || !join.isEmpty
    }

    static func encode(_ map: [String: String]) -> String {
        String(decoding: (try? JSONEncoder().encode(map)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func decode(_ text: String?) -> [String: String] {
        text.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
    }
}
