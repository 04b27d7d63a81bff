import Fluent
import SQLKit

/// Company sign-in: the OpenID Connect providers people may sign in with, and which provider account is which person.
struct CreateSignInProviders: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("sign_in_providers")
            .id()
            .field("name", .string, .required)
            .field("issuer", .string, .required)
            .field("client_id", .string, .required)
            .field("client_secret", .string, .required)
            .field("scopes", .string, .required)
            // Which claim carries groups or roles (e.g. "groups", "roles"), and which value makes which Casebook role.
            .field("role_claim", .string)
            .field("role_map", .string, .required)
            // The role of a person created at first sign-in when no mapping matches; nil: such people are refused.
            .field("default_role", .string)
            // Whether an unknown person is created at first sign-in, or only known people may sign in.
            .field("creates_people", .bool, .required)
            .field("active", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("external_identities")
            .field("provider_id", .uuid, .required, .references("sign_in_providers", "id", onDelete: .cascade))
            .field("subject", .string, .required)
            .field("user_id", .uuid, .required)
            .field("created_at", .datetime, .required)
            .field("last_sign_in_at", .datetime, .required)
            .compositeIdentifier(over: "provider_id", "subject")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "external_identities_user").on("external_identities").column("user_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("external_identities").delete()
        try await database.schema("sign_in_providers").delete()
    }
}
