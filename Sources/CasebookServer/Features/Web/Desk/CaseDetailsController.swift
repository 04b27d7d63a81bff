import CasebookCore
import Foundation
import Vapor

/// `POST /desk/cases/{reference}/details`: saves the case page's "Details" form through the same use case as the API;
/// a refusal shows the page again with the form as typed and the reason beside it.
struct CaseDetailsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("desk", "cases", ":reference", "details", use: save)
    }

    @Sendable func save(req: Request) async throws -> Response {
        let current = try req.current
        let reference = try req.parameters.require("reference")
        let record = try await req.readableCase()
        let form = try req.content.decode([String: String].self)
        // Only the requester's address is compared; the whole customer panel is read when the page is shown again.
        let requesterEmail = try await CustomerPanelRepository.person(record.requesterID, on: req.store.sql)?.email ?? ""
        do {
            guard let version = form["version"].flatMap(Int.init) else { throw DomainError.invalid("version", "is missing; reload the page") }
            let patch = try await CaseDetailsForm.patch(form, for: record, requesterEmail: requesterEmail, on: req.store.sql)
            guard !patch.isEmpty else { return req.redirect(to: "/desk/cases/\(reference)") }
            let request = try JSONDecoder().decode(CasePatchRequest.self, from: JSONSerialization.data(withJSONObject: patch))
            let services = req.casebook
            _ = try await req.store.write { db in
                try await UpdateCase(services: services).run(reference: reference, patch: request, expectedVersion: version, by: current, on: db)
            }
        } catch is UpdateCase.StaleVersion {
            let message = req.text("details_stale", "Someone else changed this case while you were editing; nothing was saved. Your changes are kept below: check the case and save again.")
            return try await refused(req, record: record, typed: form, message: message, status: .conflict)
        } catch let error where FormRefusal.isInputFault(error) {
            return try await refused(req, record: record, typed: form, message: FormRefusal.message(for: error, labels: Self.labels, req: req).text,
                                     status: .unprocessableEntity)
        }
        req.flash(req.text("details_saved", "Details saved."))
        return req.redirect(to: "/desk/cases/\(reference)")
    }

    /// The page's word for each field a refusal can name.
    private static let labels = ["subject": "details_subject", "requester_id": "details_requester", "requester_email": "details_requester",
                                 "organisation_id": "details_organisation", "product_id": "details_product", "product_version_id": "details_version",
                                 "category_id": "details_category", "tags": "details_tags"]

    private func refused(_ req: Request, record: CaseRecord, typed: [String: String], message: String, status: HTTPStatus) async throws -> Response {
        // The page as it is now (someone may have changed it), with the agent's typing kept in the form.
        let fresh = try await CaseRepository.find(id: record.id, on: req.store.sql) ?? record
        let context = try await DeskCasePage.load(fresh, req: req, typed: typed, detailsError: message)
        return try await req.view.render("desk-case", context).encodeResponse(status: status, for: req)
    }
}
