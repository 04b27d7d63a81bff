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

    static let select = "SELECT r.*, c.number FROM rca_reports r LEFT JOIN cases c ON c.id = r.case_id"

    static func view(_ row: any SQLRow, prefix: String) throws -> RCAView {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return RCAView(
            id: try row.decode(column: "id", as: UUID.self),
            caseReference: try row.decode(column: "number", as: Int?.self).map { Reference(prefix: prefix, number: $0).description },
            problemID: try row.decode(column: "problem_id", as: UUID?.self), title: try row.decode(column: "title", as: String.self),
            internalVersion: try decoder.decode(RCADocument.self, from: Data(try row.decode(column: "internal", as: String.self).utf8)),
            customerVersion: try decoder.decode(RCADocument.self, from: Data(try row.decode(column: "customer", as: String.self).utf8)),
            customerStatus: CustomerStatus(rawValue: try row.decode(column: "customer_status", as: String.self)) ?? .draft,
            reviewedBy: try row.decode(column: "reviewed_by", as: UUID?.self), reviewedAt: try row.decode(column: "reviewed_at", as: Date?.self),
            sentAt: try row.decode(column: "sent_at", as: Date?.self),
            sentTo: try row.decode(column: "sent_to", as: String?.self).map { $0.split(separator: ",").map(String.init) },
            createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }

    static func json(_ document: RCADocument) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }

    private func load(_ req: Request, on sql: any SQLDatabase) async throws -> RCAView {
        guard let id = req.parameters.get("id", as: UUID.self),
              let row = try await sql.raw(SQLQueryString(Self.select) + " WHERE r.id = \(bind: id)").first()
        else { throw Problem.notFound("The report") }
        return try Self.view(row, prefix: req.casebook.configuration.referencePrefix)
    }

    @Sendable func list(req: Request) async throws -> [RCAView] {
        try req.authorize(.readInternal)
        let prefix = req.casebook.configuration.referencePrefix
        var query = SQLQueryString(Self.select)
        if let problem = req.query[String.self, at: "problem_id"] {
            guard let id = UUID(uuidString: problem) else { throw Problem.badRequest("Query parameter 'problem_id' must be a UUID.") }
            query = query + " WHERE r.problem_id = \(bind: id)"
        }
        return try await req.store.sql.raw(query + " ORDER BY r.updated_at DESC LIMIT 200").all().map { try Self.view($0, prefix: prefix) }
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
                document.timeline = try await sql.raw("""
                    SELECT created_at, kind, field, new_value FROM timeline_entries WHERE case_id = \(bind: record.id)
                    AND (kind = 'created' OR (kind = 'field_changed' AND field = 'status')) ORDER BY position LIMIT 200
                    """).all().map { row in
                        let kind = try row.decode(column: "kind", as: String.self)
                        let value = try row.decode(column: "new_value", as: String?.self) ?? ""
                        return RCADocument.TimelineItem(at: try row.decode(column: "created_at", as: Date.self),
                                                        text: kind == "created" ? "Case \(value) opened" : "Status: \(value.replacingOccurrences(of: "_", with: " "))")
                    }
            } else if let problem = input.problemID {
                let found = try await ProblemController.find(problem, on: sql)
                document.rootCause = found.rootCause ?? ""
            }
            let id = RecordID.make()
            try await sql.insert(into: "rca_reports")
                .columns("id", "case_id", "problem_id", "title", "internal", "customer", "customer_status", "created_by", "created_at", "updated_at")
                .values(SQLBind(id), SQLBind(caseID), SQLBind(input.problemID), SQLBind(title), SQLBind(try Self.json(document)),
                        SQLBind(try Self.json(RCADocument())), SQLBind(CustomerStatus.draft.rawValue), SQLBind(current.user.id), SQLBind(now), SQLBind(now))
                .run()
            return id
        }
        guard let row = try await req.store.sql.raw(SQLQueryString(Self.select) + " WHERE r.id = \(bind: id)").first() else { throw Problem.notFound("The report") }
        return try await Self.view(row, prefix: prefix).encodeResponse(status: .created, for: req)
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
            let owners = Set(try await sql.select().column("id").from(UserModel.schema).where("role", .in, ["admin", "agent"])
                .where("active", .equal, true).all().map { try $0.decode(column: "id", as: UUID.self) })
            var update = sql.update("rca_reports").set("updated_at", to: now)
            if let title = input.title { update = update.set("title", to: try Validate.name(title, field: "title", max: 250)) }
            if let document = input.internalVersion { update = update.set("internal", to: try Self.json(try document.validated(field: "internal", owners: owners))) }
            if let document = input.customerVersion {
                guard report.customerStatus != .sent else { throw Problem.conflict("The customer version has been sent and is kept as it was.") }
                update = update.set("customer", to: try Self.json(try document.validated(field: "customer", owners: owners)))
                    .set("customer_status", to: CustomerStatus.draft.rawValue).set("customer_edited_by", to: current.user.id)
                    .set("reviewed_by", to: SQLLiteral.null).set("reviewed_at", to: SQLLiteral.null)
            }
            try await update.where("id", .equal, report.id).run()
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
            var update = sql.update("rca_reports").set("customer_status", to: next.rawValue).set("updated_at", to: now)
            if next == .approved { update = update.set("reviewed_by", to: current.user.id).set("reviewed_at", to: now) }
            try await update.where("id", .equal, report.id).run()
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
            let editor = try await sql.select().column("customer_edited_by").from("rca_reports").where("id", .equal, report.id).first()?
                .decode(column: "customer_edited_by", as: UUID?.self)
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
                cases = try await sql.select().column("case_id").from("problem_cases").where("problem_id", .equal, problem).all()
                    .map { try $0.decode(column: "case_id", as: UUID.self) }
            }
            let text = report.customerVersion.text(title: report.title)
            var recipients: [String] = []
            let settings = services.configuration.outbound
            for caseID in cases {
                guard let record = try await CaseRepository.find(id: caseID, on: sql),
                      let requester = try await sql.select().columns("email", "name", "role").from(UserModel.schema).where("id", .equal, record.requesterID).first(),
                      try requester.decode(column: "role", as: String.self) == Role.customer.rawValue else { continue }
                let email = try requester.decode(column: "email", as: String.self)
                let reference = Reference(prefix: services.configuration.referencePrefix, number: record.number).description
                try await Outbox.enqueueFromDesk(to: MailAddress(name: try requester.decode(column: "name", as: String.self), address: email),
                                                 subject: "[\(reference)] Root-cause report: \(report.title)", text: text, reference: reference,
                                                 kind: .rca, caseID: record.id, isAutomatic: false, settings: settings, on: sql, now: now)
                _ = try await CaseLookup.findForUpdate(reference, prefix: services.configuration.referencePrefix, at: now, on: sql)
                var timeline = try await TimelineWriter.continuing(caseID: record.id, actorID: current.user.id, at: now, on: sql)
                timeline.record(kind: .rcaSent, visibility: .public, field: "rca", new: report.title)
                try await timeline.write(on: sql)
                if !recipients.contains(email) { recipients.append(email) }
            }
            guard !recipients.isEmpty else { throw Problem.conflict("No customer requester to send the report to.") }
            try await sql.update("rca_reports").set("customer_status", to: CustomerStatus.sent.rawValue).set("sent_at", to: now)
                .set("sent_to", to: recipients.joined(separator: ",")).set("sent_text", to: text).set("updated_at", to: now)
                .where("id", .equal, report.id).run()
            return try await load(req, on: sql)
        }
    }

    /// A printable page of either version (`version=internal` or `customer`).
    @Sendable func print(req: Request) async throws -> Response {
        try req.authorize(.readInternal)
        let report = try await load(req, on: req.store.sql)
        let version = req.query[String.self, at: "version"] ?? "customer"
        guard ["internal", "customer"].contains(version) else { throw Problem.badRequest("Query parameter 'version' must be internal or customer.") }
        var owners: [UUID: String] = [:]
        for row in try await req.store.sql.select().columns("id", "name").from(UserModel.schema).where("role", .in, ["admin", "agent"]).all() {
            owners[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "name", as: String.self)
        }
        let document = version == "internal" ? report.internalVersion : report.customerVersion
        return HTMLPage.response(document.html(title: report.title, owners: owners, isInternal: version == "internal"))
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
        return try await req.store.sql.raw("""
            SELECT title, sent_at, sent_text FROM rca_reports WHERE customer_status = 'sent' AND (case_id = \(bind: record.id)
            OR problem_id IN (SELECT problem_id FROM problem_cases WHERE case_id = \(bind: record.id))) ORDER BY sent_at
            """).all().map { row in
                SentReport(title: try row.decode(column: "title", as: String.self), sentAt: try row.decode(column: "sent_at", as: Date.self),
                           text: try row.decode(column: "sent_text", as: String.self))
            }
    }
}
