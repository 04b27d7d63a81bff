import CasebookCore
import CasebookMail
import SQLKit
import Vapor

/// `/rca-reports`: root-cause analyses per case or problem; the customer version is reviewed by a second person, then sent and kept.
struct RCAController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let reports = routes.grouped("rca-reports")
        reports.get(use: list)
        reports.post(use: create)
        reports.get(":id", use: show)
        reports.patch(":id", use: update)
        reports.post(":id", "submit", use: submit)
        reports.post(":id", "approve", use: approve)
        reports.post(":id", "send", use: send)
        reports.get(":id", "print", use: print)
        routes.get("cases", ":reference", "rca", use: forCase)
    }

    /// The customer version's review state.
    enum CustomerStatus: String, Codable, Sendable { case draft, inReview = "in_review", approved, sent }

    struct RCAView: Content {
        var id: UUID
        var caseReference: String?
        var problemID: UUID?
        var title: String
        var internalVersion: RCADocument
        var customerVersion: RCADocument
        var customerStatus: CustomerStatus
        var reviewedBy: UUID?
        var reviewedAt: Date?
        var sentAt: Date?
        var sentTo: [String]?
        var createdAt: Date
        var updatedAt: Date

        enum CodingKeys: String, CodingKey {
            case id, title
            case caseReference = "case_reference", problemID = "problem_id", internalVersion = "internal", customerVersion = "customer"
            case customerStatus = "customer_status", reviewedBy = "reviewed_by", reviewedAt = "reviewed_at", sentAt = "sent_at", sentTo = "sent_to"
            case createdAt = "created_at", updatedAt = "updated_at"
        }
    }

    private func load(_ req: Request, on sql: any SQLDatabase) async throws -> RCAView {
        guard let id = req.parameters.get("id", as: UUID.self),
              let report = try await RCARepository.find(id, prefix: req.casebook.configuration.referencePrefix, on: sql)
        else { throw Problem.notFound("The report") }
        return report
    }

    @Sendable func list(req: Request) async throws -> [RCAView] {
        try req.authorize(.readInternal)
        let prefix = req.casebook.configuration.referencePrefix
        var problemID: UUID?
        if let problem = req.query[String.self, at: "problem_id"] {
            guard let id = UUID(uuidString: problem) else { throw Problem.badRequest("Query parameter 'problem_id' must be a UUID.") }
            problemID = id
        }
        return try await RCARepository.list(problemID: problemID, prefix: prefix, on: req.store.sql)
    }

    struct CreateRequest: Content {
        var title: String
        var caseReference: String?
        var problemID: UUID?

        enum CodingKeys: String, CodingKey {
            case title
            case caseReference = "case_reference", problemID = "problem_id"
        }
    }

    /// Starts a report; the internal timeline is prefilled from the case's own timeline (status changes and messages).
    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.writeRCA)
        let current = try req.current
        let input = try req.content.decode(CreateRequest.self)
        guard (input.caseReference == nil) != (input.problemID == nil) else { throw Problem.invalid("case_reference", "or problem_id is required (one of them)") }
        let title = try Validate.name(input.title, field: "title", max: 250)
        let now = req.now
        let prefix = req.casebook.configuration.referencePrefix
        let id = try await req.store.write { db -> UUID in
            let sql = req.store.sql(db)
            var caseID: UUID?
            var document = RCADocument()
            if let reference = input.caseReference {
                let record = try await CaseLookup.find(reference, prefix: prefix, on: sql)
                caseID = record.id
                document.timeline = try await RCARepository.caseMilestones(of: record.id, on: sql).map { at, kind, value in
                    RCADocument.TimelineItem(at: at, text: kind == "created" ? "Case \(value) opened" : "Status: \(value.replacingOccurrences(of: "_", with: " "))")
                }
            } else if let problem = input.problemID {
                let found = try await ProblemController.find(problem, on: sql)
                document.rootCause = found.rootCause ?? ""
            }
            let id = RecordID.make()
            try await RCARepository.insert(id: id, caseID: caseID, problemID: input.problemID, title: title, internalVersion: document, by: current.user.id,
                                           at: now, on: sql)
            return id
        }
        guard let report = try await RCARepository.find(id, prefix: prefix, on: req.store.sql) else { throw Problem.notFound("The report") }
        return try await report.encodeResponse(status: .created, for: req)
    }

    @Sendable func show(req: Request) async throws -> RCAView {
        try req.authorize(.readInternal)
        return try await load(req, on: req.store.sql)
    }

    struct UpdateRequest: Content {
        var title: String?
        var internalVersion: RCADocument?
        var customerVersion: RCADocument?

        enum CodingKeys: String, CodingKey {
            case title
            case internalVersion = "internal", customerVersion = "customer"
        }
    }

    /// The two versions are edited separately; changing the customer version sends it back to draft for another review.
    @Sendable func update(req: Request) async throws -> RCAView {
        try req.authorize(.writeRCA)
        let current = try req.current
        let input = try req.content.decode(UpdateRequest.self)
        let now = req.now
        return try await req.store.write { db -> RCAView in
            let sql = req.store.sql(db)
            let report = try await load(req, on: sql)
            let owners = try await UserRepository.staffIDs(activeOnly: true, on: sql)
            var change = RCARepository.Change()
            if let title = input.title { change.title = try Validate.name(title, field: "title", max: 250) }
            if let document = input.internalVersion { change.internalVersion = try document.validated(field: "internal", owners: owners) }
            if let document = input.customerVersion {
                guard report.customerStatus != .sent else { throw Problem.conflict("The customer version has been sent and is kept as it was.") }
                change.customerVersion = try document.validated(field: "customer", owners: owners)
            }
            try await RCARepository.update(report.id, change, by: current.user.id, at: now, on: sql)
            return try await load(req, on: sql)
        }
    }

    private func move(_ req: Request, from allowed: [CustomerStatus], to next: CustomerStatus,
                      check: @escaping @Sendable (RCAView, any SQLDatabase) async throws -> Void = { _, _ in }) async throws -> RCAView {
        try req.authorize(.writeRCA)
        let current = try req.current
        let now = req.now
        return try await req.store.write { db -> RCAView in
            let sql = req.store.sql(db)
            let report = try await load(req, on: sql)
            guard allowed.contains(report.customerStatus) else {
                throw Problem.conflict("The customer version is \(report.customerStatus.rawValue.replacingOccurrences(of: "_", with: " ")); it cannot move to \(next.rawValue.replacingOccurrences(of: "_", with: " ")).")
            }
            try await check(report, sql)
            try await RCARepository.setCustomerStatus(report.id, to: next, by: current.user.id, at: now, on: sql)
            return try await load(req, on: sql)
        }
    }

    @Sendable func submit(req: Request) async throws -> RCAView {
        try await move(req, from: [.draft], to: .inReview) { report, _ in
            guard !report.customerVersion.summary.isEmpty, !report.customerVersion.rootCause.isEmpty else {
                throw Problem.invalid("customer", "needs a summary and a root cause before review")
            }
        }
    }

    /// A second person approves what the customer will read.
    @Sendable func approve(req: Request) async throws -> RCAView {
        let reviewer = try req.current.user.id
        return try await move(req, from: [.inReview], to: .approved) { report, sql in
            let editor = try await RCARepository.customerEditor(of: report.id, on: sql)
            guard editor != reviewer else { throw Problem.conflict("The customer version must be reviewed by someone other than its last editor.") }
        }
    }

    /// Mails the approved customer version to the requesters (of the case, or of every case linked to the problem) and keeps what was sent.
    @Sendable func send(req: Request) async throws -> RCAView {
        try req.authorize(.writeRCA)
        let current = try req.current
        let services = req.casebook
        let now = req.now
        return try await req.store.write { db -> RCAView in
            let sql = services.store.sql(db)
            let report = try await load(req, on: sql)
            guard report.customerStatus == .approved else { throw Problem.conflict("Only an approved customer version can be sent.") }
            var cases: [UUID] = []
            if let reference = report.caseReference {
                cases = [try await CaseLookup.find(reference, prefix: services.configuration.referencePrefix, on: sql).id]
            } else if let problem = report.problemID {
                cases = try await ProblemRepository.caseIDs(of: problem, on: sql)
            }
            // Kept as sent, for the customer's view on their case: in the content language, times in UTC.
            let content = services.configuration.contentLanguage
            let text = report.customerVersion.text(title: report.title, for: .init(language: content, zone: RCADocument.utc, t: services.texts.strings(content)))
            var recipients: [String] = []
            let settings = services.configuration.outbound
            for caseID in cases {
                guard let record = try await CaseRepository.find(id: caseID, on: sql),
                      let requester = try await CaseMailRepository.person(record.requesterID, on: sql), requester.role == Role.customer.rawValue
                else { continue }
                let email = requester.email
                let reference = Reference(prefix: services.configuration.referencePrefix, number: record.number).description
                // Each customer reads the report's headings in their language and its times in their zone.
                let language = MailTemplates.language(requester.language)
                let reader = RCADocument.Reader(language: language, zone: TimeZone(identifier: requester.timeZone) ?? RCADocument.utc, t: services.texts.strings(language))
                let subject = "[\(reference)] " + reader.word("rca_mail_subject", "Root-cause report: {{title}}", ["title": report.title])
                try await Outbox.enqueueFromDesk(to: MailAddress(name: requester.name, address: email),
                                                 subject: subject, text: report.customerVersion.text(title: report.title, for: reader), reference: reference,
                                                 kind: .rca, caseID: record.id, isAutomatic: false, settings: settings, on: sql, now: now)
                _ = try await CaseLookup.findForUpdate(reference, prefix: services.configuration.referencePrefix, at: now, on: sql)
                var timeline = try await TimelineWriter.continuing(caseID: record.id, actorID: current.user.id, at: now, on: sql)
                timeline.record(kind: .rcaSent, visibility: .public, field: "rca", new: report.title)
                try await timeline.write(on: sql)
                if !recipients.contains(email) { recipients.append(email) }
            }
            guard !recipients.isEmpty else { throw Problem.conflict("No customer requester to send the report to.") }
            try await RCARepository.markSent(report.id, to: recipients, text: text, at: now, on: sql)
            return try await load(req, on: sql)
        }
    }

    /// A printable page of either version (`version=internal` or `customer`).
    @Sendable func print(req: Request) async throws -> Response {
        try req.authorize(.readInternal)
        let report = try await load(req, on: req.store.sql)
        let version = req.query[String.self, at: "version"] ?? "customer"
        guard ["internal", "customer"].contains(version) else { throw Problem.badRequest("Query parameter 'version' must be internal or customer.") }
        let owners = try await UserRepository.staffNames(on: req.store.sql)
        let document = version == "internal" ? report.internalVersion : report.customerVersion
        // In the reader's language and zone; `language` shows the customer version as a customer reading it would see it.
        var language = req.webLanguage()
        if let asked = req.query[String.self, at: "language"] {
            guard WebText.languages.contains(asked) else { throw Problem.badRequest("Query parameter 'language' must be one of \(WebText.languages.joined(separator: ", ")).") }
            language = asked
        }
        let zone = (try? req.current)?.timeZone.flatMap(TimeZone.init(identifier:)) ?? RCADocument.utc
        let reader = RCADocument.Reader(language: language, zone: zone, t: req.application.webText.strings(language))
        return HTMLPage.response(document.html(title: report.title, owners: owners, isInternal: version == "internal", for: reader))
    }

    struct SentReport: Content {
        var title: String
        var sentAt: Date
        var text: String

        enum CodingKeys: String, CodingKey {
            case title, text
            case sentAt = "sent_at"
        }
    }

    /// What a customer can read: the customer versions sent for their case (or its problem), as they were sent.
    @Sendable func forCase(req: Request) async throws -> [SentReport] {
        let record = try await req.readableCase()
        return try await RCARepository.sent(forCase: record.id, on: req.store.sql).map { SentReport(title: $0.title, sentAt: $0.sentAt, text: $0.text) }
    }
}
