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
        if let token = try await SurveyRepository.token(caseID: caseID, on: sql) { return token }
        guard let record = try await CaseRepository.find(id: caseID, on: sql) else { throw DomainError.notFound("The case") }
        let token = RandomToken.make()
        try await SurveyRepository.insert(for: record, token: token, at: now, on: sql)
        return try await SurveyRepository.token(caseID: caseID, on: sql) ?? token
    }

    /// Finds solved cases of customers with no survey yet, and mails each requester its link. Returns how many were sent.
    func sendDue() async throws -> Int {
        let services = self.services
        return try await services.store.write { db -> Int in
            let sql = services.store.sql(db)
            let now = services.clock()
            let rows = try await SurveyRepository.due(solvedSince: now.addingTimeInterval(-Self.maximumAge), limit: 500, on: sql)
            let settings = services.configuration.outbound
            for row in rows {
                let caseID = row.caseID, name = row.name, email = row.email, subject = row.subject, language = row.language
                let token = try await Self.ensure(caseID: caseID, on: sql, now: now)
                guard settings.transport != .none else { continue }
                let reference = Reference(prefix: services.configuration.referencePrefix, number: row.number).description
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
        guard try await SurveyRepository.exists(token: token, on: sql) else { throw DomainError.notFound("The survey") }
        guard let caseID = try await SurveyRepository.recordAnswer(token: token, score: score, comment: text?.isEmpty == true ? nil : text, via: channel,
                                                                   at: now, on: sql)
        else { throw DomainError.conflict("This survey has already been answered. Thank you!") }
        if let record = try await CaseRepository.find(id: caseID, on: sql) {
            try await WebhookOutbox(services: services).caseEvent(.surveyAnswered, record, survey: .init(rating: score, comment: text?.isEmpty == true ? nil : text),
                                                                  on: sql, now: now)
        }
    }
}
