import CasebookCore
import CasebookMail
import Foundation
import SQLKit
import Vapor

/// Admin pages: people and roles, organisations and contracts, products and versions, categories and their intake flows,
/// canned responses, the mail templates per language and the email settings. Forms post through the API's handlers.
struct AdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped("admin")
        admin.get(use: index)
        // One route per page, not `:section`: a constant path like `categories/:id/intake` would shadow a parameter.
        for (name, _, _) in Self.sections {
            admin.get(PathComponent(stringLiteral: name)) { req in try await self.section(req: req, name: name) }
        }
        admin.post("users", use: { try await Self.submit($0, to: "users", integers: ["tier"]) { try await UserController().create(req: $0) } })
        admin.post("organisations", use: { try await Self.submit($0, to: "organisations", integers: ["seats"], flags: ["shares_cases"]) { try await OrganisationController().create(req: $0) } })
        admin.post("contracts", use: { try await Self.submit($0, to: "contracts") { try await ContractController().create(req: $0) } })
        admin.post("products", use: { try await Self.submit($0, to: "products") { try await CatalogController().createProduct(req: $0) } })
        admin.post("versions", use: addVersion)
        admin.post("categories", use: { try await Self.submit($0, to: "categories") { try await CatalogController().createCategory(req: $0) } })
        admin.post("groups", use: { try await Self.submit($0, to: "groups", integers: ["tier"]) { try await GroupController().create(req: $0) } })
        admin.post("products", "change", use: { try await Self.change($0, section: "products") { try await CatalogController().updateProduct(req: $0) } })
        admin.post("versions", "change", use: { try await Self.change($0, section: "products") { try await CatalogController().updateVersion(req: $0) } })
        admin.post("categories", "change", use: { try await Self.change($0, section: "categories") { try await CatalogController().updateCategory(req: $0) } })
        admin.post("groups", "change", use: { try await Self.change($0, section: "groups", integers: ["tier"]) { try await GroupController().update(req: $0) } })
        admin.post("users", ":id", "role", use: changeRole)
        admin.post("users", ":id", "active", use: toggleActive)
        admin.post("email", "test", use: testMail)
        admin.post("templates", use: saveTemplate)
        admin.post("templates", "revert", use: revertTemplate)
    }

    /// Runs an API handler on the form (as JSON); its problems come back as a message on the same page.
    static func submit(_ req: Request, to section: String, integers: Set<String> = [], flags: Set<String> = [],
                       handler: (Request) async throws -> some Sendable) async throws -> Response {
        try await submitJSON(req, try FormJSON.body(from: req, integers: integers, flags: flags), section: section, handler: handler)
    }

    /// Runs an API handler on a JSON body and goes back to the admin page with what became of it.
    static func submitJSON(_ req: Request, _ body: [String: FormJSON], section: String,
                           handler: (Request) async throws -> some Sendable) async throws -> Response {
        do {
            try req.useJSON(body)
            _ = try await handler(req)
            req.flash(req.text("area_saved", "Saved."))
        } catch {
            guard let problem = Problem.from(error) else { throw error }
            req.flash(notSaved(req, problem.detail))
        }
        return req.redirect(to: "/admin/\(section)")
    }

    /// Renames, retires or brings back one catalogue entry: the form's `entry` names it ("product/version" for a version),
    /// `state` is "retire", "restore" or empty, and empty fields leave a value as it is (the form reader drops them).
    static func change(_ req: Request, section: String, integers: Set<String> = [],
                       handler: (Request) async throws -> some Sendable) async throws -> Response {
        var body = try FormJSON.body(from: req, integers: integers)
        // One id, or "product/version": anything else (a tampered form) is refused before it reaches the handler.
        guard case let .string(entry)? = body.removeValue(forKey: "entry"),
              case let ids = entry.split(separator: "/", omittingEmptySubsequences: false).map(String.init),
              (1...2).contains(ids.count), ids.allSatisfy({ UUID(uuidString: $0) != nil }) else {
            req.flash(notSaved(req, AreaText(req)("choose what to change.")))
            return req.redirect(to: "/admin/\(section)")
        }
        req.parameters.set("id", to: ids[0])
        if ids.count > 1 { req.parameters.set("version", to: ids[1]) }
        switch body.removeValue(forKey: "state") {
        case .string("retire")?: body["retired"] = .bool(true)
        case .string("restore")?: body["retired"] = .bool(false)
        default: break
        }
        return try await submitJSON(req, body, section: section, handler: handler)
    }

    /// The choice to retire or bring back a catalogue entry, in the reader's words.
    static func retirement(_ t: AreaText) -> AdminSection.Field {
        .init("state", t("Offered for new cases"), type: "select", options: [
            .init(value: "", label: t("leave as it is")), .init(value: "retire", label: t("retire (existing cases keep it)")),
            .init(value: "restore", label: t("bring back")),
        ])
    }

    /// "Not saved: …" with the reason, in the reader's language.
    static func notSaved(_ req: Request, _ reason: String) -> String {
        PlaceholderTemplate.render(req.text("admin_not_saved", "Not saved: {{reason}}"), values: ["reason": FaultText(req).message(reason)])
    }

    /// Every admin page, in the order the index lists them; each is one type in `Pages/`.
    static let pages: [any AdminPage] = [
        PeopleAdminPage(), OrganisationsAdminPage(), ContractsAdminPage(), ProductsAdminPage(), CategoriesAdminPage(), GroupsAdminPage(),
        MailTemplatesAdminPage(), EmailSettingsAdminPage(),
    ]

    static var sections: [(String, String, String)] { pages.map { ($0.name, $0.title, $0.intro) } }

    @Sendable func index(req: Request) async throws -> View {
        let text = AreaText(req)
        let chrome = req.chrome(text("Administration"), area: "admin")
        let pages: [[AdminSection.Cell]] = Self.pages.map { [.init(text: text($0.title), href: "/admin/\($0.name)"), .init(text: text($0.intro))] }
        let areas: [[AdminSection.Cell]] = AreaController.cards(of: .admin, in: AreaCatalog.all, for: try req.actor, text: text)
            .map { [.init(text: $0.title, href: $0.href), .init(text: $0.intro)] }
        let translations: [AdminSection.Cell] = [
            .init(text: chrome.t["translations_title"] ?? "Translations", href: "/admin/translations"),
            .init(text: chrome.t["translations_admin_intro"] ?? "What customers read in their own language, and what is missing or out of date."),
        ]
        return try await req.view.render("admin-section", AdminSection(
            page: chrome, heading: text("Administration"), intro: text(PageSection.admin.intro),
            columns: [text("Area"), text("What it holds")], rows: pages + areas + [translations], forms: []))
    }

    func section(req: Request, name: String) async throws -> View {
        guard let admin = Self.pages.first(where: { $0.name == name }) else { throw Problem.notFound("Admin page '\(name)'") }
        let text = AreaText(req)
        var page = AdminSection(page: req.chrome(text(admin.title), area: "admin"), heading: text(admin.title), intro: text(admin.intro),
                                columns: [], rows: [], forms: [])
        try await admin.fill(&page, for: req)
        return try await req.view.render("admin-section", page)
    }

    @Sendable func addVersion(req: Request) async throws -> Response {
        guard let productID = try? req.content.get(String.self, at: "product_id") else {
            req.flash(Self.notSaved(req, AreaText(req)("choose a product.")))
            return req.redirect(to: "/admin/products")
        }
        req.parameters.set("id", to: productID)
        var body = try FormJSON.body(from: req)
        body["product_id"] = nil
        do {
            try req.useJSON(body)
            _ = try await CatalogController().createVersion(req: req)
            req.flash(req.text("area_saved", "Saved."))
        } catch {
            guard let problem = Problem.from(error) else { throw error }
            req.flash(Self.notSaved(req, problem.detail))
        }
        return req.redirect(to: "/admin/products")
    }

    /// Switches a staff member between agent and admin, through the API's rules (an admin cannot demote themselves away).
    @Sendable func changeRole(req: Request) async throws -> Response {
        guard let role = req.query[String.self, at: "to"], ["agent", "admin"].contains(role) else { throw Problem.invalid("to", "must be agent or admin") }
        return try await Self.submitJSON(req, ["role": .string(role)], section: "users") { try await UserController().update(req: $0) }
    }

    /// Deactivates (sign-in and tokens stop working, the record stays) or reactivates a person.
    @Sendable func toggleActive(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self),
              let active = try await UserRepository.isActive(id, on: req.store.sql) else {
            throw Problem.notFound("The person")
        }
        return try await Self.submitJSON(req, ["active": .bool(!active)], section: "users") { try await UserController().update(req: $0) }
    }

    struct TemplateForm: Content {
        var name: String
        var language: String
        var subject: String
        var body: String
    }

    @Sendable func saveTemplate(req: Request) async throws -> Response {
        let form = try req.content.decode(TemplateForm.self)
        let user = try req.current.user.id
        let now = req.now
        do {
            try await req.store.write { db in
                try await MailTemplateTexts.save(name: form.name, language: form.language, subject: form.subject, body: form.body, by: user, at: now, on: req.store.sql(db))
            }
            req.flash(AreaText(req)("Saved: customers writing in {{language}} now receive your wording of {{template}}.", ["language": form.language, "template": form.name]))
        } catch {
            guard let problem = Problem.from(error) else { throw error }
            req.flash(Self.notSaved(req, problem.detail))
        }
        return req.redirect(to: "/admin/templates")
    }

    @Sendable func revertTemplate(req: Request) async throws -> Response {
        let name = req.query[String.self, at: "name"] ?? "", language = req.query[String.self, at: "language"] ?? ""
        try await req.store.write { db in try await MailTemplateTextRepository.delete(name: name, language: language, on: req.store.sql(db)) }
        req.flash(AreaText(req)("{{template}} ({{language}}) is back to the built-in text.", ["template": name, "language": language]))
        return req.redirect(to: "/admin/templates")
    }

    struct TestForm: Content {
        var to: String
    }

    @Sendable func testMail(req: Request) async throws -> Response {
        let form = try req.content.decode(TestForm.self)
        let address = form.to.trimmingCharacters(in: .whitespaces)
        guard address.contains("@"), address.count <= 254, !address.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" }) else {
            req.flash(AreaText(req)("Not sent: '{{address}}' is not an email address.", ["address": address]))
            return req.redirect(to: "/admin/email")
        }
        let settings = req.casebook.configuration.outbound
        let now = req.now
        try await req.store.write { db in
            try await Outbox.enqueueFromDesk(to: MailAddress(name: nil, address: address), subject: "Casebook test message",
                                             text: "This is a test message from Casebook's email settings page.", kind: .test, caseID: nil,
                                             isAutomatic: true, settings: settings, on: req.store.sql(db), now: now)
        }
        let text = AreaText(req)
        req.flash(settings.transport == .none ? text("Outbound mail is switched off (CASEBOOK_MAIL_TRANSPORT=none).")
                                              : text("Test message queued to {{address}}.", ["address": address]))
        return req.redirect(to: "/admin/email")
    }
}
