import CasebookCore
import Foundation
import SQLKit

/// Admins' saved wordings of the automatic customer mails, one per template and language.
enum MailTemplateTextRepository {
    /// A saved wording.
    struct Saved: Sendable {
        var subject: String
        var body: String
        var updatedAt: Date
    }

    static func find(_ name: String, language: String, on sql: any SQLDatabase) async throws -> Saved? {
        try await sql.select().columns("subject", "body", "updated_at").from("mail_template_texts")
            .where("name", .equal, name).where("language", .equal, language).first().map {
                Saved(subject: try $0.decode(column: "subject", as: String.self), body: try $0.decode(column: "body", as: String.self),
                      updatedAt: try $0.decode(column: "updated_at", as: Date.self))
            }
    }

    /// Saves a wording in place of any earlier one for the same template and language.
    static func replace(name: String, language: String, subject: String, body: String, by userID: UUID, at now: Date,
                        on sql: any SQLDatabase) async throws {
        try await delete(name: name, language: language, on: sql)
        try await sql.insert(into: "mail_template_texts").columns("name", "language", "subject", "body", "updated_by", "updated_at")
            .values(SQLBind(name), SQLBind(language), SQLBind(subject), SQLBind(body), SQLBind(userID), SQLBind(now)).run()
    }

    static func delete(name: String, language: String, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "mail_template_texts").where("name", .equal, name).where("language", .equal, language).run()
    }
}
