import CasebookCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// Storage and filling of canned responses.
enum CannedResponseRepository {
    static func all(on sql: any SQLDatabase) async throws -> [CannedResponseView] {
        try await sql.select().columns("id", "title", "body", "language", "updated_at", "actions").from("canned_responses")
            .orderBy("title").orderBy("language").all().map(decode)
    }

    static func delete(_ id: UUID, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "canned_responses").where("id", .equal, id).run()
    }

    static func find(_ id: UUID, on sql: any SQLDatabase) async throws -> CannedResponseView? {
        try await sql.select().columns("id", "title", "body", "language", "updated_at", "actions").from("canned_responses").where("id", .equal, id).first().map(decode)
    }

    /// Creates (id nil) or replaces a canned response after checking its text and placeholders.
    static func save(_ input: CannedResponseRequest, id: UUID?, by userID: UUID, req: Request) async throws -> CannedResponseView {
        let title = try Validate.name(input.title, field: "title")
        let body = input.body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty, body.count <= 20_000 else { throw DomainError.invalid("body", "must be 1 to 20000 characters") }
        let problems = PlaceholderTemplate.problems(body)
        guard problems.isEmpty else {
            throw DomainError.invalid("body", "uses \(problems.joined(separator: "; ")); known placeholders: \(PlaceholderTemplate.names.map { "{{\($0)}}" }.joined(separator: ", "))")
        }
        let language = input.language ?? "en"
        guard MailTemplates.languages.contains(language) else { throw DomainError.invalid("language", "must be one of \(MailTemplates.languages.joined(separator: ", "))") }
        let now = req.now
        let actions = try await input.actions?.checked(on: req.store.sql)
        let view = CannedResponseView(id: id ?? RecordID.make(), title: title, body: body, language: language, updatedAt: now, actions: actions)
        do {
            try await req.store.write { db in
                let sql = req.store.sql(db)
                if let id {
                    guard try await find(id, on: sql) != nil else { throw DomainError.notFound("The canned response") }
                    try await sql.update("canned_responses").set("title", to: title).set("body", to: body).set("language", to: language)
                        .set("actions", to: actions?.encoded()).set("updated_at", to: now).where("id", .equal, id).run()
                } else {
                    try await sql.insert(into: "canned_responses").columns("id", "title", "body", "language", "created_by", "created_at", "updated_at", "actions")
                        .values(SQLBind(view.id), SQLBind(title), SQLBind(body), SQLBind(language), SQLBind(userID), SQLBind(now), SQLBind(now),
                                SQLBind(actions?.encoded())).run()
                }
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw DomainError.conflict("A canned response titled '\(title)' in \(language) already exists.")
        }
        return view
    }

    /// Fills the placeholders from the case, its requester and organisation, and the agent.
    static func fill(_ body: String, for record: CaseRecord, agent: String, req: Request) async throws -> String {
        let sql = req.store.sql
        let requester = try await sql.select().columns("name", "email").from("users").where("id", .equal, record.requesterID).first()
        let name = try requester?.decode(column: "name", as: String.self) ?? ""
        var values: [String: String] = [
            "agent.name": agent,
            "case.reference": Reference(prefix: req.casebook.configuration.referencePrefix, number: record.number).description,
            "case.subject": record.subject,
            "customer.name": name,
            "customer.first_name": name.split(separator: " ").first.map(String.init) ?? name,
            "customer.email": try requester?.decode(column: "email", as: String.self) ?? "",
        ]
        if let organisationID = record.organisationID,
           let organisation = try await sql.select().column("name").from("organisations").where("id", .equal, organisationID).first() {
            values["organisation.name"] = try organisation.decode(column: "name", as: String.self)
        }
        return PlaceholderTemplate.render(body, values: values)
    }

    private static func decode(_ row: any SQLRow) throws -> CannedResponseView {
        CannedResponseView(id: try row.decode(column: "id", as: UUID.self), title: try row.decode(column: "title", as: String.self),
                           body: try row.decode(column: "body", as: String.self), language: try row.decode(column: "language", as: String.self),
                           updatedAt: try row.decode(column: "updated_at", as: Date.self),
                           actions: MacroActions.decode(try row.decode(column: "actions", as: String?.self)))
    }

    /// Whether a macro may assign to this person: they exist and are staff.
    static func isStaff(_ userID: UUID, on sql: any SQLDatabase) async throws -> Bool {
        let role = try await sql.select().column("role").from("users").where("id", .equal, userID).first()?.decode(column: "role", as: String.self)
        return role.map { (Role(rawValue: $0) ?? .customer).isStaff } ?? false
    }

    /// Whether a macro's group exists.
    static func groupExists(_ groupID: UUID, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.select().column("id").from("groups").where("id", .equal, groupID).first() != nil
    }
}
