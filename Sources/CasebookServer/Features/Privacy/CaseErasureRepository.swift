import CasebookCore
import Foundation
import SQLKit

/// Takes personal data out of cases, or removes cases whole: the SQL behind retention rules and anonymised people.
/// Files are removed only after the transaction commits (`StoredFileRepository.unused`), and only when nothing else still uses them.
enum CaseErasureRepository {
    static let removedText = "[removed under the retention rules]"

    /// Blanks what was written and sent on these cases (messages, attachments, mail, call notes and recordings,
    /// survey comments, the subject) and keeps their fields and times for reports; returns the file digests let go.
    static func anonymise(_ cases: [(id: UUID, number: Int)], reason: String, at now: Date, on sql: any SQLDatabase) async throws -> [String] {
        guard !cases.isEmpty else { return [] }
        let ids = cases.map(\.id)
        let digests = try await fileDigests(of: ids, on: sql)
        try await sql.delete(from: "attachments").where("case_id", .in, SQLBind.group(ids)).run()
        try await sql.update("messages").set("text", to: removedText).set("html", to: SQLLiteral.null).set("tone_evidence", to: SQLLiteral.null)
            .where("case_id", .in, SQLBind.group(ids)).run()
        for item in cases {
            try await sql.update("cases").set("subject", to: "Case \(item.number) (anonymised)").where("id", .equal, item.id).run()
        }
        try await sql.update("timeline_entries").set("old_value", to: SQLLiteral.null).set("new_value", to: SQLLiteral.null)
            .where("case_id", .in, SQLBind.group(ids)).where("field", .equal, "subject").run()
        try await forgetMail(of: ids, on: sql)
        try await sql.update("calls").set("notes", to: SQLLiteral.null).set("transcript", to: SQLLiteral.null).set("number", to: "")
            .set("recording_sha256", to: SQLLiteral.null).set("recording_bytes", to: SQLLiteral.null)
            .where("case_id", .in, SQLBind.group(ids)).run()
        try await sql.update("satisfaction_surveys").set("comment", to: SQLLiteral.null).where("case_id", .in, SQLBind.group(ids)).run()
        try await ReplyReviewRepository.blank(ids, text: removedText, at: now, on: sql)
        try await markRedacted(cases, reason: reason, at: now, on: sql)
        return digests
    }

    /// Removes the cases and everything on them; links to them from problems, assets, alerts and articles go too.
    /// Returns the file digests let go.
    static func delete(_ cases: [(id: UUID, number: Int)], on sql: any SQLDatabase) async throws -> [String] {
        guard !cases.isEmpty else { return [] }
        let ids = cases.map(\.id)
        let digests = try await fileDigests(of: ids, on: sql)
        let group = SQLBind.group(ids)
        for table in ["attachments", "timeline_entries", "case_sla", "case_tags", "case_intake", "case_articles", "case_presence",
                      "asset_cases", "problem_cases", "rule_firings", "calls", "satisfaction_surveys", "proactive_incidents",
                      "outbound_messages", "privacy_redactions", "legal_holds", "time_entries", "agent_notifications", "case_followers", "case_copies", "tone_corrections", "reply_reviews", "case_review_rules"] {
            try await sql.delete(from: table).where("case_id", .in, group).run()
        }
        let deliveries = sql.select().column("id").from("webhook_deliveries").where("case_id", .in, group)
        try await sql.delete(from: "webhook_attempts").where(SQLColumn("delivery_id"), .in, SQLGroupExpression(deliveries.query)).run()
        try await sql.delete(from: "webhook_deliveries").where("case_id", .in, group).run()
        try await CaseLinkRepository.deleteAll(of: ids, on: sql)
        try await forgetMail(of: ids, on: sql)
        try await sql.update("inbound_messages").set("case_id", to: SQLLiteral.null).where("case_id", .in, group).run()
        try await sql.update("monitoring_alerts").set("case_id", to: SQLLiteral.null).where("case_id", .in, group).run()
        try await sql.update("knowledge_articles").set("source_case_id", to: SQLLiteral.null).where("source_case_id", .in, group).run()
        try await sql.update("knowledge_suggestions").set("filed_case_id", to: SQLLiteral.null).where("filed_case_id", .in, group).run()
        try await forgetSearch(of: cases, on: sql)
        try await sql.delete(from: "messages").where("case_id", .in, group).run()
        try await sql.delete(from: "cases").where("id", .in, group).run()
        return digests
    }

    /// Notes that these cases' personal data is gone, and takes their words out of the search, so a search for what
    /// was removed (a name, an address) no longer finds them.
    static func markRedacted(_ cases: [(id: UUID, number: Int)], reason: String, at now: Date, on sql: any SQLDatabase) async throws {
        try await forgetSearch(of: cases, on: sql)
        for id in cases.map(\.id) {
            try await sql.delete(from: "privacy_redactions").where("case_id", .equal, id).run()
            try await sql.insert(into: "privacy_redactions").columns("case_id", "at", "reason")
                .values(SQLBind(id), SQLBind(now), SQLBind(String(reason.prefix(300)))).run()
        }
    }

    private static func fileDigests(of ids: [UUID], on sql: any SQLDatabase) async throws -> [String] {
        let group = SQLBind.group(ids)
        var digests = try await sql.select().distinct().column("sha256").from("attachments").where("case_id", .in, group).all()
            .map { try $0.decode(column: "sha256", as: String.self) }
        digests += try await sql.select().column("recording_sha256").from("calls").where("case_id", .in, group).all()
            .compactMap { try $0.decode(column: "recording_sha256", as: String?.self) }
        // A stored email kept as a file (large ones) is named by its digest; the receipt keeps a different one (below).
        digests += try await sql.select().column("sha256").from("inbound_messages").where("case_id", .in, group).where("raw", .is, SQLLiteral.null).all()
            .map { try $0.decode(column: "sha256", as: String.self) }
        digests += try await ReplyReviewRepository.fileDigests(of: ids, on: sql)
        return digests
    }

    /// Stored email to and from these cases loses its text, sender and recipients; the receipt stays so a message
    /// delivered again is still known, but under a digest that no longer names a file.
    static func forgetMail(of ids: [UUID], on sql: any SQLDatabase) async throws {
        let group = SQLBind.group(ids)
        for row in try await sql.select().columns("id", "sha256").from("inbound_messages").where("case_id", .in, group).all() {
            let digest = try row.decode(column: "sha256", as: String.self)
            guard !digest.hasPrefix("forgotten:") else { continue }
            try await sql.update("inbound_messages").set("raw", to: SQLLiteral.null).set("sender", to: SQLLiteral.null).set("subject", to: "")
                .set("sha256", to: "forgotten:" + digest).where("id", .equal, try row.decode(column: "id", as: UUID.self)).run()
        }
        try await sql.update("outbound_messages").set("raw", to: "").set("recipients", to: "").set("subject", to: "")
            .where("case_id", .in, group).run()
    }

    /// The search index keeps no words of these cases; what was queued for it goes too.
    private static func forgetSearch(of cases: [(id: UUID, number: Int)], on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "case_terms").where("case_id", .in, SQLBind.group(cases.map(\.id))).run()
        try await SearchDialect.index(for: sql).forget(caseIDs: cases.map(\.id), caseNumbers: cases.map(\.number), on: sql)
    }
}
