import CasebookCore
import Foundation
import SQLKit

/// The reads behind a privacy export: everything about one person, as the JSON document and the files it names.
enum PersonExportRepository {
    struct CaseExport: Encodable {
        var record: [String: PersonalValue]
        var messages: [[String: PersonalValue]]
        var attachments: [[String: PersonalValue]]
        var calls: [[String: PersonalValue]]
        var surveys: [[String: PersonalValue]]
    }

    struct Document: Encodable {
        var exportedAt: String
        var includesInternalNotes: Bool
        var person: PersonDataRepository.Person
        var cases: [CaseExport]
        var sessions: [[String: PersonalValue]]
        var tokens: [[String: PersonalValue]]
        var signIns: [[String: PersonalValue]]
        var companyAccounts: [[String: PersonalValue]]
        var mailSent: [[String: PersonalValue]]

        enum CodingKeys: String, CodingKey {
            case exportedAt = "exported_at", includesInternalNotes = "includes_internal_notes", person, cases, sessions, tokens
            case signIns = "sign_ins", companyAccounts = "company_accounts", mailSent = "mail_sent"
        }
    }

    static func read(_ id: UUID, internalNotes: Bool, now: Date, on sql: any SQLDatabase) async throws
        -> (Document, [(path: String, digest: String)])? {
        guard let person = try await PersonDataRepository.person(id, on: sql) else { return nil }
        var cases: [CaseExport] = []
        var files: [(path: String, digest: String)] = []
        var used: Set<String> = []
        let visible = internalNotes ? "" : " AND m.visibility = 'public'"
        for item in try await PersonDataRepository.cases(of: id, on: sql) {
            let record = try await PersonDataRepository.rows("""
                SELECT number, subject, type, status, priority, channel, tags, created_at, updated_at, solved_at, closed_at FROM cases WHERE id = \(bind: item.id)
                """, columns: [("number", .number), ("subject", .text), ("type", .text), ("status", .text), ("priority", .text), ("channel", .text),
                               ("tags", .text), ("created_at", .time), ("updated_at", .time), ("solved_at", .time), ("closed_at", .time)], on: sql).first ?? [:]
            let messages = try await PersonDataRepository.rows("""
                SELECT m.id, m.created_at, m.visibility, m.channel, m.text, u.name AS author, u.email AS author_email FROM messages m
                LEFT JOIN users u ON u.id = m.author_id WHERE m.case_id = \(bind: item.id)\(unsafeRaw: visible) ORDER BY m.created_at
                """, columns: [("id", .id), ("created_at", .time), ("visibility", .text), ("channel", .text), ("text", .text), ("author", .text),
                               ("author_email", .text)], on: sql)
            var attachments = try await PersonDataRepository.rows("""
                SELECT a.id, a.message_id, a.filename, a.content_type, a.size, a.sha256, a.created_at FROM attachments a
                JOIN messages m ON m.id = a.message_id WHERE a.case_id = \(bind: item.id)\(unsafeRaw: visible) ORDER BY a.created_at
                """, columns: [("id", .id), ("message_id", .id), ("filename", .text), ("content_type", .text), ("size", .number),
                               ("sha256", .text), ("created_at", .time)], on: sql)
            for index in attachments.indices {
                guard case let .text(digest)? = attachments[index]["sha256"], case let .text(filename)? = attachments[index]["filename"] else { continue }
                var path = "attachments/\(item.number)/" + Self.safeFileName(filename)
                var n = 2
                while used.contains(path) { path = "attachments/\(item.number)/\(n)-" + Self.safeFileName(filename); n += 1 }
                used.insert(path)
                attachments[index]["file"] = .text(path)
                files.append((path, digest))
            }
            let calls = try await PersonDataRepository.rows("""
                SELECT direction, number, duration_seconds, started_at, transcript FROM calls WHERE case_id = \(bind: item.id) ORDER BY started_at
                """, columns: [("direction", .text), ("number", .text), ("duration_seconds", .number), ("started_at", .time), ("transcript", .text)], on: sql)
            let surveys = try await PersonDataRepository.rows("""
                SELECT sent_at, score, comment, answered_at FROM satisfaction_surveys WHERE case_id = \(bind: item.id)
                """, columns: [("sent_at", .time), ("score", .number), ("comment", .text), ("answered_at", .time)], on: sql)
            cases.append(CaseExport(record: record, messages: messages, attachments: attachments, calls: calls, surveys: surveys))
        }
        let document = Document(
            exportedAt: Timestamp.format(now), includesInternalNotes: internalNotes, person: person, cases: cases,
            sessions: try await PersonDataRepository.rows("""
                SELECT device, client, created_at, last_seen_at, expires_at FROM web_sessions WHERE user_id = \(bind: id) ORDER BY created_at
                """, columns: [("device", .text), ("client", .text), ("created_at", .time), ("last_seen_at", .time), ("expires_at", .time)], on: sql),
            tokens: try await PersonDataRepository.rows("""
                SELECT name, hint, created_at, revoked_at, last_used_at, last_used_client FROM api_tokens WHERE user_id = \(bind: id) ORDER BY created_at
                """, columns: [("name", .text), ("hint", .text), ("created_at", .time), ("revoked_at", .time), ("last_used_at", .time),
                               ("last_used_client", .text)], on: sql),
            signIns: try await PersonDataRepository.rows("""
                SELECT at, client, category, action, outcome FROM audit_events WHERE actor_id = \(bind: id)
                AND category IN ('sign_in', 'sign_in_failed', 'sign_out') ORDER BY at
                """, columns: [("at", .time), ("client", .text), ("category", .text), ("action", .text), ("outcome", .number)], on: sql),
            companyAccounts: try await PersonDataRepository.rows("""
                SELECT subject, created_at, last_sign_in_at FROM external_identities WHERE user_id = \(bind: id) ORDER BY created_at
                """, columns: [("subject", .text), ("created_at", .time), ("last_sign_in_at", .time)], on: sql),
            mailSent: try await PersonDataRepository.rows("""
                SELECT o.kind, o.subject, o.status, o.created_at, o.sent_at FROM outbound_messages o
                WHERE o.case_id IN (SELECT id FROM cases WHERE requester_id = \(bind: id)) ORDER BY o.created_at
                """, columns: [("kind", .text), ("subject", .text), ("status", .text), ("created_at", .time), ("sent_at", .time)], on: sql))
        return (document, files)
    }

    /// A stored file name fit for an archive: no folders, no control characters, never empty.
    static func safeFileName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init)).trimmingCharacters(in: .whitespaces)
        return clean.isEmpty || clean == "." || clean == ".." ? "file" : String(clean.prefix(150))
    }
}
