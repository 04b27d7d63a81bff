import Fluent
import SQLKit

/// The team's addresses (support@, sales@, a second brand's): each with how mail from it is signed and where its new
/// cases go; a case remembers the address it came in on, and its mail goes out from that address.
struct CreateMailAddresses: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("mail_addresses")
            .id()
            .field("address", .string, .required)
            .field("display_name", .string, .required)
            .field("signature", .string)
            .field("group_id", .uuid)
            .field("language", .string)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "address")
            .create()
        try await database.schema("cases").field("mail_address_id", .uuid).update()
        try await database.schema("mail_accounts").field("mail_address_id", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("mail_accounts").deleteField("mail_address_id").update()
        try await database.schema("cases").deleteField("mail_address_id").update()
        try await database.schema("mail_addresses").delete()
    }
}
