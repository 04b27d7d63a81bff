import CasebookCore
import CasebookMail
import SQLKit
import Vapor

/// Early warnings, proactive notices to everyone running a product version (preview, then send), and organisations' timelines.
struct NoticeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("early-warnings", use: warnings)
        routes.get("notices", use: notices)
        routes.get("notices", ":id", use: notice)
        routes.post("notices", "preview", use: preview)
        routes.post("notices", ":id", "send", use: send)
        routes.get("organisations", ":id", "timeline", use: timeline)
    }

    struct WarningView: Content {
        var id: UUID
        var productVersionID: UUID
        var version: String
        var organisations: Int
        var cases: [String]
        var detectedAt: Date

        enum CodingKeys: String, CodingKey {
            case id, version, organisations, cases
            case productVersionID = "product_version_id", detectedAt = "detected_at"
        }
    }

    @Sendable func warnings(req: Request) async throws -> [WarningView] {
        try req.authorize(.readReports)
        let sql = req.store.sql
        var views: [WarningView] = []
        for row in try await sql.select().columns("*").from("early_warnings").orderBy("detected_at", .descending).limit(200).all() {
            let version = try row.decode(column: "product_version_id", as: UUID.self)
            views.append(WarningView(id: try row.decode(column: "id", as: UUID.self), productVersionID: version,
                                     version: try await EarlyWarnings.versionName(version, on: sql), organisations: try row.decode(column: "organisations", as: Int.self),
                                     cases: try row.decode(column: "cases", as: String.self).split(separator: ",").map(String.init),
                                     detectedAt: try row.decode(column: "detected_at", as: Date.self)))
        }
        return views
    }

    struct PreviewRequest: Content {
        var productVersionID: UUID
        var subject: String
        var body: String

        enum CodingKeys: String, CodingKey {
            case subject, body
            case productVersionID = "product_version_id"
        }
    }

    struct Recipient: Content {
        var email: String
        var name: String
        var organisationID: UUID?

        enum CodingKeys: String, CodingKey {
            case email, name
            case organisationID = "organisation_id"
        }
    }

    struct NoticeView: Content {
        var id: UUID
        var version: String
        var subject: String
        var body: String
        var recipients: [Recipient]
        var organisations: [UUID]
        var sentAt: Date?

        enum CodingKeys: String, CodingKey {
            case id, version, subject, body, recipients, organisations
            case sentAt = "sent_at"
        }
    }

    /// Everyone running the version: the customers who opened cases about it, and the customers of organisations whose assets run it.
    static func recipients(version: UUID, on sql: any SQLDatabase) async throws -> [Recipient] {
        let rows = try await sql.raw("""
            SELECT DISTINCT u.email, u.name, u.organisation_id FROM users u WHERE u.role = 'customer' AND u.active = \(bind: true) AND (
                u.id IN (SELECT requester_id FROM cases WHERE product_version_id = \(bind: version))
                OR u.organisation_id IN (SELECT organisation_id FROM assets WHERE product_version_id = \(bind: version) AND retired = \(bind: false)))
            ORDER BY u.email LIMIT 10000
            """).all()
        return try rows.map { Recipient(email: try $0.decode(column: "email", as: String.self), name: try $0.decode(column: "name", as: String.self),
                                        organisationID: try $0.decode(column: "organisation_id", as: UUID?.self)) }
    }

    /// Drafts a notice and shows exactly who would receive it; nothing is sent.
    @Sendable func preview(req: Request) async throws -> Response {
        try req.authorize(.readInternal)
        let current = try req.current
        let input = try req.content.decode(PreviewRequest.self)
        let subject = try Validate.name(input.subject, field: "subject", max: 200)
        let body = input.body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty, body.count <= 20_000 else { throw Problem.invalid("body", "must be 1 to 20000 characters") }
        let now = req.now
        let view = try await req.store.write { db -> NoticeView in
            let sql = req.store.sql(db)
            guard try await RelatedRecordRepository.product(ofVersion: input.productVersionID, on: sql) != nil else {
                throw Problem.invalid("product_version_id", "names no product version")
            }
            let recipients = try await Self.recipients(version: input.productVersionID, on: sql)
            let organisations = Array(Set(recipients.compactMap(\.organisationID))).sorted { $0.uuidString < $1.uuidString }
            let id = RecordID.make()
            try await sql.insert(into: "proactive_notices")
                .columns("id", "product_version_id", "subject", "body", "recipients", "organisations", "created_by", "created_at")
                .values(SQLBind(id), SQLBind(input.productVersionID), SQLBind(subject), SQLBind(body),
                        SQLBind(recipients.map(\.email).joined(separator: ",")), SQLBind(organisations.map(\.uuidString).joined(separator: ",")),
                        SQLBind(current.user.id), SQLBind(now)).run()
            return NoticeView(id: id, version: try await EarlyWarnings.versionName(input.productVersionID, on: sql), subject: subject, body: body,
                              recipients: recipients, organisations: organisations)
        }
        return try await view.encodeResponse(status: .created, for: req)
    }

    /// Notices drafted and sent, newest first (recipients listed on each notice's own page).
    @Sendable func notices(req: Request) async throws -> [NoticeView] {
        try req.authorize(.readInternal)
        let sql = req.store.sql
        var views: [NoticeView] = []
        for row in try await sql.select().columns("*").from("proactive_notices").orderBy("created_at", .descending).limit(200).all() {
            views.append(try await Self.view(row, recipients: false, on: sql))
        }
        return views
    }

    /// One notice with exactly who it went to, or would go to.
    @Sendable func notice(req: Request) async throws -> NoticeView {
        try req.authorize(.readInternal)
        let sql = req.store.sql
        guard let id = req.parameters.get("id", as: UUID.self),
              let row = try await sql.select().columns("*").from("proactive_notices").where("id", .equal, id).first() else {
            throw Problem.notFound("The notice")
        }
        return try await Self.view(row, recipients: true, on: sql)
    }

    static func view(_ row: any SQLRow, recipients withRecipients: Bool, on sql: any SQLDatabase) async throws -> NoticeView {
        let version = try row.decode(column: "product_version_id", as: UUID.self)
        let addresses = Set(try row.decode(column: "recipients", as: String.self).split(separator: ",").map(String.init))
        let recipients = withRecipients ? try await Self.recipients(version: version, on: sql).filter { addresses.contains($0.email) } : []
        return NoticeView(id: try row.decode(column: "id", as: UUID.self), version: try await EarlyWarnings.versionName(version, on: sql),
                          subject: try row.decode(column: "subject", as: String.self), body: try row.decode(column: "body", as: String.self),
                          recipients: recipients,
                          organisations: try row.decode(column: "organisations", as: String.self).split(separator: ",").compactMap { UUID(uuidString: String($0)) },
                          sentAt: try row.decode(column: "sent_at", as: Date?.self))
    }

    /// Sends a previewed notice to the recipients it listed, and records it on each organisation's timeline.
    @Sendable func send(req: Request) async throws -> NoticeView {
        try req.authorize(.sendNotices)
        let current = try req.current
        let services = req.casebook
        let now = req.now
        return try await req.store.write { db -> NoticeView in
            let sql = services.store.sql(db)
            guard let id = req.parameters.get("id", as: UUID.self),
                  let row = try await sql.select().columns("*").from("proactive_notices").where("id", .equal, id).first()
            else { throw Problem.notFound("The notice") }
            guard try row.decode(column: "sent_at", as: Date?.self) == nil else { throw Problem.conflict("This notice has already been sent.") }
            let version = try row.decode(column: "product_version_id", as: UUID.self)
            let subject = try row.decode(column: "subject", as: String.self)
            let body = try row.decode(column: "body", as: String.self)
            let addresses = Set(try row.decode(column: "recipients", as: String.self).split(separator: ",").map(String.init))
            // The same people the preview showed, never anyone added since.
            let recipients = try await Self.recipients(version: version, on: sql).filter { addresses.contains($0.email) }
            let settings = services.configuration.outbound
            for recipient in recipients {
                try await Outbox.enqueueFromDesk(to: MailAddress(name: recipient.name, address: recipient.email), subject: subject, text: body,
                                                 kind: .notice, caseID: nil, isAutomatic: false, settings: settings, on: sql, now: now)
            }
            let organisations = try row.decode(column: "organisations", as: String.self).split(separator: ",").compactMap { UUID(uuidString: String($0)) }
            for organisation in organisations {
                try await sql.insert(into: "organisation_events").columns("id", "organisation_id", "kind", "text", "actor_id", "created_at")
                    .values(SQLBind(RecordID.make()), SQLBind(organisation), SQLBind("proactive_notice"), SQLBind(subject), SQLBind(current.user.id), SQLBind(now)).run()
            }
            let versionName = try await EarlyWarnings.versionName(version, on: sql)
            for manager in try await StaffAddressRepository.accountManagers(of: Set(organisations), on: sql) {
                try await StaffNotice(services: services).send(
                    to: manager.address, subject: "Proactive notice sent to your accounts: \(subject)",
                    text: "A proactive notice about \(versionName) went to the people running it at \(manager.accounts.joined(separator: ", ")).\n\n\(body)",
                    on: sql, now: now)
            }
            try await sql.update("proactive_notices").set("sent_at", to: now).where("id", .equal, id).run()
            return NoticeView(id: id, version: try await EarlyWarnings.versionName(version, on: sql), subject: subject, body: body,
                              recipients: recipients, organisations: organisations, sentAt: now)
        }
    }

    struct EventView: Content {
        var kind: String
        var text: String
        var actorID: UUID?
        var createdAt: Date

        enum CodingKeys: String, CodingKey {
            case kind, text
            case actorID = "actor_id", createdAt = "created_at"
        }
    }

    @Sendable func timeline(req: Request) async throws -> [EventView] {
        try req.authorize(.readInternal)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The organisation") }
        return try await req.store.sql.select().columns("*").from("organisation_events").where("organisation_id", .equal, id)
            .orderBy("created_at", .descending).limit(500).all().map { row in
                EventView(kind: try row.decode(column: "kind", as: String.self), text: try row.decode(column: "text", as: String.self),
                          actorID: try row.decode(column: "actor_id", as: UUID?.self), createdAt: try row.decode(column: "created_at", as: Date.self))
            }
    }
}
