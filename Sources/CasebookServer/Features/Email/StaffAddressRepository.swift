import Foundation
import SQLKit

/// The staff addresses automatic notices go to: active admins, and the account managers of organisations.
enum StaffAddressRepository {
    /// Every active admin's address: who hears about equipment-wide events.
    static func adminAddresses(on sql: any SQLDatabase) async throws -> [String] {
        try await sql.select().column("email").from(UserModel.schema).where("role", .equal, "admin").where("active", .equal, true)
            .all().map { try $0.decode(column: "email", as: String.self) }
    }

    /// The active account managers of these organisations, with the names of their accounts among them.
    static func accountManagers(of organisations: Set<UUID>, on sql: any SQLDatabase) async throws -> [(address: String, accounts: [String])] {
        guard !organisations.isEmpty else { return [] }
        let rows = try await sql.raw("""
            SELECT u.email, o.name FROM organisations o JOIN users u ON u.id = o.account_manager_id
            WHERE o.id IN (\(binds: Array(organisations))) AND u.active = \(bind: true) ORDER BY u.email, o.name
            """).all()
        var accounts: [String: [String]] = [:]
        for row in rows { accounts[try row.decode(column: "email", as: String.self), default: []].append(try row.decode(column: "name", as: String.self)) }
        return accounts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
