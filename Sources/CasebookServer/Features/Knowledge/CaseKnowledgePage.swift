import CasebookCore
import Foundation
import Vapor

/// The case page's "Solved by this article" button: the same link as `POST /api/v1/cases/{reference}/articles`.
struct CaseKnowledgePage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("desk", "cases", ":reference", "articles", use: solvedBy)
    }

    @Sendable func solvedBy(req: Request) async throws -> Response {
        try await _ = CaseKnowledgeController().link(req: req)
        req.flash(req.text("kb_case_linked", "Marked as solved by this article; the customer sees it on their case when it is public."))
        return req.redirect(to: "/desk/cases/" + (try req.parameters.require("reference")) + "#kb-title")
    }
}
