import CasebookCore
import Foundation
import SQLKit

/// Everything Casebook holds about one person, read for a privacy export, and the writes that anonymise them.
enum PersonDataRepository {
    struct Person: Codable, Sendable {
        var id: UUID
        var email: String
        var name: String
        var role: String
        var phone: String?
        var language: String
        var timeZone: String
        var organisation: String?
        var organisationID: UUID?
        var active: Bool
        var twoFactor: Bool
        var createdAt: Date

        enum CodingKeys: String, CodingKey {
            case id, email, name, role, phone, language, organisation, active
            case timeZone = "time_zone", organisationID = "organisation_id", twoFactor = "two_factor", createdAt = "created_at"
        }
    }

    static func person(_ id: UUID, on sql: any SQLDatabase) async throws -> Person? {
        guard let row = try await sql.raw("""
            SELECT u.id, u.email, u.name, u.role, u.phone, u.language, u.time_zone, u.organisation_id, u.active, u.created_at,
                   u.totp_enabled_at, o.name AS organisation
            FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.id = \(bind: id)
            """).first() else { return nil }
        return Person(id: try row.decode(column: "id", as: UUID.self), email: try row.decode(column: "email", as: String.self),
                      name: try row.decode(column: "name", as: String.self), role: try row.decode(column: "role", as: String.self),
                      phone: try row.decode(column: "phone", as: String?.self), language: try row.decode(column: "language", as: String.self),
                      timeZone: try row.decode(column: "time_zone", as: String.self), organisation: try row.decode(column: "organisation", as: String?.self),
                      organisationID: try row.decode(column: "organisation_id", as: UUID?.self), active: try row.decode(column: "active", as: Bool.self),
                      twoFactor: try row.decode(column: "totp_enabled_at", as: Date?.self) != nil,
                      createdAt: try row.decode(column: "created_at", as: Date.self))
    }

