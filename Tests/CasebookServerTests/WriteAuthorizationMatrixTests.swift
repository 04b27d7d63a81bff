@testable import CasebookServer
import Foundation
import Testing
import Vapor

/// Every write operation in the OpenAPI document, for every role: who may make it is written down here, so a new
/// write cannot ship without saying who may use it, and a role that may not gets 401, 403 or 404, never a change.
@Suite("Authorisation matrix: every write in the document")
struct WriteAuthorizationMatrixTests {
    enum Who: String, CaseIterable, Sendable { case anonymous, customer, manager, agent, admin }

    /// Who may make each write; the rest are refused. `C` customer, `M` account manager, `A` agent, `D` admin, `*` anyone.
    static let allowed: [String: String] = [
        "POST /api/v1/alerts/alertmanager": "AD", "POST /api/v1/alerts/webhook": "AD",
        "POST /api/v1/assets": "AD", "POST /api/v1/assets/import": "AD", "PATCH /api/v1/assets/{id}": "AD",
        "POST /api/v1/assets/{id}/cases": "AD", "DELETE /api/v1/assets/{id}/cases/{reference}": "AD",
        "POST /api/v1/automations": "D", "POST /api/v1/automations/dry-run": "D", "PATCH /api/v1/automations/{id}": "D",
        "POST /api/v1/automations/{id}/dry-run": "D",
        "POST /api/v1/calendars": "D", "PATCH /api/v1/calendars/{id}": "D", "POST /api/v1/calendars/{id}/holidays/import": "D",
        "POST /api/v1/canned-responses": "D", "PATCH /api/v1/canned-responses/{id}": "D", "DELETE /api/v1/canned-responses/{id}": "D",
        "POST /api/v1/cases": "CAD", "PATCH /api/v1/cases/{reference}": "AD",
        "POST /api/v1/cases/{reference}/article-draft": "AD", "POST /api/v1/cases/{reference}/articles": "AD",
        "POST /api/v1/cases/{reference}/calls": "AD", "PUT /api/v1/cases/{reference}/calls/{id}/recording": "AD",
        "POST /api/v1/cases/{reference}/canned-responses/{id}/render": "MAD",
        "POST /api/v1/cases/{reference}/messages": "CAD", "POST /api/v1/cases/{reference}/messages/similarity": "MAD",
        "POST /api/v1/cases/{reference}/problem-choice": "CAD",
        "POST /api/v1/cases/{reference}/repairs": "AD", "PATCH /api/v1/cases/{reference}/repairs/{id}": "AD",
        "POST /api/v1/cases/{reference}/satisfaction": "C",
        "POST /api/v1/categories": "D", "PATCH /api/v1/categories/{id}": "D", "PUT /api/v1/categories/{id}/intake": "D",
        "POST /api/v1/contracts": "D", "PATCH /api/v1/contracts/{id}": "D", "POST /api/v1/custom-fields": "D",
        "POST /api/v1/groups": "D", "PATCH /api/v1/groups/{id}": "D",
        "POST /api/v1/inbound/email": "D", "POST /api/v1/inbound/email/{id}/release": "D", "POST /api/v1/inbound/email/{id}/reprocess": "D",
        "POST /api/v1/jobs/{id}/retry": "D",
        "POST /api/v1/knowledge/articles": "AD", "PATCH /api/v1/knowledge/articles/{id}": "AD",
        "POST /api/v1/knowledge/articles/{id}/feedback": "CMAD", "POST /api/v1/knowledge/suggestions/{id}/read": "CMAD",
        "POST /api/v1/maintenance/plans": "AD", "PATCH /api/v1/maintenance/plans/{id}": "AD", "POST /api/v1/maintenance/run": "AD",
        "POST /api/v1/maintenance/work-orders/{id}/complete": "AD",
        "POST /api/v1/notices/preview": "MAD", "POST /api/v1/notices/{id}/send": "AD",
        "POST /api/v1/contacts/import": "AD", "POST /api/v1/organisations/import": "AD",
        "POST /api/v1/imports": "D", "POST /api/v1/imports/uploads": "D",
        "POST /api/v1/webhooks": "D", "PATCH /api/v1/webhooks/{id}": "D", "DELETE /api/v1/webhooks/{id}": "D",
        "POST /api/v1/webhooks/{id}/resume": "D", "POST /api/v1/webhooks/{id}/test": "D", "POST /api/v1/webhooks/{id}/rotate-secret": "D",
        "POST /api/v1/webhook-deliveries/{id}/redeliver": "D",
        "POST /api/v1/report-recipients": "D", "DELETE /api/v1/report-recipients/{id}": "D", "POST /api/v1/report-recipients/send": "D",
        "POST /api/v1/organisations": "AD", "PATCH /api/v1/organisations/{id}": "AD",
        "POST /api/v1/outbound/email/{id}/retry": "D",
        "POST /api/v1/parts": "AD", "PUT /api/v1/parts/{id}/stock": "AD", "POST /api/v1/parts/{id}/use": "AD",
        "POST /api/v1/problems": "AD", "PATCH /api/v1/problems/{id}": "AD", "POST /api/v1/problems/{id}/cases": "AD",
        "POST /api/v1/problems/{id}/release-fix": "AD",
        "POST /api/v1/products": "D", "PATCH /api/v1/products/{id}": "D", "POST /api/v1/products/{id}/versions": "D",
        "PATCH /api/v1/products/{id}/versions/{version}": "D",
        "POST /api/v1/rca-reports": "AD", "PATCH /api/v1/rca-reports/{id}": "AD", "POST /api/v1/rca-reports/{id}/approve": "AD",
        "POST /api/v1/rca-reports/{id}/send": "AD", "POST /api/v1/rca-reports/{id}/submit": "AD",
        "POST /api/v1/repair-vendors": "AD",
        "POST /api/v1/session": "*", "DELETE /api/v1/session": "CMAD",
        "POST /api/v1/sla-policies": "D", "PATCH /api/v1/sla-policies/{id}": "D", "POST /api/v1/sla/recompute": "D",
        "POST /api/v1/tokens": "CMAD", "DELETE /api/v1/tokens/{id}": "CMAD",
        "POST /api/v1/me/two-factor": "CMAD", "POST /api/v1/me/two-factor/confirm": "CMAD", "POST /api/v1/me/two-factor/recovery-codes": "CMAD",
        "POST /api/v1/me/two-factor/disable": "CMAD", "DELETE /api/v1/users/{id}/two-factor": "D", "PUT /api/v1/sign-in-settings": "D",
        "POST /api/v1/sessions/end-others": "CMAD", "DELETE /api/v1/sessions/{id}": "CMAD",
        "POST /api/v1/password-resets": "*", "POST /api/v1/password-resets/complete": "*",
        "POST /api/v1/directories": "D", "PATCH /api/v1/directories/{id}": "D", "DELETE /api/v1/directories/{id}": "D",
        "POST /api/v1/directories/{id}/test": "D", "POST /api/v1/directories/{id}/sync": "D",
        "POST /api/v1/mail-accounts": "D", "PATCH /api/v1/mail-accounts/{id}": "D", "DELETE /api/v1/mail-accounts/{id}": "D",
        "POST /api/v1/mail-accounts/{id}/test": "D", "POST /api/v1/mail-accounts/{id}/fetch": "D",
        "POST /api/v1/mail-addresses": "D", "PATCH /api/v1/mail-addresses/{id}": "D", "DELETE /api/v1/mail-addresses/{id}": "D",
        "POST /api/v1/privacy/{id}/anonymise": "D", "POST /api/v1/retention-rules": "D", "PATCH /api/v1/retention-rules/{id}": "D",
        "DELETE /api/v1/retention-rules/{id}": "D", "POST /api/v1/retention-rules/{id}/run": "D", "POST /api/v1/legal-holds": "D",
        "DELETE /api/v1/legal-holds/{id}": "D", "DELETE /api/v1/bounced-addresses/{id}": "AD",
        "POST /api/v1/cases/{reference}/time": "AD", "POST /api/v1/cases/{reference}/canned-responses/{id}/apply": "AD",
        "POST /api/v1/cases/{reference}/links": "AD", "POST /api/v1/cases/{reference}/messages/{message}/split": "AD",
        "PUT /api/v1/cases/{reference}/messages/{message}/tone": "AD",
        "PUT /api/v1/translations/{kind}/{item}/{field}/{language}": "D", "DELETE /api/v1/translations/{kind}/{item}/{field}/{language}": "D",
        "POST /api/v1/reply-reviews/{id}/approve": "AD", "POST /api/v1/reply-reviews/{id}/return": "AD", "POST /api/v1/reply-reviews/{id}/withdraw": "AD",
        "POST /api/v1/cases/{reference}/merge": "AD", "DELETE /api/v1/cases/{reference}/links/{id}": "AD",
        "POST /api/v1/cases/{reference}/followers": "MAD", "DELETE /api/v1/cases/{reference}/followers/{user}": "MAD",
        "POST /api/v1/cases/{reference}/cc": "AD", "DELETE /api/v1/cases/{reference}/cc/{address}": "AD",
        "POST /api/v1/notifications/read": "MAD", "PUT /api/v1/notifications/preferences": "MAD",
        "POST /api/v1/sign-in-providers": "D", "PATCH /api/v1/sign-in-providers/{id}": "D", "DELETE /api/v1/sign-in-providers/{id}": "D",
        "POST /api/v1/users": "AD", "PATCH /api/v1/users/{id}": "CMAD",
        "POST /kb/{id}/feedback": "*", "POST /surveys/{token}": "*",
    ]

