import CasebookCore
import Foundation
import SQLKit
import Vapor

/// The intake flow editor: questions edited as fields (not JSON), "why we ask" beside each, answer types, branches,
/// prefill and the "already tried" flag; a preview exactly as the customer will see it; publishing makes a new
/// version and says what changed from the last.
struct IntakeEditorPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let intake = routes.grouped("admin", "categories", ":id", "intake")
        intake.get(use: show)
        intake.post(use: publish)
        intake.post("preview", use: preview)
    }

    struct Context: Encodable {
        var page: PageChrome
        var categoryID: String
        var categoryName: String
        var rows: [IntakeEditorForm.Row]
        var kinds: [AreaView.OptionView]
        var prefills: [AreaView.OptionView]
        var versions: [AreaView.Cell]
        var error: String?
        var words: Words

        /// The page's words that name this category.
        struct Words: Encodable {
            var heading: String
            var categories: String
        }
    }

    /// What a question's answer may come from instead of asking, as the editor offers it.
    static let prefillChoices = [("organisation", "the customer's organisation"), ("product_version", "the version on record")]

    private func category(_ req: Request) async throws -> (id: UUID, name: String) {
        guard let id = req.parameters.get("id", as: UUID.self),
              let name = try await CatalogRepository.categoryName(id, currentOnly: false, on: req.store.sql) else {
            throw Problem.notFound("The category")
        }
        return (id, name)
    }

    private func render(_ req: Request, rows: [IntakeEditorForm.Row], error: String?) async throws -> Response {
        let (id, name) = try await category(req)
        let text = AreaText(req)
        let versions = try await IntakeRepository.versions(categoryID: id, on: req.store.sql).map {
            AreaView.Cell(text: text("Version {{number}}, {{time}}:", ["number": String($0.version), "time": PageFormat.time($0.createdAt)]) + " "
                          + $0.flow.questions.map(\.label).joined(separator: " · "))
        }
        let kinds = IntakeQuestionKind.allCases.map { AreaView.OptionView(value: $0.rawValue, label: text($0.rawValue.replacingOccurrences(of: "_", with: " ")), selected: false) }
        let prefills = [AreaView.OptionView(value: "", label: text("— ask it"), selected: false)]
            + Self.prefillChoices.map {
                AreaView.OptionView(value: $0.0, label: text($0.1), selected: false)
            }
        let heading = text("Intake flow: {{category}}", ["category": name])
        let context = Context(page: req.chrome(heading, area: "admin"), categoryID: id.uuidString.lowercased(),
                              categoryName: name, rows: rows, kinds: kinds, prefills: prefills, versions: versions, error: error,
                              words: .init(heading: heading, categories: text("Categories and intake flows")))
        return try await req.view.render("intake-editor", context).encodeResponse(status: error == nil ? .ok : .unprocessableEntity, for: req)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let (id, _) = try await category(req)
        let current = try await IntakeRepository.current(categoryID: id, on: req.store.sql)?.flow.questions ?? []
        return try await render(req, rows: IntakeEditorForm.rows(for: current), error: nil)
    }

    private func posted(_ req: Request) -> (rows: [IntakeEditorForm.Row], removed: Set<Int>) {
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        let rows = IntakeEditorForm.rows(posted: form)
        let removed = Set(rows.map(\.index).filter { !(form["q\($0).remove"] ?? "").isEmpty })
        return (rows, removed)
    }

    @Sendable func publish(req: Request) async throws -> Response {
        let (id, _) = try await category(req)
        let (rows, removed) = posted(req)
        do {
            let questions = try IntakeEditorForm.questions(from: rows, removed: removed, text: AreaText(req))
            let previous = try await IntakeRepository.current(categoryID: id, on: req.store.sql)?.flow.questions ?? []
            let version = try await IntakeController.publish(IntakeFlow(questions: questions), categoryID: id, by: try req.current.user.id, req: req)
            req.flash(AreaText(req)("Published version {{number}}: {{changes}}.",
                                    ["number": String(version.version), "changes": IntakeEditorForm.changes(from: previous, to: questions, text: AreaText(req))]))
            return req.redirect(to: "/admin/categories/\(id.uuidString.lowercased())/intake")
        } catch let fault as IntakeEditorForm.Fault {
            return try await render(req, rows: rows, error: AreaText(req)("Not published: {{reason}}", ["reason": fault.message]))
        } catch {
            guard let problem = Problem.from(error) else { throw error }
            return try await render(req, rows: rows, error: AreaText(req)("Not published: {{reason}}", ["reason": FaultText(req).message(problem.detail)]))
        }
    }

    /// The customer's form for the questions as they stand in the editor, unpublished.
    @Sendable func preview(req: Request) async throws -> Response {
        let (rows, removed) = posted(req)
        do {
            let questions = try IntakeEditorForm.questions(from: rows, removed: removed, text: AreaText(req))
            let problems = IntakeFlow(questions: questions).problems()
            guard problems.isEmpty else { throw IntakeEditorForm.Fault(message: problems.map { "\($0.key): \($0.reason)." }.joined(separator: " ")) }
            return try await IntakePage.render(req: req, values: [:], subject: "", description: "", errors: [:], draft: IntakeFlow(questions: questions))
                .encodeResponse(for: req)
        } catch let fault as IntakeEditorForm.Fault {
            return try await render(req, rows: rows, error: AreaText(req)("No preview: {{reason}}", ["reason": fault.message]))
        }
    }
}
