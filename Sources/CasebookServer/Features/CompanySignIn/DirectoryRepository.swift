import CasebookCore
import Foundation
import SQLKit

/// The `directories` table.
enum DirectoryRepository {
    static func all(activeOnly: Bool = false, on sql: any SQLDatabase) async throws -> [Directory] {
        var select = sql.select().columns(columns).from("directories")
        if activeOnly { select = select.where("active", .equal, true) }
        return try await select.orderBy("name").all().map(decode)
    }

    static func find(_ id: UUID, on sql: any SQLDatabase) async throws -> Directory? {
        try await sql.select().columns(columns).from("directories").where("id", .equal, id).first().map(decode)
    }

    static func insert(_ directory: Directory, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "directories").columns(columns).values(values(directory)).run()
    }

    static func update(_ directory: Directory, on sql: any SQLDatabase) async throws {
        var update = sql.update("directories")
        for (column, value) in zip(columns, values(directory)) where column != "id" { update = update.set(SQLColumn(column), to: value) }
        try await update.where("id", .equal, directory.id).run()
    }

    static func delete(_ id: UUID, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "external_identities").where("provider_id", .equal, id).run()
        try await sql.delete(from: "directories").where("id", .equal, id).run()
    }

    static func noteSync(_ id: UUID, at: Date, result: String, on sql: any SQLDatabase) async throws {
        try await sql.update("directories").set("last_sync_at", to: at).set("last_sync_result", to: String(result.prefix(500)))
            .where("id", .equal, id).run()
    }

    /// The people linked to a directory, with the account each was linked by (its entryUUID or DN).
    static func linkedPeople(of id: UUID, on sql: any SQLDatabase) async throws -> [(userID: UUID, subject: String)] {
        try await sql.select().columns("user_id", "subject").from("external_identities").where("provider_id", .equal, id).all().map {
            (try $0.decode(column: "user_id", as: UUID.self), try $0.decode(column: "subject", as: String.self))
        }
    }

    private static let columns = ["id", "name", "url", "start_tls", "verify_certificates", "ca_certificates", "bind_dn", "bind_password", "base_dn",
                                  "user_filter", "email_attribute", "name_attribute", "group_attribute", "group_filter", "role_map", "group_map", "default_role",
                                  "creates_people", "active", "last_sync_at", "last_sync_result", "created_at", "updated_at"]

    private static func values(_ d: Directory) -> [any SQLExpression] {
        let map = Dictionary(uniqueKeysWithValues: d.roleMap.map { ($0.key, $0.value.rawValue) })
        let mapJSON = String(decoding: (try? JSONEncoder().encode(map)) ?? Data("{}".utf8), as: UTF8.self)
        return [SQLBind(d.id), SQLBind(d.name), SQLBind(d.url), SQLBind(d.startTLS), SQLBind(d.verifyCertificates), SQLBind(d.caCertificates),
                SQLBind(d.bindDN), SQLBind(d.bindPassword), SQLBind(d.baseDN), SQLBind(d.userFilter), SQLBind(d.emailAttribute),
                SQLBind(d.nameAttribute), SQLBind(d.groupAttribute), SQLBind(d.groupFilter), SQLBind(mapJSON), SQLBind(CompanyGroups.encode(d.groupMap)), SQLBind(d.defaultRole?.rawValue),
                SQLBind(d.createsPeople), SQLBind(d.active), SQLBind(d.lastSyncAt), SQLBind(d.lastSyncResult), SQLBind(d.createdAt), SQLBind(d.updatedAt)]
    }

    private static func decode(_ row: any SQLRow) throws -> Directory {
        let raw = (try? JSONDecoder().decode([String: String].self, from: Data(try row.decode(column: "role_map", as: String.self).utf8))) ?? [:]
        return Directory(
            id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
            url: try row.decode(column: "url", as: String.self), startTLS: try row.decode(column: "start_tls", as: Bool.self),
            verifyCertificates: try row.decode(column: "verify_certificates", as: Bool.self),
            caCertificates: try row.decode(column: "ca_certificates", as: String?.self), bindDN: try row.decode(column: "bind_dn", as: String.self),
            bindPassword: try row.decode(column: "bind_password", as: String.self), baseDN: try row.decode(column: "base_dn", as: String.self),
            userFilter: try row.decode(column: "user_filter", as: String.self), emailAttribute: try row.decode(column: "email_attribute", as: String.self),
            nameAttribute: try row.decode(column: "name_attribute", as: String.self),
            groupAttribute: try row.decode(column: "group_attribute", as: String?.self), groupFilter: try row.decode(column: "group_filter", as: String?.self),
            roleMap: raw.compactMapValues(Role.init(rawValue:)), defaultRole: try row.decode(column: "default_role", as: String?.self).flatMap(Role.init(rawValue:)),
            createsPeople: try row.decode(column: "creates_people", as: Bool.self), active: try row.decode(column: "active", as: Bool.self),
            lastSyncAt: try row.decode(column: "last_sync_at", as: Date?.self), lastSyncResult: try row.decode(column: "last_sync_result", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self),
            groupMap: CompanyGroups.decode(try row.decode(column: "group_map", as: String?.self)))
    }
}
