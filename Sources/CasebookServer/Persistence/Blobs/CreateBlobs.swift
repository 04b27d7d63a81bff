import Fluent
import SQLKit

/// The database's file store (`DatabaseBlobStore`): one row per file and its bytes in chunks of a mebibyte.
struct CreateBlobs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.create(table: "blobs")
            .column("sha256", type: .text, .primaryKey(autoIncrement: false))
            .column("size", type: .bigint, .notNull)
            .column("chunks", type: .int, .notNull)
            .column("created_at", type: .timestamp, .notNull)
            .run()
        try await sql.create(table: "blob_chunks")
            .column("sha256", type: .text, .notNull)
            .column("seq", type: .int, .notNull)
            .column("data", type: .blob, .notNull)
            .primaryKey("sha256", "seq")
            .run()
        if sql.dialect.name == "postgresql" {
            // Most stored files (images, PDFs, zips, audio) are compressed already: storing them as they are saves the
            // work of trying again on every write.
            try await sql.raw("ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("blob_chunks").delete()
        try await database.schema("blobs").delete()
    }
}
