import CasebookCore
import Foundation
import SQLKit

/// The `sign_in_providers` and `external_identities` tables.
enum SignInProviderRepository {
    static func all(activeOnly: Bool = false, on sql: any SQLDatabase) async throws -> [SignInProvider] {
        var select = sql.select().columns(columns).from("sign_in_providers")
        if activeOnly { select = select.where("active", .equal, true) }
        return try await select.orderBy("name").all().map(decode)
    }

    static func find(_ id: UUID, on sql: any SQLDatabase) async throws -> SignInProvider? {
        try await sql.select().columns(columns).from("sign_in_providers").where("id", .equal, id).first().map(decode)
    }

    static func insert(_ provider: SignInProvider, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "sign_in_providers").columns(columns).values(values(provider)).run()
    }

    static func update(_ provider: SignInProvider, on sql: any SQLDatabase) async throws {
        var update = sql.update("sign_in_providers")
        for (column, value) in zip(columns, values(provider)) where column != "id" { update = update.set(SQLColumn(column), to: value) }
        try await update.where("id", .equal, provider.id).run()
    }

    static func delete(_ id: UUID, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "external_identities").where("provider_id", .equal, id).run()
        try await sql.delete(from: "sign_in_providers").where("id", .equal, id).run()
    }

    /// The person a provider's account was linked to.
    static func person(provider: UUID, subject: String, on sql: any SQLDatabase) async throws -> UUID? {
        try await sql.select().column("user_id").from("external_identities").where("provider_id", .equal, provider)
            .where("subject", .equal, subject).first()?.decode(column: "user_id", as: UUID.self)
    }

    static func link(provider: UUID, subject: String, to userID: UUID, now: Date, on sql: any SQLDatabase) async throws {
        let updated = try await sql.update("external_identities").set("last_sign_in_at", to: now).set("user_id", to: userID)
            .where("provider_id", .equal, provider).where("subject", .equal, subject).returning("user_id").all()
        guard updated.isEmpty else { return }
        try await sql.insert(into: "external_identities").columns("provider_id", "subject", "user_id", "created_at", "last_sign_in_at")
            .values(SQLBind(provider), SQLBind(subject), SQLBind(userID), SQLBind(now), SQLBind(now)).run()
    }

    private static let columns = ["id", "name", "issuer", "client_id", "client_secret", "scopes", "role_claim", "role_map", "group_map", "default_role",
                                  "creates_people", "active", "created_at", "updated_at"]

    private static func values(_ provider: SignInProvider) -> [any SQLExpression] {
        let map = Dictionary(uniqueKeysWithValues: provider.roleMap.map { ($0.key, $0.value.rawValue) })
        let mapJSON = String(decoding: (try? JSONEncoder().encode(map)) ?? Data("{}".utf8), as: UTF8.self)
        return [SQLBind(provider.id), SQLBind(provider.name), SQLBind(provider.issuer), SQLBind(provider.clientID), SQLBind(provider.clientSecret),
                SQLBind(provider.scopes), SQLBind(provider.roleClaim), SQLBind(mapJSON), SQLBind(CompanyGroups.encode(provider.groupMap)),
                SQLBind(provider.defaultRole?.rawValue),
                SQLBind(provider.createsPeople), SQLBind(provider.active), SQLBind(provider.createdAt), SQLBind(provider.updatedAt)]
    }

    private static func decode(_ row: any SQLRow) throws -> SignInProvider {
        let mapText = try row.decode(column: "role_map", as: String.self)
        let raw = (try? JSONDecoder().decode([String: String].self, from: Data(mapText.utf8))) ?? [:]
        return SignInProvider(
            id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
            issuer: try row.decode(column: "issuer", as: String.self), clientID: try row.decode(column: "client_id", as: String.self),
            clientSecret: try row.decode(column: "client_secret", as: String.self), scopes: try row.decode(column: "scopes", as: String.self),
            roleClaim: try row.decode(column: "role_claim", as: String?.self), roleMap: raw.compactMapValues(Role.init(rawValue:)),
            defaultRole: try row.decode(column: "default_role", as: String?.self).flatMap(Role.init(rawValue:)),
            createsPeople: try row.decode(column: "creates_people", as: Bool.self), active: try row.decode(column: "active", as: Bool.self),
            createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self),
            groupMap: CompanyGroups.decode(try row.decode(column: "group_map", as: String?.self)))
    }
}
