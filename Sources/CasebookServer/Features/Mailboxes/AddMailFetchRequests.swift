import Fluent

/// "Fetch now" pressed while another instance holds the account: the time it was asked, which that fetcher reads
/// between its looks and answers with a look at once.
struct AddMailFetchRequests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("mail_accounts").field("fetch_requested_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("mail_accounts").deleteField("fetch_requested_at").update()
    }
}
