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
        for warning in try await NoticeRepository.warnings(limit: 200, on: sql) {
            views.append(WarningView(id: warning.id, productVersionID: warning.productVersionID,
                                     version: try await EarlyWarnings.versionName(warning.productVersionID, on: sql), organisations: warning.organisations,
                                     cases: warning.cases, detectedAt: warning.detectedAt))
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
        var language: String

        enum CodingKeys: String, CodingKey {
            case email, name, language
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
        /// The recipients' languages (on one notice's answer): how many read each, and whether the notice is translated into it.
        var languages: [NoticeLanguages.Coverage]?

        enum CodingKeys: String, CodingKey {
            case id, version, subject, body, recipients, organisations, languages
            case sentAt = "sent_at"
        }
    }

    /// Everyone running the version: the customers who opened cases about it, and the customers of organisations whose assets run it.
    static func recipients(version: UUID, on sql: any SQLDatabase) async throws -> [Recipient] {
        try await NoticeRepository.recipients(version: version, on: sql).map { Recipient(email: $0.email, name: $0.name, organisationID: $0.organisationID, language: $0.language) }
    }

    /// Drafts a notice and shows exactly who would receive it; nothing is sent.
    @Sendable func preview(req: Request) async throws -> Response {
        try req.authorize(.readInternal)
        let current = try req.current
        let input = try req.content.decode(PreviewRequest.self)
        let services = req.casebook
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
            try await NoticeRepository.addNotice(id: id, version: input.productVersionID, subject: subject, body: body, recipients: recipients.map(\.email),
                                                 organisations: organisations, by: current.user.id, at: now, on: sql)
            return NoticeView(id: id, version: try await EarlyWarnings.versionName(input.productVersionID, on: sql), subject: subject, body: body,
                              recipients: recipients, organisations: organisations,
                              languages: try await NoticeLanguages(services: services).coverage(id, subject: subject, body: body, recipients: recipients, on: sql))
        }
        return try await view.encodeResponse(status: .created, for: req)
    }

    /// Notices drafted and sent, newest first (recipients listed on each notice's own page).
    @Sendable func notices(req: Request) async throws -> [NoticeView] {
        try req.authorize(.readInternal)
        let sql = req.store.sql
        var views: [NoticeView] = []
        for notice in try await NoticeRepository.notices(limit: 200, on: sql) {
            views.append(try await Self.view(notice, recipients: false, on: sql))
        }
        return views
    }

    /// One notice with exactly who it went to, or would go to.
    @Sendable func notice(req: Request) async throws -> NoticeView {
        try req.authorize(.readInternal)
        let sql = req.store.sql
        guard let id = req.parameters.get("id", as: UUID.self),
              let notice = try await NoticeRepository.findNotice(id, on: sql) else {
            throw Problem.notFound("The notice")
        }
        var view = try await Self.view(notice, recipients: true, on: sql)
        view.languages = try await NoticeLanguages(services: req.casebook).coverage(notice.id, subject: notice.subject, body: notice.body,
                                                                                   recipients: view.recipients, on: sql)
        return view
    }

    static func view(_ notice: NoticeRepository.Notice, recipients withRecipients: Bool, on sql: any SQLDatabase) async throws -> NoticeView {
        let recipients = withRecipients ? try await Self.recipients(version: notice.productVersionID, on: sql).filter { notice.recipients.contains($0.email) } : []
        return NoticeView(id: notice.id, version: try await EarlyWarnings.versionName(notice.productVersionID, on: sql), subject: notice.subject,
                          body: notice.body, recipients: recipients, organisations: notice.organisations, sentAt: notice.sentAt)
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
                  let notice = try await NoticeRepository.findNotice(id, on: sql)
            else { throw Problem.notFound("The notice") }
            guard notice.sentAt == nil else { throw Problem.conflict("This notice has already been sent.") }
            let version = notice.productVersionID, subject = notice.subject, body = notice.body, addresses = notice.recipients
            // The same people the preview showed, never anyone added since.
            let recipients = try await Self.recipients(version: version, on: sql).filter { addresses.contains($0.email) }
            let settings = services.configuration.outbound
            let languages = NoticeLanguages(services: services)
            for recipient in recipients {
                // Each reader gets the notice in their language where it is translated, else as written.
                let words = try await languages.words(id, subject: subject, body: body, language: recipient.language, on: sql)
                try await Outbox.enqueueFromDesk(to: MailAddress(name: recipient.name, address: recipient.email), subject: words.subject, text: words.body,
                                                 kind: .notice, caseID: nil, isAutomatic: false, settings: settings, on: sql, now: now)
            }
            let organisations = notice.organisations
            for organisation in organisations {
                try await NoticeRepository.addOrganisationEvent(organisation, kind: "proactive_notice", text: subject, by: current.user.id, at: now, on: sql)
            }
            let versionName = try await EarlyWarnings.versionName(version, on: sql)
            for manager in try await StaffAddressRepository.accountManagers(of: Set(organisations), on: sql) {
                try await StaffNotice(services: services).send(
                    to: manager.address, subject: "Proactive notice sent to your accounts: \(subject)",
                    text: "A proactive notice about \(versionName) went to the people running it at \(manager.accounts.joined(separator: ", ")).\n\n\(body)",
                    on: sql, now: now)
            }
            try await NoticeRepository.markNoticeSent(id, at: now, on: sql)
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
        return try await NoticeRepository.organisationEvents(id, limit: 500, on: req.store.sql).map {
            EventView(kind: $0.kind, text: $0.text, actorID: $0.actorID, createdAt: $0.at)
        }
    }
}
