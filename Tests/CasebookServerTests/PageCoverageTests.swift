import Foundation
import Testing
import Vapor
@testable import CasebookServer

/// Every operation in the API has a page that uses it, or is named here as an integration endpoint with its reason.
/// The README's "API areas without a page: 0" is this test's result.
@Suite("Every API operation has a page")
struct PageCoverageTests {
    /// Operations used by the pages that call their controllers directly (desk, portal, admin) or are pages themselves.
    static let otherPages: [String: String] = [
        "GET /api/v1/cases": "/desk (queues, search)", "POST /api/v1/cases": "/portal/new (a request) and the desk's new case",
        "GET /api/v1/notifications": "/desk/notifications and the header's unread count", "POST /api/v1/notifications/read": "/desk/notifications (mark all read, open one)",
        "GET /api/v1/notifications/preferences": "/desk/notifications#preferences", "PUT /api/v1/notifications/preferences": "/desk/notifications#preferences",
        "GET /api/v1/cases/{}/followers": "/desk/cases/{reference} (Followers)", "POST /api/v1/cases/{}/followers": "/desk/cases/{reference} (Follow this case)",
        "DELETE /api/v1/cases/{}/followers/{}": "/desk/cases/{reference} (Stop following)",
        "PUT /api/v1/cases/{}/messages/{}/tone": "/desk/cases/{reference} (a customer message's tone: why, and correct it)",
        "GET /api/v1/tone/corrections": "/reports/tone",
        "GET /api/v1/translations": "/admin/translations (read through TranslateContent)",
        "PUT /api/v1/translations/{}/{}/{}/{}": "/admin/translations (Save translation)",
        "DELETE /api/v1/translations/{}/{}/{}/{}": "/admin/translations/remove",
        "GET /api/v1/reply-reviews": "/desk/reviews (the queue, read through its repository)",
        "GET /api/v1/reply-reviews/{}": "/desk/reviews and the case page (each held reply's card)",
        "GET /api/v1/cases/{}/reply-reviews": "/desk/cases/{reference} (Replies held for review)",
        "POST /api/v1/reply-reviews/{}/approve": "/desk/reviews/{id}/approve",
        "POST /api/v1/reply-reviews/{}/return": "/desk/reviews/{id}/return",
        "POST /api/v1/reply-reviews/{}/withdraw": "/desk/reviews/{id}/withdraw",
        "GET /api/v1/cases/{}/already-tried": "/desk/cases/{reference} (Already tried, in their own words)",
        "GET /api/v1/cases/{}/cc": "/desk/cases/{reference} (Copied on replies)", "POST /api/v1/cases/{}/cc": "/desk/cases/{reference} (Copy on replies)",
        "DELETE /api/v1/cases/{}/cc/{}": "/desk/cases/{reference} (Remove)",
        "GET /api/v1/cases/{}": "/desk/cases/{reference}", "PATCH /api/v1/cases/{}": "/desk/cases/{reference} (fields), /desk bulk changes",
        "GET /api/v1/cases/{}/messages": "/desk/cases/{reference}", "POST /api/v1/cases/{}/messages": "the case page's composer and the portal's reply",
        "GET /api/v1/cases/{}/timeline": "/desk/cases/{reference} (the record)", "GET /api/v1/cases/{}/attachments/{}": "attachment links on both case pages",
        "POST /api/v1/cases/{}/canned-responses/{}/render": "the composer's canned responses",
        "POST /api/v1/cases/{}/canned-responses/{}/apply": "the composer's macro preview and apply", "GET /api/v1/cases/{}/intake": "the case page's intake panel",
        "POST /api/v1/cases/{}/messages/similarity": "the composer's repeated-update warning", "POST /api/v1/cases/{}/problem-choice": "/portal/cases/{reference}",
        "GET /api/v1/cases/{}/satisfaction": "the case page's customer panel", "POST /api/v1/cases/{}/satisfaction": "/surveys/{token} and the portal's rating",
        "GET /api/v1/cases/{}/similar": "the case page's similar cases", "GET /api/v1/cases/{}/sla": "the case page's service-level panel",
        "GET /api/v1/cases/{}/suggestions": "the case page's knowledge panel", "GET /api/v1/cases/{}/calls/{}/recording": "calls on /desk/case-work/{reference}",
        "PUT /api/v1/cases/{}/calls/{}/recording": "phone-system integrations upload recordings (no browser records a call)",
        "PATCH /api/v1/categories/{}": "/admin/categories", "GET /api/v1/categories/{}/intake": "/portal/new/{category}",
        "PUT /api/v1/categories/{}/intake": "/admin/categories/{id}/intake", "GET /api/v1/categories/{}/intake/versions": "/admin/categories/{id}/intake",
        "GET /api/v1/contracts": "/admin/contracts", "POST /api/v1/contracts": "/admin/contracts", "PATCH /api/v1/contracts/{}": "/admin/contracts",
        "GET /api/v1/groups": "/admin/groups", "POST /api/v1/groups": "/admin/groups", "PATCH /api/v1/groups/{}": "/admin/groups",
        "PATCH /api/v1/products/{}": "/admin/products", "POST /api/v1/products/{}/versions": "/admin/products",
        "PATCH /api/v1/products/{}/versions/{}": "/admin/products", "GET /api/v1/reports/{}": "/reports/charts",
        "POST /api/v1/knowledge/articles/{}/feedback": "/kb/{id}", "GET /api/v1/knowledge/suggest": "/portal/new (suggestions while typing)",
        "POST /api/v1/knowledge/suggestions/{}/read": "/portal/new (an opened suggestion)", "POST /api/v1/session": "/login",
        "DELETE /api/v1/session": "the header's sign-out", "GET /api/v1/me": "every page's header",
        "GET /api/v1/dashboard": "/reports/dashboard",
        "GET /api/v1/me/two-factor": "/account", "POST /api/v1/me/two-factor": "/account (set up)", "POST /api/v1/me/two-factor/confirm": "/account",
        "POST /api/v1/me/two-factor/recovery-codes": "/account", "POST /api/v1/me/two-factor/disable": "/account",
        "GET /api/v1/sign-in-settings": "/account (admins)", "PUT /api/v1/sign-in-settings": "/account (admins)",
        "POST /api/v1/sessions/end-others": "/account", "POST /api/v1/password-resets": "/password/forgot",
        "POST /api/v1/password-resets/complete": "/password/reset", "POST /api/v1/categories": "/admin/categories", "POST /api/v1/products": "/admin/products",
        "POST /api/v1/imports/uploads": "/admin/imports/upload",
    ]

    /// Operations for other systems, not people.
    static let integrations: [String: String] = [
        "POST /api/v1/alerts/alertmanager": "Prometheus Alertmanager posts here", "POST /api/v1/alerts/webhook": "monitoring systems post here",
        "POST /api/v1/inbound/email": "a mail server's delivery (people see it at /admin/inbound-mail)", "GET /api/v1/openapi.json": "the API's description",
    ]

    @Test("the OpenAPI document's operations are each used by a page or named as an integration")
    func everyOperationHasAPage() throws {
        let paths = OpenAPIResponseCheck.document["paths"]?.object ?? [:]
        var documented = Set<String>()
        for (path, operations) in paths where path.hasPrefix("/api/") {
            for method in (operations.object ?? [:]).keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                documented.insert(method.uppercased() + " " + path.replacingOccurrences(of: #"\{[^}]*\}"#, with: "{}", options: .regularExpression))
            }
        }
        let covered = AreaCatalog.operations.union(Self.otherPages.keys).union(Self.integrations.keys)
        #expect(documented.subtracting(covered).sorted() == [], "operations without a page")
        #expect(covered.subtracting(documented).sorted() == [], "pages naming operations the document does not have")
    }
}