    /// People whose name or address holds `text` (everyone when empty), newest first, with how many cases they asked for.
    static func search(_ text: String, limit: Int, on sql: any SQLDatabase) async throws -> [(person: Person, cases: Int)] {
        let pattern = "%" + text.lowercased().replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
        let ids = try await sql.raw("""
            SELECT id FROM users WHERE LOWER(name) LIKE \(bind: pattern) OR LOWER(email) LIKE \(bind: pattern)
            ORDER BY created_at DESC, id LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
        var found: [(Person, Int)] = []
        for id in ids {
            guard let person = try await person(id, on: sql) else { continue }
            found.append((person, try await caseCount(of: id, on: sql)))
        }
        return found
    }

    static func caseCount(of id: UUID, on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM cases WHERE requester_id = \(bind: id)").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The cases the person asked for, oldest first.
    static func cases(of id: UUID, on sql: any SQLDatabase) async throws -> [(id: UUID, number: Int, status: CaseStatus)] {
        try await sql.raw("SELECT id, number, status FROM cases WHERE requester_id = \(bind: id) ORDER BY number").all().map {
            (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "number", as: Int.self),
             CaseStatus(rawValue: try $0.decode(column: "status", as: String.self)) ?? .open)
        }
    }

    /// Rows of a query as JSON-ready values: texts, numbers, times (ISO 8601) and booleans as the database holds them.
    static func rows(_ query: SQLQueryString, columns: [(String, ColumnKind)], on sql: any SQLDatabase) async throws -> [[String: PersonalValue]] {
        try await sql.raw(query).all().map { row in
            var object: [String: PersonalValue] = [:]
            for (name, kind) in columns {
                switch kind {
                case .text: object[name] = try row.decode(column: name, as: String?.self).map(PersonalValue.text) ?? .null
                case .number: object[name] = try row.decode(column: name, as: Int?.self).map(PersonalValue.number) ?? .null
                case .time: object[name] = try row.decode(column: name, as: Date?.self).map { .text(Timestamp.format($0)) } ?? .null
                case .flag: object[name] = try row.decode(column: name, as: Bool?.self).map(PersonalValue.flag) ?? .null
                case .id: object[name] = try row.decode(column: name, as: UUID?.self).map { .text($0.uuidString.lowercased()) } ?? .null
                }
            }
            return object
        }
    }

    enum ColumnKind { case text, number, time, flag, id }

    // MARK: Anonymising

    /// The person's own records go (sessions, tokens, sign-in links, codes, saved filters) and their profile keeps
    /// only what reports need: role, organisation, language and time zone.
    static func anonymiseProfile(_ id: UUID, on sql: any SQLDatabase) async throws {
        // Copies go by address, which is about to change.
        if let email = try await sql.select().column("email").from("users").where("id", .equal, id).first()?.decode(column: "email", as: String.self) {
            try await CaseCopyRepository.forget(address: email, on: sql)
        }
        for table in ["web_sessions", "api_tokens", "password_resets", "external_identities", "recovery_codes", "saved_filters",
                      "group_memberships", "case_presence", "agent_notifications", "notification_preferences", "case_followers"] {
            try await sql.delete(from: table).where("user_id", .equal, id).run()
        }
        try await sql.update("users").set("email", to: PersonalData.anonymousAddress(for: id)).set("name", to: "Anonymised person")
            .set("phone", to: SQLLiteral.null).set("password_hash", to: SQLLiteral.null).set("totp_secret", to: SQLLiteral.null)
            .set("totp_enabled_at", to: SQLLiteral.null).set("totp_last_step", to: SQLLiteral.null).set("active", to: false)
            .where("id", .equal, id).run()
    }

    /// Takes the person out of their cases' texts: every message, subject and recorded change has their name, address
    /// and phone number replaced; what they sent (attachments, stored mail) goes; calls lose the number and recording.
    /// Returns the file digests let go.
    static func scrubCases(_ caseIDs: [UUID], of data: PersonalData, personID: UUID, on sql: any SQLDatabase) async throws -> [String] {
        guard !caseIDs.isEmpty else { return [] }
        let group = SQLBind.group(caseIDs)
        // Agents' notices quote the messages; they keep pointing at the case, without the words.
        try await sql.update("agent_notifications").set("excerpt", to: SQLLiteral.null).where("case_id", .in, group).run()
        var digests = try await sql.select().distinct().column(SQLColumn("sha256", table: "a")).from(SQLAlias(SQLIdentifier("attachments"), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier("messages"), as: SQLIdentifier("m")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "m"), .equal, SQLColumn("message_id", table: "a"))
            .where(SQLColumn("case_id", table: "a"), .in, group).where(SQLColumn("author_id", table: "m"), .equal, SQLBind(personID)).all()
            .map { try $0.decode(column: "sha256", as: String.self) }
        try await sql.raw("""
            DELETE FROM attachments WHERE case_id IN \(group) AND message_id IN (SELECT id FROM messages WHERE author_id = \(bind: personID))
            """).run()
        for row in try await sql.select().columns("id", "text", "html").from("messages").where("case_id", .in, group).all() {
            let text = try row.decode(column: "text", as: String.self)
            let html = try row.decode(column: "html", as: String?.self)
            let scrubbed = data.scrub(text)
            // Markup can hide an address in places scrubbing the text would miss (links, attributes): it goes when it names them.
            let keepHTML = html.map { data.scrub($0) == $0 } ?? true
            guard scrubbed != text || !keepHTML else { continue }
            var update = sql.update("messages").set("text", to: scrubbed).set("tone_evidence", to: SQLLiteral.null)
            if !keepHTML { update = update.set("html", to: SQLLiteral.null) }
            try await update.where("id", .equal, try row.decode(column: "id", as: UUID.self)).run()
        }
        for row in try await sql.select().columns("id", "subject").from("cases").where("id", .in, group).all() {
            let subject = try row.decode(column: "subject", as: String.self)
            if data.scrub(subject) != subject {
                try await sql.update("cases").set("subject", to: data.scrub(subject)).where("id", .equal, try row.decode(column: "id", as: UUID.self)).run()
            }
        }
        for row in try await sql.select().columns("id", "old_value", "new_value").from("timeline_entries").where("case_id", .in, group).all() {
            let old = try row.decode(column: "old_value", as: String?.self), new = try row.decode(column: "new_value", as: String?.self)
            let (scrubbedOld, scrubbedNew) = (old.map(data.scrub), new.map(data.scrub))
            guard scrubbedOld != old || scrubbedNew != new else { continue }
            try await sql.update("timeline_entries").set("old_value", to: scrubbedOld).set("new_value", to: scrubbedNew)
                .where("id", .equal, try row.decode(column: "id", as: UUID.self)).run()
        }
        digests += try await sql.select().column("recording_sha256").from("calls").where("case_id", .in, group).all()
            .compactMap { try $0.decode(column: "recording_sha256", as: String?.self) }
        try await sql.update("calls").set("number", to: "").set("transcript", to: SQLLiteral.null).set("recording_sha256", to: SQLLiteral.null)
            .set("recording_bytes", to: SQLLiteral.null).where("case_id", .in, group).run()
        try await sql.update("satisfaction_surveys").set("comment", to: SQLLiteral.null).where("case_id", .in, group).run()
        try await ReplyReviewRepository.scrub(caseIDs, with: data.scrub, on: sql)
        digests += try await sql.select().column("sha256").from("inbound_messages").where("case_id", .in, group).where("raw", .is, SQLLiteral.null).all()
            .map { try $0.decode(column: "sha256", as: String.self) }
        try await CaseErasureRepository.forgetMail(of: caseIDs, on: sql)
        return digests
    }
}

/// A value in a privacy export's JSON.
enum PersonalValue: Codable, Sendable, Equatable {
    case text(String), number(Int), flag(Bool), null

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .text(value): try container.encode(value)
        case let .number(value): try container.encode(value)
        case let .flag(value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null } else if let flag = try? container.decode(Bool.self) { self = .flag(flag) }
        else if let number = try? container.decode(Int.self) { self = .number(number) } else { self = .text(try container.decode(String.self)) }
    }
}
