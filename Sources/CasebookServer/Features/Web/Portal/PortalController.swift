import CasebookCore
import Foundation
import SQLKit
import Vapor

/// The customer portal: their requests, filing through the category's intake flow, replies, the workaround choice and rating.
struct PortalController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("portal", use: home)
        routes.get("portal", "new", use: categories)
        routes.get("portal", "new", ":category", use: intakeForm)
        routes.on(.POST, "portal", "new", ":category", body: .collect(maxSize: CSRFProtection.largestForm), use: file)
        let one = routes.grouped("portal", "cases", ":reference")
        one.get(use: casePage)
        one.on(.POST, "messages", body: .collect(maxSize: CSRFProtection.largestForm), use: reply)
        one.post("choice", use: choose)
        one.post("rating", use: rate)
    }

    struct HomePage: Encodable {
        var page: PageChrome
        var cases: [Row]

        struct Row: Encodable {
            var reference: String
            var subject: String
            var status: String
            var statusLabel: String
            var updated: String
        }
    }

    @Sendable func home(req: Request) async throws -> View {
        let current = try req.current
        var raw = ["limit": "100", "sort": "-updated_at"]
        if current.actor.role.isStaff { raw["requester_id"] = current.user.id.uuidString }
        let (cases, _) = try await CaseSearchRepository(services: req.casebook).run(try CaseSearchQuery(raw: raw, me: current.user.id), for: current.actor, on: req.db)
        let chrome = req.chrome(req.text("my_requests", "My requests"), area: "portal")
        let prefix = req.casebook.configuration.referencePrefix
        return try await req.view.render("portal-home", HomePage(page: chrome, cases: cases.map {
            .init(reference: Reference(prefix: prefix, number: $0.number).description, subject: $0.subject, status: $0.status.rawValue,
                  statusLabel: chrome.t["status_" + $0.status.rawValue] ?? $0.status.words, updated: PageFormat.time($0.updatedAt))
        }))
    }

    struct CategoriesPage: Encodable {
        var page: PageChrome
        var categories: [Category]

        struct Category: Encodable {
            var id: String
            var name: String
            var description: String
            /// The content language, where no translation into the page's exists.
            var nameLang: String?
            var descriptionLang: String?
        }
    }

    @Sendable func categories(req: Request) async throws -> View {
        let offered = try await CatalogRepository.categorySummaries(on: req.store.sql).filter { $0.retiredAt == nil }
        let chrome = req.chrome(req.text("new_request", "New request"), area: "portal")
        let texts = try await TranslateContent(services: req.casebook).texts(.category, items: offered.map(\.id), language: chrome.lang, on: req.store.sql)
        return try await req.view.render("portal-categories", CategoriesPage(page: chrome, categories: offered.map {
            let name = texts.text(.category, $0.id, "name", source: $0.name), about = texts.text(.category, $0.id, "description", source: $0.description)
            return .init(id: $0.id.uuidString.lowercased(), name: name.text, description: about.text,
                         nameLang: name.fellBack ? name.language : nil, descriptionLang: about.fellBack && !$0.description.isEmpty ? about.language : nil)
        }))
    }

    @Sendable func intakeForm(req: Request) async throws -> View {
        try await IntakePage.render(req: req, values: [:], subject: "", description: "", errors: [:])
    }

    /// Files the request; a wrong or missing answer re-shows the form with every problem beside its question, keeping what was typed.
    @Sendable func file(req: Request) async throws -> Response {
        let current = try req.current
        guard let categoryID = req.parameters.get("category", as: UUID.self) else { throw Problem.notFound("The category") }
        let flow = try await IntakeRepository.current(categoryID: categoryID, on: req.store.sql)
        let form = try IntakePage.Submission.read(req, questions: flow?.flow.questions ?? [])
        var input = CaseCreateRequest(subject: form.subject, description: form.description)
        input.categoryID = categoryID
        // The knowledge suggestions shown while typing: filing anyway means they did not deflect this request.
        input.suggestionID = (try? req.content.get(String.self, at: "suggestion_id")).flatMap(UUID.init(uuidString:))
        if flow != nil { input.intakeAnswers = form.answers }
        if !form.files.isEmpty { input.attachments = form.files }
        var errors: [String: String] = [:]
        if form.subject.trimmingCharacters(in: .whitespaces).isEmpty { errors["subject"] = "required" }
        if form.description.trimmingCharacters(in: .whitespaces).isEmpty { errors["description"] = "required" }
        if errors.isEmpty {
            let services = req.casebook
            do {
                let opening = OpenCase(services: services)
                let plan = try await opening.readied(try await req.store.reading { [input] db in try await opening.prepare(input, by: current, on: db) })
                let untranslated = try await IntakePage.untranslated(flow?.flow, categoryID: categoryID, req: req)
                let language = req.webLanguage()
                let record = try await req.store.write { db in
                    let record = try await opening.commit(plan, on: db)
                    if flow != nil, language != services.configuration.contentLanguage {
                        try await IntakeRepository.noteLanguage(caseID: record.id, askedIn: language, untranslated: untranslated, on: services.store.sql(db))
                    }
                    return record
                }
                let reference = Reference(prefix: services.configuration.referencePrefix, number: record.number).description
                req.flash((req.text("request_filed", "Request filed:")) + " " + reference)
                return req.redirect(to: "/portal/cases/\(reference)")
            } catch {
                guard let problem = Problem.from(error), problem.status == .unprocessableEntity else { throw error }
                for field in problem.fieldErrors {
                    // The customer reads what is wrong in their language; a fault without words of its own keeps the API's.
                    errors[field.field.replacingOccurrences(of: "intake_answers.", with: "")] =
                        field.code.map { req.text("intake_error_" + $0, field.message) } ?? field.message
                }
                if problem.fieldErrors.isEmpty { errors["form"] = FaultText(req).message(problem.detail) }
            }
        }
        return try await IntakePage.render(req: req, values: form.answers, subject: form.subject, description: form.description, errors: errors)
            .encodeResponse(status: .unprocessableEntity, for: req)
    }

    struct CasePage: Encodable {
        var page: PageChrome
        var reference: String
        var subject: String
        var status: String
        var statusLabel: String
        /// The record, written by `TimelineHTML`.
        var timelineHTML: String
        var problem: ProblemController.CaseProblemView?
        var canChoose: Bool
        var canRate: Bool
        var rating: Int?
        var isRequester: Bool
        var expectation: PortalExpectation?
        /// The content language, when the workaround has no translation into the page's.
        var workaroundLang: String?
        var problemTitleLang: String?
    }

    @Sendable func casePage(req: Request) async throws -> Response {
        let current = try req.current
        let record = try await req.readableCase()
        // A merged case lives on in another: its page leads there when the customer may see that one.
        if let survivor = try await CaseLinkRepository.survivor(of: record.id, on: req.store.sql), let target = try await CaseRepository.find(id: survivor, on: req.store.sql),
           AccessPolicy.decide(.readCase(CaseLookup.facts(target)), for: try req.actor) == .allowed {
            return req.redirect(to: "/portal/cases/" + Reference(prefix: req.casebook.configuration.referencePrefix, number: target.number).description)
        }
        let reference = Reference(prefix: req.casebook.configuration.referencePrefix, number: record.number).description
        // The portal shows what the customer sees, to staff as well: public entries only.
        let chrome = req.chrome("\(reference) · \(record.subject)", area: "portal")
        let timeline = Self.worded(try await CasePageData.timeline(caseID: record.id, includeInternal: false,
                                                                   showImagesFor: nil, on: req.store.sql), t: chrome.t)
        var problem = try? await ProblemController().caseProblem(req: req)
        var workaroundLang: String?, problemTitleLang: String?
        if let id = problem?.problemID, let title = problem?.title {
            let texts = try await TranslateContent(services: req.casebook).texts(.problem, items: [id], language: chrome.lang, on: req.store.sql)
            let shownTitle = texts.text(.problem, id, "title", source: title)
            problem?.title = shownTitle.text
            problemTitleLang = shownTitle.fellBack ? shownTitle.language : nil
            if let workaround = problem?.workaround {
                let shown = texts.text(.problem, id, "workaround", source: workaround)
                problem?.workaround = shown.text
                workaroundLang = shown.fellBack ? shown.language : nil
            }
        }
        let rating = try await SurveyRepository.find(caseID: record.id, on: req.store.sql)?.score
        let isRequester = current.user.id == record.requesterID
        let expectation = try await PortalExpectation.load(for: record, req: req, t: chrome.t, language: chrome.lang)
        return try await req.view.render("portal-case", CasePage(
            page: chrome, reference: reference, subject: record.subject, status: record.status.rawValue,
            statusLabel: chrome.t["status_" + record.status.rawValue] ?? record.status.words,
            timelineHTML: TimelineHTML(reference: reference, desk: false, t: chrome.t).render(timeline), problem: problem,
            canChoose: isRequester && problem.map { $0.status != .fixReleased && $0.status != .closed } == true, canRate: isRequester && [CaseStatus.solved, .closed].contains(record.status), rating: rating,
            isRequester: isRequester, expectation: expectation, workaroundLang: workaroundLang, problemTitleLang: problemTitleLang)).encodeResponse(for: req)
    }

    /// Changes a customer sees (opening, status, their own choice), in their language; others keep the desk's wording.
    /// The customer's record in their words: what was said, the status in their language, the choices they made;
    /// the desk's bookkeeping (fields, links, rules) stays on the desk's side.
    static func worded(_ items: [TimelineItem], t: [String: String]) -> [TimelineItem] {
        func status(_ value: String?) -> String { value.flatMap { t["status_" + $0] } ?? value ?? "—" }
        return items.compactMap { item in
            var item = item
            switch (item.kind, item.field) {
            case ("message", _): break
            case ("created", _): item.change = t["event_opened"] ?? item.change
            case ("field_changed", "status"?): item.change = "\(t["status"] ?? "Status"): \(status(item.oldValue)) → \(status(item.newValue))"
            case ("field_changed", "subject"?): item.change = "\(t["subject"] ?? "Subject"): \(item.newValue ?? "")"
            case ("problem_choice", _): item.change = item.newValue == "workaround" ? t["use_workaround"] : t["wait_for_fix"]
            case ("rca_sent", _): item.change = "\(t["event_rca_sent"] ?? "Report sent"): \(item.newValue ?? "")"
            default: return nil
            }
            return item
        }
    }

    struct ReplyForm: Content {
        var text: String
        var file: File?
    }

    @Sendable func reply(req: Request) async throws -> Response {
        let form = try req.content.decode(ReplyForm.self)
        let reply = try PageReply(req, text: form.text, file: form.file, visibility: .public)
        _ = try await reply.send(req)
        let reference = reply.reference
        req.flash(req.text("reply_sent", "Sent."))
        return req.redirect(to: "/portal/cases/\(reference)")
    }

    @Sendable func choose(req: Request) async throws -> Response {
        let reference = try req.parameters.require("reference")
        _ = try await ProblemController().choose(req: req)
        req.flash(req.text("choice_saved", "Saved."))
        return req.redirect(to: "/portal/cases/\(reference)")
    }

    @Sendable func rate(req: Request) async throws -> Response {
        let reference = try req.parameters.require("reference")
        _ = try await SatisfactionController().rate(req: req)
        req.flash(req.text("thanks_rating", "Thank you."))
        return req.redirect(to: "/portal/cases/\(reference)")
    }
}