    /// Writes whose permission depends on what the body asks (the requester, the visibility, the role, the version), so
    /// an empty body is refused as incomplete before the question can be put; `AuthorizationMatrixTests` sends full bodies.
    static let judgedOnTheBody: Set<String> = [
        "POST /api/v1/cases", "PATCH /api/v1/cases/{reference}", "POST /api/v1/cases/{reference}/messages",
        "POST /api/v1/cases/{reference}/repairs", "POST /api/v1/users",
    ]

    static var writes: [String] {
        (OpenAPIResponseCheck.document["paths"]?.object ?? [:]).flatMap { path, operations in
            ["post", "put", "patch", "delete"].filter { operations[$0] != nil }.map { "\($0.uppercased()) \(path)" }
        }.sorted()
    }

    static func letter(_ who: Who) -> Character {
        switch who {
        case .anonymous: "-"
        case .customer: "C"
        case .manager: "M"
        case .agent: "A"
        case .admin: "D"
        }
    }

    @Test("every write operation in the document says who may make it")
    func everyWriteIsListed() {
        #expect(Self.writes.filter { Self.allowed[$0] == nil } == [], "add these to the table")
        #expect(Set(Self.allowed.keys).subtracting(Self.writes).sorted() == [], "these are no longer in the document")
    }

