import CasebookCore
import CasebookMail
import Foundation
import SQLKit

/// Sends a survey for every solved case of a customer, once, and records the one answer it may get.
struct SatisfactionSurveys {
    let services: CasebookServices

    static let key = "satisfaction.send"
    /// Cases solved longer ago than this get no survey: an upgrade must not mail every customer about years of old cases.
    static let maximumAge: TimeInterval = 7 * 86_400

    /// A survey row for the case (made if missing); returns its token.
    static func ensure(caseID: UUID, on sql: any SQLDatabase, now: Date) async throws -> String {
        if let row = try await sql.select().column("token").from("satisfaction_surveys").where("case_id", .equal, caseID).first() {
            return try row.decode(column: "token", as: String.self)
        }
        guard let record = try await CaseRepository.find(id: caseID, on: sql) else { throw DomainError.notFound("The case") }
        let token = RandomToken.make()
        try await sql.insert(into: "satisfaction_surveys")
            .columns("id", "case_id", "token", "requester_id", "agent_id", "group_id", "organisation_id", "sent_at")
            .values(SQLBind(RecordID.make()), SQLBind(caseID), SQLBind(token), SQLBind(record.requesterID), SQLBind(record.assigneeID),
                    SQLBind(record.groupID), SQLBind(record.organisationID), SQLBind(now))
            .ignoringConflicts(with: ["case_id"]).run()
        return try await sql.select().column("token").from("satisfaction_surveys").where("case_id", .equal, caseID).first()?
            .decode(column: "token", as: String.self) ?? token
    }

    /// Finds solved cases of customers with no survey yet, and mails each requester its link. Returns how many were sent.
    func sendDue() async throws -> Int {
        let services = self.services
        return try await services.store.write { db -> Int in
            let sql = services.store.sql(db)
            let now = services.clock()
            let rows = try await sql.raw("""
                SELECT c.id, c.number, c.subject, u.email, u.name, u.language FROM cases c JOIN users u ON u.id = c.requester_id
                WHERE c.status IN ('solved', 'closed') AND u.role = 'customer' AND c.solved_at >= \(bind: now.addingTimeInterval(-Self.maximumAge))
                AND NOT EXISTS (SELECT 1 FROM satisfaction_surveys s WHERE s.case_id = c.id) LIMIT 500
                """).all()
            let settings = services.configuration.outbound
            for row in rows {
                let caseID = try row.decode(column: "id", as: UUID.self)
                let token = try await Self.ensure(caseID: caseID, on: sql, now: now)
                guard settings.transport != .none else { continue }
                let reference = Reference(prefix: services.configuration.referencePrefix, number: try row.decode(column: "number", as: Int.self)).description
                let name = try row.decode(column: "name", as: String.self)
                let email = try row.decode(column: "email", as: String.self)
                let subject = try row.decode(column: "subject", as: String.self), language = try row.decode(column: "language", as: String.self)
                let link = "\(services.configuration.equipment.publicURL)/surveys/\(token)"
                let words = try await MailTemplateTexts.render(
                    "survey", language: language,
                    values: ["case.reference": reference, "case.subject": subject, "customer.name": name, "survey.link": link],
                    builtIn: MailTemplates.survey(reference: reference, subject: subject, name: name, link: link, language: language), on: sql)
                try await Outbox.enqueueFromDesk(to: MailAddress(name: name, address: email), subject: words.subject, text: words.text, html: words.html,
                                                 reference: reference, kind: .survey, caseID: caseID, isAutomatic: true, settings: settings, on: sql, now: now)
            }
            return rows.count
        }
    }

    /// Records the answer; a second answer is refused (one per case).
    static func answer(token: String, score: Int, comment: String?, via channel: String, services: CasebookServices, on sql: any SQLDatabase,
                       now: Date) async throws {
        guard (1...5).contains(score) else { throw DomainError.invalid("score", "must be a whole number from 1 to 5") }
        let text = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let text, text.count > 5_000 { throw DomainError.invalid("comment", "must be at most 5000 characters") }
        guard try await sql.select().column("id").from("satisfaction_surveys").where("token", .equal, token).first() != nil else {
            throw DomainError.notFound("The survey")
        }
        let updated = try await sql.raw("""
            UPDATE satisfaction_surveys SET score = \(bind: score), comment = \(bind: text?.isEmpty == true ? nil : text),
            answered_at = \(bind: now), answered_via = \(bind: channel) WHERE token = \(bind: token) AND answered_at IS NULL RETURNING case_id
            """).first()
        guard let updated else { throw DomainError.conflict("This survey has already been answered. Thank you!") }
        if let record = try await CaseRepository.find(id: try updated.decode(column: "case_id", as: UUID.self), on: sql) {
            try await WebhookOutbox(services: services).caseEvent(.surveyAnswered, record, survey: .init(rating: score, comment: text?.isEmpty == true ? nil : text),
                                                                  on: sql, now: now)
        }
    }
}
