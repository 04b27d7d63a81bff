import Fluent
import SQLKit

/// Lets a customer's cases be walked newest update first and stop after a page: their word search checks them one by
/// one in that order (`CaseSearchRepository.windowedPage`), and their list of cases reads them so.
struct AddRequesterUpdatedIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "cases_requester_updated").on("cases").column("requester_id").column("updated_at").column("number").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "cases_requester_updated").run()
    }
}
