import CasebookCore
import Foundation
import Vapor

/// The case page's CC panel: copy someone on the public replies, or stop.
struct CaseCopyPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("desk", "cases", ":reference", "cc", use: add)
        routes.post("desk", "cases", ":reference", "cc", "remove", use: remove)
    }

    /// Where a refused copy's reason waits for the case page to show it in the panel.
    static let errorKey = "casebook.cc_error"

    struct Form: Content {
        var address: String?
        var name: String?
    }

    @Sendable func add(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let (reference, current, services) = (try req.parameters.require("reference"), try req.current, req.casebook)
        do {
            _ = try await req.store.write { db in
                try await ChangeCaseCopies(services: services).add(reference: reference, address: form.address ?? "", name: form.name, by: current, on: db)
            }
            req.flash(PlaceholderTemplate.render(req.text("cc_added", "{{address}} is copied on the public replies from now on."),
                                                 values: ["address": form.address ?? ""]))
        } catch let DomainError.invalid(_, message) {
            // The reason is shown in the panel itself, beside what was typed, where the agent is looking.
            req.session.data[Self.errorKey] = PlaceholderTemplate.render(req.text("cc_refused", "Not copied: {{address}} {{reason}}."),
                                                                         values: ["address": form.address ?? "", "reason": message])
            return req.redirect(to: "/desk/cases/\(reference)?cc_address=\((form.address ?? "").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")#case-copies")
        }
        return req.redirect(to: "/desk/cases/\(reference)#case-copies")
    }

    @Sendable func remove(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let (reference, current, services) = (try req.parameters.require("reference"), try req.current, req.casebook)
        try await req.store.write { db in
            try await ChangeCaseCopies(services: services).remove(reference: reference, address: form.address ?? "", by: current, on: db)
        }
        req.flash(PlaceholderTemplate.render(req.text("cc_removed", "{{address}} is no longer copied."), values: ["address": form.address ?? ""]))
        return req.redirect(to: "/desk/cases/\(reference)#case-copies")
    }
}