    @Test("each role is refused every write it may not make, and is let through to the ones it may", arguments: TestDatabase.all)
    func matrix(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            let tokens: [Who: String] = [.customer: f.customer, .manager: f.manager, .agent: f.agent, .admin: f.admin]
            for write in Self.writes {
                let parts = write.split(separator: " ", maxSplits: 1).map(String.init)
                let may = Self.allowed[write] ?? ""
                for who in Who.allCases {
                    var path = parts[1].replacingOccurrences(of: "{reference}", with: reference)
                    while let hole = path.range(of: #"\{[a-z_]+\}"#, options: .regularExpression) { path.replaceSubrange(hole, with: UUID().uuidString) }
                    let answer = try await app.call(HTTPMethod(rawValue: parts[0]), path, token: tokens[who], raw: "{}")
                    let code = answer.status.code
                    #expect(code < 500, "\(who) \(write): \(code) \(answer.text)")
                    if may == "*" { continue }
                    if who == .anonymous {
                        #expect(code == 401, "\(write) without signing in: \(code)")
                    } else if may.contains(Self.letter(who)) {
                        #expect(code != 401 && code != 403, "\(who) may \(write) but got \(code) \(answer.text)")
                    } else if Self.judgedOnTheBody.contains(write) {
                        #expect(!(200..<300).contains(code), "\(who) may not \(write) but got \(code)")
                    } else {
                        #expect(code == 403 || code == 404, "\(who) may not \(write) but got \(code) \(answer.text)")
                    }
                }
            }
        }
    }

    @Test("a repair or a logged call by someone who may not change the case is refused with a full body too", arguments: TestDatabase.all)
    func fullBodies(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            for token in [f.customer, f.manager] {
                let repair = try await app.call(.POST, "/api/v1/cases/\(reference)/repairs", token: token, json: ["description": "Fix the fuser"])
                #expect(repair.status == .forbidden, "\(repair.text)")
            }
            let call = try await app.call(.POST, "/api/v1/cases/\(reference)/calls", token: f.manager,
                                          json: ["direction": "outbound", "number": "+34 600 123 456", "duration_seconds": 60])
            #expect(call.status == .forbidden, "\(call.text)")
        }
    }
}
