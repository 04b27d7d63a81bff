import CasebookCore
import Foundation
import SQLKit

/// The `reply_reviews` table: replies held for a fluent colleague, and what became of them.
enum ReplyReviewRepository {
    private static let select = """
        SELECT r.*, c.number AS case_number, c.subject AS case_subject, a.name AS author_name, d.name AS decided_by_name
        FROM reply_reviews r JOIN cases c ON c.id = r.case_id JOIN users a ON a.id = r.author_id LEFT JOIN users d ON d.id = r.decided_by
        """

    /// Marks a case so every later public reply on it waits for review; the first rule to ask is the one named.
    static func requireReview(caseID: UUID, rule: String, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "case_review_rules").columns("case_id", "rule_name", "created_at")
            .values(SQLBind(caseID), SQLBind(rule), SQLBind(now)).ignoringConflicts(with: ["case_id"]).run()
    }

    /// The rule that asked for every reply on this case to be reviewed, if one did.
    static func reviewRule(caseID: UUID, on sql: any SQLDatabase) async throws -> String? {
        try await sql.select().column("rule_name").from("case_review_rules").where("case_id", .equal, caseID).first()?
            .decode(column: "rule_name", as: String.self)
    }

    /// The files of these cases' held replies, by digest.
    static func fileDigests(of caseIDs: [UUID], on sql: any SQLDatabase) async throws -> [String] {
        try await files(sql.select().column("attachments").from("reply_reviews").where("case_id", .in, SQLBind.group(caseIDs)))
    }

    /// The files of every held reply, by digest (what an export carries).
    static func allFileDigests(on sql: any SQLDatabase) async throws -> [String] {
        try await files(sql.select().column("attachments").from("reply_reviews").where("attachments", .isNot, SQLLiteral.null))
    }

    /// Of these digests, the ones a held reply still names.
    static func digestsInUse(_ digests: Set<String>, on sql: any SQLDatabase) async throws -> Set<String> {
        var inUse: Set<String> = []
        let sorted = digests.sorted()
        // Only the rows naming one of these digests are read and decoded (a digest is hex, safe inside LIKE).
        for start in stride(from: 0, to: sorted.count, by: 100) {
            let chunk = sorted[start ..< min(start + 100, sorted.count)]
            let query = sql.select().column("attachments").from("reply_reviews").where(group: { group in
                chunk.reduce(group) { $0.orWhere("attachments", .like, "%\($1)%") }
            })
            inUse.formUnion(digests.intersection(try await files(query)))
        }
        return inUse
    }

    /// Retention's anonymising: the words and files of these cases' held replies go, and one still waiting can no
    /// longer be sent (there is nothing left to send).
    static func blank(_ caseIDs: [UUID], text: String, at now: Date, on sql: any SQLDatabase) async throws {
        let group = SQLBind.group(caseIDs)
        try await sql.update("reply_reviews").set("state", to: ReplyDraftState.withdrawn.rawValue).set("decided_at", to: now)
            .where("case_id", .in, group).where("state", .equal, ReplyDraftState.waiting.rawValue).run()
        try await sql.update("reply_reviews").set("text", to: text).set("html", to: SQLLiteral.null).set("note", to: SQLLiteral.null)
            .set("attachments", to: SQLLiteral.null).where("case_id", .in, group).run()
    }

    /// A person's anonymising: their name, address and phone come out of these cases' held replies and notes.
    static func scrub(_ caseIDs: [UUID], with scrub: (String) -> String, on sql: any SQLDatabase) async throws {
        for row in try await sql.select().columns("id", "text", "note").from("reply_reviews").where("case_id", .in, SQLBind.group(caseIDs)).all() {
            let text = try row.decode(column: "text", as: String.self), note = try row.decode(column: "note", as: String?.self)
            guard scrub(text) != text || note.map(scrub) != note else { continue }
            try await sql.update("reply_reviews").set("text", to: scrub(text)).set("html", to: SQLLiteral.null).set("note", to: note.map(scrub))
                .where("id", .equal, try row.decode(column: "id", as: UUID.self)).run()
        }
    }

    private static func files(_ query: SQLSelectBuilder) async throws -> [String] {
        try await query.all().flatMap { row -> [String] in
            guard let json = try row.decode(column: "attachments", as: String?.self) else { return [] }
            return try JSONDecoder().decode([ReplyDraftFile].self, from: Data(json.utf8)).map(\.sha256)
        }
    }

    /// Stores a new waiting draft (its decision fields are not read: nobody has decided yet).
    static func hold(_ draft: ReplyDraft, on sql: any SQLDatabase) async throws {
        let files = draft.attachments.isEmpty ? nil : String(decoding: try JSONEncoder().encode(draft.attachments), as: UTF8.self)
        try await sql.insert(into: "reply_reviews")
            .columns("id", "case_id", "author_id", "language", "reason", "text", "html", "status_after", "minutes", "attachments", "state", "created_at")
            .values(SQLBind(draft.id), SQLBind(draft.caseID), SQLBind(draft.authorID), SQLBind(draft.language), SQLBind(draft.reason.rawValue),
                    SQLBind(draft.text), SQLBind(draft.html), SQLBind(draft.status?.rawValue), SQLBind(draft.minutes), SQLBind(files),
                    SQLBind(ReplyDraftState.waiting.rawValue), SQLBind(draft.createdAt))
            .run()
    }

    static func find(_ id: UUID, prefix: String, on sql: any SQLDatabase) async throws -> ReplyDraft? {
        try await sql.raw("\(unsafeRaw: select) WHERE r.id = \(bind: id)").first().map { try draft($0, prefix: prefix) }
    }

    /// The drafts of one case, newest first: what waits, and what was returned or sent after review.
    static func forCase(_ caseID: UUID, prefix: String, on sql: any SQLDatabase) async throws -> [ReplyDraft] {
        try await sql.raw("\(unsafeRaw: select) WHERE r.case_id = \(bind: caseID) ORDER BY r.created_at DESC").all().map { try draft($0, prefix: prefix) }
    }

    /// Drafts in one state, oldest first (the queue order), optionally only in some languages.
    static func list(state: ReplyDraftState, languages: [String]?, limit: Int, prefix: String, on sql: any SQLDatabase) async throws -> [ReplyDraft] {
        var languageFilter: SQLQueryString = ""
        if let languages {
            guard !languages.isEmpty else { return [] }
            languageFilter = " AND r.language IN (\(binds: languages))"
        }
        let query: SQLQueryString = """
            \(unsafeRaw: select) WHERE r.state = \(bind: state.rawValue)\(languageFilter) ORDER BY r.created_at ASC LIMIT \(bind: limit)
            """
        return try await sql.raw(query).all().map { try draft($0, prefix: prefix) }
    }

    /// How many replies wait in each language.
    static func waitingCounts(on sql: any SQLDatabase) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await sql.raw("SELECT language, COUNT(*) AS n FROM reply_reviews WHERE state = 'waiting' GROUP BY language").all() {
            counts[try row.decode(column: "language", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    /// How many replies wait for `reviewer`: those in a language they write well.
    static func waitingFor(reviewer: UUID, on sql: any SQLDatabase) async throws -> Int {
        guard let languages = try await UserRepository.languages(of: reviewer, on: sql) else { return 0 }
        let fluent = ReplyReview.fluent(listed: languages.writes, profileLanguage: languages.profile)
        return try await waitingCounts(on: sql).filter { fluent.contains($0.key) }.values.reduce(0, +)
    }

    /// Settles a waiting draft; false when it no longer waits (someone else settled it first).
    static func settle(_ id: UUID, as state: ReplyDraftState, by userID: UUID, note: String?, text: String?, messageID: UUID?, at now: Date,
                       on sql: any SQLDatabase) async throws -> Bool {
        var update = sql.update("reply_reviews").set("state", to: state.rawValue).set("decided_by", to: userID).set("decided_at", to: now)
            .set("note", to: note).set("message_id", to: messageID)
        if let text { update = update.set("text", to: text).set("html", to: SQLLiteral.null) }
        let rows = try await update.where("id", .equal, id).where("state", .equal, ReplyDraftState.waiting.rawValue).returning("id").all()
        return !rows.isEmpty
    }

    private static func draft(_ row: any SQLRow, prefix: String) throws -> ReplyDraft {
        let files = try row.decode(column: "attachments", as: String?.self)
        return ReplyDraft(
            id: try row.decode(column: "id", as: UUID.self), caseID: try row.decode(column: "case_id", as: UUID.self),
            reference: Reference(prefix: prefix, number: try row.decode(column: "case_number", as: Int.self)).description,
            subject: try row.decode(column: "case_subject", as: String.self),
            authorID: try row.decode(column: "author_id", as: UUID.self), authorName: try row.decode(column: "author_name", as: String.self),
            language: try row.decode(column: "language", as: String.self),
            reason: ReplyReview.Reason(rawValue: try row.decode(column: "reason", as: String.self)) ?? .language,
            text: try row.decode(column: "text", as: String.self), html: try row.decode(column: "html", as: String?.self),
            status: try row.decode(column: "status_after", as: String?.self).flatMap(CaseStatus.init(rawValue:)),
            minutes: try row.decode(column: "minutes", as: Int?.self),
            attachments: try files.map { try JSONDecoder().decode([ReplyDraftFile].self, from: Data($0.utf8)) } ?? [],
            state: ReplyDraftState(rawValue: try row.decode(column: "state", as: String.self)) ?? .waiting,
            createdAt: try row.decode(column: "created_at", as: Date.self),
            decidedByName: try row.decode(column: "decided_by_name", as: String?.self), decidedAt: try row.decode(column: "decided_at", as: Date?.self),
            note: try row.decode(column: "note", as: String?.self), messageID: try row.decode(column: "message_id", as: UUID?.self))
    }
}
