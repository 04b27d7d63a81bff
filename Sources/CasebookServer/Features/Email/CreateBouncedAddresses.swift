import Fluent
import SQLKit

/// Addresses that bounced for good: no more mail goes to them until someone clears the flag.
struct CreateBouncedAddresses: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("bounced_addresses")
            .id()
            .field("address", .string, .required)
            // The report's status (5.1.1) and the receiving server's words.
            .field("status", .string, .required)
            .field("reason", .string, .required)
            .field("bounced_at", .datetime, .required)
            .unique(on: "address")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("bounced_addresses").delete()
    }
}
