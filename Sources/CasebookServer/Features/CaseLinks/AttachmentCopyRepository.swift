import CasebookCore
import Foundation
import SQLKit

/// A message's files given to a copy of it on another case: new rows over the same stored files (named by digest).
enum AttachmentCopyRepository {
    static func copy(from messageID: UUID, to copyID: UUID, caseID: UUID, on sql: any SQLDatabase) async throws {
        for row in try await sql.select().columns("filename", "content_type", "size", "sha256", "created_at").from("attachments")
            .where("message_id", .equal, messageID).all() {
            try await sql.insert(into: "attachments")
                .columns("id", "message_id", "case_id", "filename", "content_type", "size", "sha256", "created_at")
                .values(SQLBind(RecordID.make()), SQLBind(copyID), SQLBind(caseID), SQLBind(try row.decode(column: "filename", as: String.self)),
                        SQLBind(try row.decode(column: "content_type", as: String.self)), SQLBind(try row.decode(column: "size", as: Int.self)),
                        SQLBind(try row.decode(column: "sha256", as: String.self)), SQLBind(try row.decode(column: "created_at", as: Date.self))).run()
        }
    }
}
