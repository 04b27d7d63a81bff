import CasebookCore
import Foundation
import Vapor

/// The pages of every area outside the desk and the portal: a section's index, an area's list and an entry's page,
/// and the forms on them. A refused form comes back with the API's message beside its field and everything typed kept.
struct AreaController: RouteCollection {
    let areas: [Area]

    func boot(routes: any RoutesBuilder) throws {
        for section in PageSection.allCases where section != .admin && section != .desk {
            routes.get(PathComponent(stringLiteral: section.rawValue)) { req in try await self.index(req, section: section) }
        }
        for area in areas {
            let base = routes.grouped(PathComponent(stringLiteral: area.section.rawValue), PathComponent(stringLiteral: area.name))
            if area.hasList { base.get { req in try await self.render(req, area: area) } }
            if area.create != nil { base.post { req in try await self.create(req, area: area) } }
            for command in area.commands {
                base.post("run", PathComponent(stringLiteral: command.name)) { req in try await self.run(req, area: area, command: command) }
            }
            for action in area.actions {
                base.post(":id", PathComponent(stringLiteral: action.name)) { req in try await self.act(req, area: area, action: action) }
            }
            guard area.hasEntries else { continue }
            base.get(":id") { req in try await self.render(req, area: area, id: try Self.id(req)) }
            if area.edit != nil { base.post(":id") { req in try await self.edit(req, area: area) } }
        }
    }

    static func id(_ req: Request) throws -> String {
        // Entry ids are UUIDs or references; anything else is not an entry (and never reaches an API path unescaped).
        guard let id = req.parameters.get("id"), isIdentifier(id) else { throw Abort(.notFound) }
        return id
    }

