import Fluent
import SQLKit

/// Company sign-in: the OpenID Connect providers and LDAP directories people may sign in with, and which of their
/// accounts is which person.
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
            // A provider's or a directory's id; their repositories remove the links when they go.
            .field("provider_id", .uuid, .required)
            .field("subject", .string, .required)
            .field("user_id", .uuid, .required)
            .field("created_at", .datetime, .required)
            .field("last_sign_in_at", .datetime, .required)
            .compositeIdentifier(over: "provider_id", "subject")
            .create()
        try await database.schema("directories")
            .id()
            .field("name", .string, .required)
            // ldap://host:port or ldaps://host:port
            .field("url", .string, .required)
            .field("start_tls", .bool, .required)
            .field("verify_certificates", .bool, .required)
            .field("ca_certificates", .string)
            .field("bind_dn", .string, .required)
            .field("bind_password", .string, .required)
            .field("base_dn", .string, .required)
            // Finds the person by what they type, e.g. (&(objectClass=person)(|(uid={login})(mail={login}))).
            .field("user_filter", .string, .required)
            .field("email_attribute", .string, .required)
            .field("name_attribute", .string, .required)
            // An attribute of the person naming their groups (memberOf), and/or a search for groups naming them.
            .field("group_attribute", .string)
            .field("group_filter", .string)
            .field("role_map", .string, .required)
            .field("default_role", .string)
            .field("creates_people", .bool, .required)
            .field("active", .bool, .required)
            .field("last_sync_at", .datetime)
            .field("last_sync_result", .string)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "external_identities_user").on("external_identities").column("user_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("directories").delete()
        try await database.schema("external_identities").delete()
        try await database.schema("sign_in_providers").delete()
    }
}