    static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }

    /// The areas of one section that this visitor may open, as cards.
    static func cards(of section: PageSection, in areas: [Area], for actor: Actor, text: AreaText) -> [AreaView.Card] {
        let pages = section == .reports && AccessPolicy.decide(.readReports, for: actor) == .allowed ? ReportPages.cards : []
        let open = areas.filter { $0.section == section && $0.hasList && AccessPolicy.decide($0.access, for: actor) == .allowed }
        return (pages + open.map { AreaView.Card(title: $0.title, href: $0.path, intro: $0.intro) })
            .map { AreaView.Card(title: text($0.title), href: $0.href, intro: text($0.intro)) }
    }

    func index(_ req: Request, section: PageSection) async throws -> View {
        let text = AreaText(req)
        let cards = Self.cards(of: section, in: areas, for: try req.actor, text: text)
        guard !cards.isEmpty else {
            throw Abort(.forbidden, reason: PlaceholderTemplate.render(req.text("area_section_closed", "Nothing in {{section}} is open to your role."),
                                                                       values: ["section": section.title(text)]))
        }
        let view = AreaView(page: req.chrome(section.title(text), area: section.rawValue), crumbs: [], heading: section.title(text),
                            intro: section.intro(text), cards: cards)
        return try await req.view.render("area", view)
    }

    // MARK: Pages

    /// The area's list (no id) or one entry's page; `failed` is a refused form to show again as it was sent.
    func render(_ req: Request, area: Area, id: String? = nil, failed: FailedForm? = nil, result: (String, PageJSON)? = nil) async throws -> View {
        try req.authorize(area.access)
        let builder = AreaPageBuilder(req: req, area: area.localised(AreaText(req)))
        var view: AreaView
        if let id { view = try await builder.entry(id: id, failed: failed) } else { view = try await builder.list(failed: failed) }
        if let (title, json) = result {
            let names = try await RecordNamesForPages.load(in: [json], on: req)
            view.panels = builder.panels(titled: title, json, names: names) + view.panels
        }
        return try await req.view.render("area", view)
    }

    /// A form as it was posted, with the problem the API found in it.
    struct FailedForm {
        var formID: String
        var values: [String: String]
        var problem: PageProblem
    }

    // MARK: Forms

    func create(_ req: Request, area: Area) async throws -> Response {
        guard let form = area.create else { throw Abort(.notFound) }
        return try await submit(req, area: area, form: form, formID: "create", path: form.path ?? area.api, id: nil, clearsEmpty: false) { json in
            json?["id"]?.string.map { area.hasEntries ? area.path + "/" + $0 : area.path } ?? area.path
        }
    }

    /// Sends only what the visitor changed (a whole nested object when any of its fields changed), so a field the API
    /// does not let change, or someone else's change to another field meanwhile, is left alone.
    func edit(_ req: Request, area: Area) async throws -> Response {
        guard let form = area.edit else { throw Abort(.notFound) }
        let id = try Self.id(req)
        let path = (form.path ?? area.entryPath("{id}")).replacingOccurrences(of: "{id}", with: id)
        let current = AreaFormBody.values(for: form.fields, from: try await InProcessAPI(req: req).get(area.entryPath(id)))
        let posted = (try? req.content.decode([String: String].self)) ?? [:]
        let changed = AreaFormBody.changedGroups(form.fields, posted: posted, current: current)
        guard !changed.isEmpty else {
            req.flash(req.text("area_nothing_changed", "Nothing changed."))
            return req.redirect(to: area.path + "/" + id)
        }
        var narrowed = form
        if !form.sendsEverything { narrowed.fields = form.fields.filter { changed.contains(AreaFormBody.group(of: $0)) } }
        return try await submit(req, area: area, form: narrowed, formID: "edit", path: path, id: id, clearsEmpty: true) { _ in area.path + "/" + id }
    }

    func act(_ req: Request, area: Area, action: AreaAction) async throws -> Response {
        let id = try Self.id(req)
        try req.authorize(action.access ?? area.write)
        var path = (action.form.path ?? area.entryPath("{id}") + "/" + action.name).replacingOccurrences(of: "{id}", with: id)
        // A field named in the path ("{repair_id}") goes into the path, not the body; it must look like an id or a reference.
        var form = action.form
        let posted = (try? req.content.decode([String: String].self)) ?? [:]
        for field in form.fields where path.contains("{\(field.key)}") {
            let value = (posted[field.key] ?? "").trimmingCharacters(in: .whitespaces)
            guard Self.isIdentifier(value) else {
                let label = AreaText(req)(field.label)
                let problem = PageProblem(status: .unprocessableEntity,
                                          detail: PlaceholderTemplate.render(req.text("area_field_required", "{{field}} is required."), values: ["field": label]),
                                          fields: [field.key: req.text("area_required", "is required")])
                return try await refused(req, area: area, id: area.hasEntries ? id : nil,
                                         failed: FailedForm(formID: "action-" + action.name, values: posted, problem: problem))
            }
            path = path.replacingOccurrences(of: "{\(field.key)}", with: value)
            form.fields.removeAll { $0.key == field.key }
        }
        let action = AreaAction(name: action.name, form: form, when: action.when, access: action.access, done: action.done,
                                showsResult: action.showsResult, returnsToList: action.returnsToList, extra: action.extra, redirect: action.redirect)
        // An area without entry pages acts from its list's rows, and goes back there.
        let page = area.hasEntries ? id : nil
        return try await submit(req, area: area, form: action.form, formID: "action-" + action.name, path: path, id: page, clearsEmpty: false,
                                done: action.done, showsResult: action.showsResult,
                                extra: action.extra.mapValues { $0.replacingOccurrences(of: "{id}", with: id) }) { answer in
            if let redirect = action.redirect, let answer, let target = redirect(answer) { return target }
            return area.hasEntries && !action.returnsToList ? area.path + "/" + id : area.path
        }
    }

    func run(_ req: Request, area: Area, command: AreaAction) async throws -> Response {
        try req.authorize(command.access ?? area.write)
        guard let path = command.form.path else { throw Abort(.notFound) }
        return try await submit(req, area: area, form: command.form, formID: "command-" + command.name, path: path, id: nil, clearsEmpty: false,
                                done: command.done, showsResult: command.showsResult) { _ in area.path }
    }

    /// Sends the form to its API operation; success goes on to `next` with a note, a refusal shows the page again.
    private func submit(_ req: Request, area: Area, form: AreaForm, formID: String, path: String, id: String?, clearsEmpty: Bool,
                        done: String? = nil, showsResult: Bool = false, extra: [String: String] = [:],
                        next: (PageJSON?) -> String) async throws -> Response {
        let posted = (try? req.content.decode([String: String].self)) ?? [:]
        let answer: InProcessAPI.Answer
        do {
            let api = InProcessAPI(req: req)
            switch try AreaFormBody.payload(for: form.fields, posted: posted, clearsEmpty: clearsEmpty) {
            case .none: answer = try await api.call(form.method, path, json: extra.isEmpty ? nil : .object(extra.mapValues(PageJSON.string)))
            case let .json(json):
                var members = json.members
                for (key, value) in extra { members[key] = .string(value) }
                answer = try await api.call(form.method, path, json: .object(members))
            case let .text(text, type): answer = try await api.call(form.method, path, text: text, contentType: type)
            }
        } catch let problem as PageProblem {
            return try await refused(req, area: area, id: id, failed: FailedForm(formID: formID, values: posted, problem: problem))
        }
        guard answer.succeeded else {
            let problem = answer.problem ?? PageProblem(status: answer.status, detail: answer.status.reasonPhrase)
            return try await refused(req, area: area, id: id, failed: FailedForm(formID: formID, values: posted, problem: problem))
        }
        if showsResult, let json = answer.json {
            let title = PlaceholderTemplate.render(req.text("area_result", "{{title}}: result"), values: ["title": AreaText(req)(form.title)])
            return try await render(req, area: area, id: id, result: (title, json)).encodeResponse(for: req)
        }
        req.flash(Self.note(done.map { AreaText(req)($0) } ?? req.text("area_saved", "Saved."), answer: answer.json, strings: req.application.webText.strings(req.webLanguage())))
        return req.redirect(to: next(answer.json))
    }

    private func refused(_ req: Request, area: Area, id: String?, failed: FailedForm) async throws -> Response {
        var failed = failed
        let forms = [area.create, area.edit].compactMap { $0 } + (area.actions + area.commands).map(\.form)
        let text = AreaText(req)
        failed.problem = FaultText(req).problem(failed.problem) { key in
            forms.lazy.flatMap(\.fields).first { $0.key == key }.map { text($0.label) }
        }
        let view = try await render(req, area: area, id: id, failed: failed)
        let response = try await view.encodeResponse(for: req)
        response.status = failed.problem.status == .forbidden ? .forbidden : .unprocessableEntity
        return response
    }

    /// The note after success; a new API token is shown once, here, because it is never shown again.
    static func note(_ done: String, answer: PageJSON?, strings t: [String: String] = [:]) -> String {
        func say(_ key: String, _ fallback: String, _ value: String) -> String {
            PlaceholderTemplate.render(t[key] ?? fallback, values: ["done": done, "value": value])
        }
        if let token = answer?["token"]?.string { return say("area_note_token", "Token created. Copy it now, it will not be shown again: {{value}}", token) }
        if let secret = answer?["secret"]?.string { return say("area_note_secret", "{{done}} The signing secret, shown only now: {{value}}", secret) }
        if let added = answer?["added"] { return say("area_note_added", "{{done}} Added: {{value}}.", added.text) }
        if let notified = answer?["notified"] { return say("area_note_notified", "{{done}} Notified: {{value}}.", String(notified.items.count)) }
        if let sent = answer?["sent"], case .number = sent { return say("area_note_sent", "{{done}} Recipients: {{value}}.", sent.text) }
        return done
    }
}
