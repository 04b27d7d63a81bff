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
        admin.post("canned", use: { try await Self.submit($0, to: "canned") { try await CannedResponseController().create(req: $0) } })
        admin.post("canned", ":id", "delete", use: deleteCanned)
        admin.post("users", ":id", "role", use: changeRole)
        admin.post("users", ":id", "active", use: toggleActive)
        admin.get("categories", ":id", "intake", use: intakeEditor)
        admin.post("categories", ":id", "intake", use: publishIntake)
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
            req.flash("Saved.")
        } catch {
            guard let problem = Problem.from(error) else { throw error }
            req.flash("Not saved: \(problem.detail)")
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
            req.flash("Not saved: choose what to change.")
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

    static let retirement: AdminSection.Field = .init("state", "Offered for new cases", type: "select", options: [
        .init(value: "", label: "leave as it is"), .init(value: "retire", label: "retire (existing cases keep it)"),
        .init(value: "restore", label: "bring back"),
    ])

    static let sections: [(String, String, String)] = [
        ("users", "People and roles", "Agents, administrators, account managers and customer contacts."),
        ("organisations", "Organisations", "Customers, their domains, seats and whether colleagues see each other's cases."),
        ("contracts", "Contracts", "What each organisation bought, with its service level and dates."),
        ("products", "Products and versions", "What customers run; versions drive intake questions and upgrade warnings."),
        ("categories", "Categories and intake flows", "What requests are about, and the questions each one asks up front."),
        ("groups", "Groups and tiers", "The teams cases are routed to, at each support tier."),
        ("canned", "Canned responses", "Shared replies with placeholders, per language."),
        ("templates", "Mail templates", "What customers receive automatically, in each language."),
        ("email", "Email settings", "How mail comes in and goes out."),
    ]

    @Sendable func index(req: Request) async throws -> View {
        try await req.view.render("admin-section", AdminSection(
            page: req.chrome("Administration", area: "admin", language: "en"), heading: "Administration", intro: "Everything the desk is set up with.",
            columns: ["Area", "What it holds"], rows: Self.sections.map { [.init(text: $0.1, href: "/admin/\($0.0)"), .init(text: $0.2)] }, forms: []))
    }

    func section(req: Request, name: String) async throws -> View {
        guard let meta = Self.sections.first(where: { $0.0 == name }) else { throw Problem.notFound("Admin page '\(name)'") }
        let sql = req.store.sql
        var context = AdminSection(page: req.chrome(meta.1, area: "admin", language: "en"), heading: meta.1, intro: meta.2, columns: [], rows: [], forms: [])
        let organisations = try await sql.select().columns("id", "name").from("organisations").orderBy("name").all()
            .map { AdminSection.Option(value: try $0.decode(column: "id", as: UUID.self).uuidString.lowercased(), label: try $0.decode(column: "name", as: String.self)) }
        let languages = WebText.languages.map { AdminSection.Option(value: $0, label: $0 == "es" ? "Español" : "English") }
        switch name {
        case "users":
            context.columns = ["Name", "Email", "Role", "Language", "Active", "", ""]
            context.rows = try await sql.select().columns("id", "name", "email", "role", "language", "active").from("users").orderBy("name").limit(500).all().map {
                let id = try $0.decode(column: "id", as: UUID.self).uuidString.lowercased()
                let active = try $0.decode(column: "active", as: Bool.self)
                let role = try $0.decode(column: "role", as: String.self)
                let otherRole = role == "agent" ? "admin" : (role == "admin" ? "agent" : nil)
                return [.init(text: try $0.decode(column: "name", as: String.self)), .init(text: try $0.decode(column: "email", as: String.self)),
                        .init(text: role), .init(text: try $0.decode(column: "language", as: String.self)), .init(text: active ? "yes" : "no"),
                        .init(text: active ? "Deactivate" : "Reactivate", action: "/admin/users/\(id)/active"),
                        otherRole.map { .init(text: "Make \($0)", action: "/admin/users/\(id)/role?to=\($0)") } ?? .init(text: "")]
            }
            context.forms = [.init(id: "add-user", title: "Add a person", action: "/admin/users", fields: [
                .init("name", "Name", required: true), .init("email", "Email", type: "email", required: true),
                .init("role", "Role", type: "select", required: true, options: Role.allCases.map { .init(value: $0.rawValue, label: $0.rawValue) }),
                .init("organisation_id", "Organisation (customers)", type: "select", options: [.init(value: "", label: "—")] + organisations),
                .init("language", "Language", type: "select", options: languages),
                .init("password", "Password (at least 12 characters; leave empty for email-only contacts)", type: "password"),
            ], submit: "Add person")]
        case "organisations":
            context.columns = ["Name", "Domain", "Seats", "Shares cases"]
            context.rows = try await sql.select().columns("name", "domain", "seats", "shares_cases").from("organisations").orderBy("name").limit(500).all().map {
                [.init(text: try $0.decode(column: "name", as: String.self)), .init(text: try $0.decode(column: "domain", as: String?.self) ?? ""),
                 .init(text: (try $0.decode(column: "seats", as: Int?.self)).map(String.init) ?? ""),
                 .init(text: try $0.decode(column: "shares_cases", as: Bool.self) ? "yes" : "no")]
            }
            context.forms = [.init(id: "add-organisation", title: "Add an organisation", action: "/admin/organisations", fields: [
                .init("name", "Name", required: true), .init("domain", "Email domain", help: "Mail from this domain files under the organisation."),
                .init("seats", "Seats", type: "number"), .init("shares_cases", "Colleagues see each other's cases", type: "checkbox"),
            ], submit: "Add organisation")]
        case "contracts":
            context.columns = ["Organisation", "Contract", "Level", "From", "Until"]
            context.rows = try await sql.raw("""
                SELECT o.name AS organisation, c.name AS name, c.level AS level, c.starts_on AS starts_on, c.ends_on AS ends_on
                FROM contracts c JOIN organisations o ON o.id = c.organisation_id ORDER BY o.name, c.starts_on
                """).all().map {
                [.init(text: try $0.decode(column: "organisation", as: String.self)), .init(text: try $0.decode(column: "name", as: String.self)),
                 .init(text: try $0.decode(column: "level", as: String.self)), .init(text: try $0.decode(column: "starts_on", as: String.self)),
                 .init(text: try $0.decode(column: "ends_on", as: String?.self) ?? "open-ended")]
            }
            let policies = try await sql.select().columns("id", "name").from("sla_policies").orderBy("name").all()
                .map { AdminSection.Option(value: try $0.decode(column: "id", as: UUID.self).uuidString.lowercased(), label: try $0.decode(column: "name", as: String.self)) }
            context.forms = [.init(id: "add-contract", title: "Add a contract", action: "/admin/contracts", fields: [
                .init("organisation_id", "Organisation", type: "select", required: true, options: organisations),
                .init("name", "Name", required: true),
                .init("level", "Level", type: "select", required: true, options: ["basic", "standard", "premium"].map { .init(value: $0, label: $0) }),
                .init("starts_on", "Starts on", type: "date", required: true), .init("ends_on", "Ends on", type: "date"),
                .init("sla_policy_id", "Service-level policy", type: "select", options: [.init(value: "", label: "—")] + policies),
            ], submit: "Add contract")]
        case "products":
            context.columns = ["Product", "Versions", "State"]
            let products = try await sql.select().columns("id", "name", "retired_at").from("products").orderBy("name").all()
            let versions = try await sql.select().columns("id", "product_id", "name", "retired_at").from("product_versions").orderBy("name").all()
            var versionOptions: [AdminSection.Option] = []
            context.rows = try products.map { product in
                let id = try product.decode(column: "id", as: UUID.self)
                let name = try product.decode(column: "name", as: String.self)
                let own = try versions.filter { try $0.decode(column: "product_id", as: UUID.self) == id }
                let labels = try own.map { version -> String in
                    let label = try version.decode(column: "name", as: String.self)
                    let retired = try version.decode(column: "retired_at", as: Date?.self) != nil
                    versionOptions.append(.init(value: "\(id.uuidString.lowercased())/\(try version.decode(column: "id", as: UUID.self).uuidString.lowercased())",
                                                label: "\(name) \(label)\(retired ? " (retired)" : "")"))
                    return retired ? "\(label) (retired)" : label
                }
                return [.init(text: name), .init(text: labels.joined(separator: ", ")),
                        .init(text: try product.decode(column: "retired_at", as: Date?.self) == nil ? "offered" : "retired")]
            }
            let productOptions: [AdminSection.Option] = try products.map {
                .init(value: try $0.decode(column: "id", as: UUID.self).uuidString.lowercased(), label: try $0.decode(column: "name", as: String.self))
            }
            context.forms = [
                .init(id: "add-product", title: "Add a product", action: "/admin/products", fields: [.init("name", "Name", required: true)], submit: "Add product"),
                .init(id: "add-version", title: "Add a version", action: "/admin/versions", fields: [
                    .init("product_id", "Product", type: "select", required: true, options: productOptions),
                    .init("name", "Version", required: true), .init("released_on", "Released on", type: "date"),
                ], submit: "Add version"),
                .init(id: "change-product", title: "Rename or retire a product", action: "/admin/products/change", fields: [
                    .init("entry", "Product", type: "select", required: true, options: productOptions),
                    .init("name", "New name", help: "Every case shows the new name."), Self.retirement,
                ], submit: "Change product"),
                .init(id: "change-version", title: "Rename or retire a version", action: "/admin/versions/change", fields: [
                    .init("entry", "Version", type: "select", required: true, options: versionOptions),
                    .init("name", "New name"), .init("released_on", "Released on", type: "date"), Self.retirement,
                ], submit: "Change version"),
            ]
        case "categories":
            context.columns = ["Category", "Description", "Intake flow", "State"]
            let rows = try await sql.raw("""
                SELECT c.id AS id, c.name AS name, c.description AS description, c.retired_at AS retired_at,
                       (SELECT MAX(version) FROM intake_flows f WHERE f.category_id = c.id) AS version
                FROM categories c ORDER BY c.name
                """).all()
            context.rows = try rows.map {
                let id = try $0.decode(column: "id", as: UUID.self).uuidString.lowercased()
                let version = try $0.decode(column: "version", as: Int?.self)
                return [.init(text: try $0.decode(column: "name", as: String.self)), .init(text: try $0.decode(column: "description", as: String.self)),
                        .init(text: version.map { "version \($0) — edit" } ?? "none — create", href: "/admin/categories/\(id)/intake"),
                        .init(text: try $0.decode(column: "retired_at", as: Date?.self) == nil ? "offered" : "retired")]
            }
            context.forms = [.init(id: "add-category", title: "Add a category", action: "/admin/categories", fields: [
                .init("name", "Name", required: true), .init("description", "Description", type: "textarea"),
            ], submit: "Add category"), .init(id: "change-category", title: "Rename or retire a category", action: "/admin/categories/change", fields: [
                .init("entry", "Category", type: "select", required: true, options: try rows.map {
                    .init(value: try $0.decode(column: "id", as: UUID.self).uuidString.lowercased(), label: try $0.decode(column: "name", as: String.self))
                }),
                .init("name", "New name"), .init("description", "New description", type: "textarea"), Self.retirement,
            ], submit: "Change category")]
        case "groups":
            context.columns = ["Group", "Tier", "Members", "Open cases", "State"]
            let rows = try await sql.raw("""
                SELECT g.id AS id, g.name AS name, g.tier AS tier, g.retired_at AS retired_at,
                       (SELECT COUNT(*) FROM group_memberships m WHERE m.group_id = g.id) AS members,
                       (SELECT COUNT(*) FROM cases c WHERE c.group_id = g.id AND c.status IN (\(binds: DeskQueue.activeStatuses))) AS open
                FROM groups g ORDER BY g.tier, g.name
                """).all()
            context.rows = try rows.map {
                [.init(text: try $0.decode(column: "name", as: String.self)), .init(text: "L\(try $0.decode(column: "tier", as: Int.self))"),
                 .init(text: String(try $0.decode(column: "members", as: Int.self))), .init(text: String(try $0.decode(column: "open", as: Int.self))),
                 .init(text: try $0.decode(column: "retired_at", as: Date?.self) == nil ? "taking cases" : "retired")]
            }
            let tiers: [AdminSection.Option] = (1...9).map { .init(value: String($0), label: "L\($0)") }
            context.forms = [.init(id: "add-group", title: "Add a group", action: "/admin/groups", fields: [
                .init("name", "Name", required: true), .init("tier", "Tier", type: "select", required: true, options: tiers),
                .init("description", "Description", type: "textarea"),
            ], submit: "Add group"), .init(id: "change-group", title: "Rename, move or retire a group", action: "/admin/groups/change", fields: [
                .init("entry", "Group", type: "select", required: true, options: try rows.map {
                    .init(value: try $0.decode(column: "id", as: UUID.self).uuidString.lowercased(), label: try $0.decode(column: "name", as: String.self))
                }),
                .init("name", "New name"), .init("tier", "Tier", type: "select", options: [.init(value: "", label: "leave as it is")] + tiers),
                Self.retirement,
            ], submit: "Change group")]
        case "canned":
            context.columns = ["Title", "Language", "Text", ""]
            context.rows = try await CannedResponses.all(on: sql).map {
                [.init(text: $0.title), .init(text: $0.language), .init(text: $0.body),
                 .init(text: "Delete", action: "/admin/canned/\($0.id.uuidString.lowercased())/delete")]
            }
            context.forms = [.init(id: "add-canned", title: "Add a canned response", action: "/admin/canned", fields: [
                .init("title", "Title", required: true), .init("language", "Language", type: "select", options: languages),
                .init("body", "Text", type: "textarea", required: true,
                      help: "Placeholders: " + PlaceholderTemplate.names.map { "{{\($0)}}" }.joined(separator: " ")),
            ], submit: "Add canned response")]
        case "templates":
            context.columns = ["Template", "Language", "Subject", "Text", "Wording", ""]
            let sample = ["case.reference": "CB-1234", "case.subject": "Printer jams", "customer.name": "Carla Gómez", "survey.link": "https://…/surveys/…"]
            for (name, _) in MailTemplateTexts.editable {
                for language in MailTemplates.languages {
                    let builtIn: MailTemplates.Rendered
                    switch name {
                    case "acknowledgement": builtIn = MailTemplates.acknowledgement(reference: "CB-1234", subject: "Printer jams", name: "Carla Gómez", language: language)
                    case "survey": builtIn = MailTemplates.survey(reference: "CB-1234", subject: "Printer jams", name: "Carla Gómez", link: "https://…/surveys/…", language: language)
                    default:
                        guard let customer = MailTemplates.customer(name, reference: "CB-1234", subject: "Printer jams", name: "Carla Gómez", language: language) else { continue }
                        builtIn = customer
                    }
                    let saved = try await MailTemplateTexts.find(name, language: language, on: sql)
                    let shown = try await MailTemplateTexts.render(name, language: language, values: sample, builtIn: builtIn, on: sql)
                    context.rows.append([.init(text: name), .init(text: language), .init(text: shown.subject), .init(text: shown.text),
                                         .init(text: saved.map { "yours, saved \(PageFormat.time($0.updatedAt))" } ?? "built-in"),
                                         saved == nil ? .init(text: "") : .init(text: "Back to built-in", action: "/admin/templates/revert?name=\(name)&language=\(language)")])
                }
            }
            context.intro += " Each customer receives them in their profile's language; shown here filled with sample values. Your wording replaces the built-in text for one template and language."
            context.forms = [.init(id: "reword-template", title: "Reword a template", action: "/admin/templates", fields: [
                .init("name", "Template", type: "select", required: true, options: MailTemplateTexts.editable.map { .init(value: $0.name, label: $0.name) }),
                .init("language", "Language", type: "select", required: true, options: languages),
                .init("subject", "Subject", required: true, value: "[{{case.reference}}] {{case.subject}}"),
                .init("body", "Text", type: "textarea", required: true,
                      help: "Placeholders: {{case.reference}} {{case.subject}} {{customer.name}} {{customer.first_name}}; the survey also needs {{survey.link}}."),
            ], submit: "Save wording")]
        case "email":
            let outbound = req.casebook.configuration.outbound
            let smtp = req.casebook.configuration.smtp
            context.columns = ["Setting", "Value"]
            context.rows = [
                ("Outbound transport", outbound.transport.rawValue), ("From", "\(outbound.fromName) <\(outbound.fromAddress)>"),
                ("Relay", outbound.transport == .smtp ? "\(outbound.relayHost):\(outbound.relayPort)" : "—"),
                ("Relay user", outbound.relayUsername ?? "—"), ("Verify relay certificates", outbound.verifyCertificates ? "yes" : "no"),
                ("Acknowledgements per requester per hour", String(outbound.acknowledgementsPerHour)),
                ("Inbound SMTP listener", smtp.map { "\($0.host):\($0.port) as \($0.hostname)" } ?? "off"),
            ].map { [.init(text: $0.0), .init(text: $0.1)] }
            context.intro += " They are read from the environment at start (CASEBOOK_MAIL_*, CASEBOOK_SMTP_*; see the README), so every instance agrees."
            context.forms = [.init(id: "test-mail", title: "Send a test message", action: "/admin/email/test", fields: [
                .init("to", "To", type: "email", required: true),
            ], submit: "Send test")]
        default:
            throw Problem.notFound("Admin page '\(name)'")
        }
        return try await req.view.render("admin-section", context)
    }

    @Sendable func addVersion(req: Request) async throws -> Response {
        guard let productID = try? req.content.get(String.self, at: "product_id") else {
            req.flash("Not saved: choose a product.")
            return req.redirect(to: "/admin/products")
        }
        req.parameters.set("id", to: productID)
        var body = try FormJSON.body(from: req)
        body["product_id"] = nil
        do {
            try req.useJSON(body)
            _ = try await CatalogController().createVersion(req: req)
            req.flash("Saved.")
        } catch {
            guard let problem = Problem.from(error) else { throw error }
            req.flash("Not saved: \(problem.detail)")
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
              let row = try await req.store.sql.select().column("active").from("users").where("id", .equal, id).first() else {
            throw Problem.notFound("The person")
        }
        let active = try row.decode(column: "active", as: Bool.self)
        return try await Self.submitJSON(req, ["active": .bool(!active)], section: "users") { try await UserController().update(req: $0) }
    }

    @Sendable func deleteCanned(req: Request) async throws -> Response {
        _ = try await CannedResponseController().delete(req: req)
        req.flash("Deleted.")
        return req.redirect(to: "/admin/canned")
    }

    @Sendable func intakeEditor(req: Request) async throws -> View {
        guard let id = req.parameters.get("id", as: UUID.self),
              let category = try await req.store.sql.select().column("name").from("categories").where("id", .equal, id).first() else {
            throw Problem.notFound("The category")
        }
        let versions = try await IntakeStore.versions(categoryID: id, on: req.store.sql)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let current = versions.first.map { String(decoding: (try? encoder.encode($0.flow.questions)) ?? Data(), as: UTF8.self) } ?? Self.exampleFlow
        let name = try category.decode(column: "name", as: String.self)
        return try await req.view.render("admin-section", AdminSection(
            page: req.chrome("Intake flow: \(name)", area: "admin", language: "en"), heading: "Intake flow: \(name)",
            intro: "Publishing makes a new version; cases already filed keep the version they answered. Each question: key, label, why (shown beside it), "
                + "kind (text, choice, yes_no, number, date, file, product_version), required, options (choice), condition {question, equals: [...]}, "
                + "prefill (organisation or product_version: answered from the customer's record) and already_tried.",
            columns: ["Version", "Published", "Questions"],
            rows: versions.map { [.init(text: String($0.version)), .init(text: PageFormat.time($0.createdAt)), .init(text: $0.flow.questions.map(\.label).joined(separator: " · "))] },
            forms: [.init(id: "publish-intake", title: "Questions (JSON)", action: "/admin/categories/\(id.uuidString.lowercased())/intake",
                          fields: [.init("questions", "Questions", type: "textarea", required: true, value: current)], submit: "Publish new version")]))
    }

    @Sendable func publishIntake(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The category") }
        let text = (try? req.content.get(String.self, at: "questions")) ?? ""
        do {
            let questions: [IntakeQuestion]
            do {
                questions = try JSONDecoder().decode([IntakeQuestion].self, from: Data(text.utf8))
            } catch {
                throw Problem.invalid("questions", "is not a JSON list of questions: \(error)")
            }
            let version = try await IntakeController.publish(IntakeFlow(questions: questions), categoryID: id, by: try req.current.user.id, req: req)
            req.flash("Published version \(version.version).")
        } catch {
            guard let problem = Problem.from(error) else { throw error }
            req.flash("Not published: \(problem.detail)")
        }
        return req.redirect(to: "/admin/categories/\(id.uuidString.lowercased())/intake")
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
            req.flash("Saved: customers writing in \(form.language) now receive your wording of \(form.name).")
        } catch {
            guard let problem = Problem.from(error) else { throw error }
            req.flash("Not saved: \(problem.detail)")
        }
        return req.redirect(to: "/admin/templates")
    }

    @Sendable func revertTemplate(req: Request) async throws -> Response {
        let name = req.query[String.self, at: "name"] ?? "", language = req.query[String.self, at: "language"] ?? ""
        try await req.store.write { db in try await MailTemplateTexts.revert(name: name, language: language, on: req.store.sql(db)) }
        req.flash("\(name) (\(language)) is back to the built-in text.")
        return req.redirect(to: "/admin/templates")
    }

    struct TestForm: Content {
        var to: String
    }

    @Sendable func testMail(req: Request) async throws -> Response {
        let form = try req.content.decode(TestForm.self)
        let address = form.to.trimmingCharacters(in: .whitespaces)
        guard address.contains("@"), address.count <= 254, !address.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" }) else {
            req.flash("Not sent: '\(address)' is not an email address.")
            return req.redirect(to: "/admin/email")
        }
        let settings = req.casebook.configuration.outbound
        let now = req.now
        try await req.store.write { db in
            try await Outbox.enqueueFromDesk(to: MailAddress(name: nil, address: address), subject: "Casebook test message",
                                             text: "This is a test message from Casebook's email settings page.", kind: .test, caseID: nil,
                                             isAutomatic: true, settings: settings, on: req.store.sql(db), now: now)
        }
        req.flash(settings.transport == .none ? "Outbound mail is switched off (CASEBOOK_MAIL_TRANSPORT=none)." : "Test message queued to \(address).")
        return req.redirect(to: "/admin/email")
    }

    static let exampleFlow = """
        [
          {"key": "company", "label": "Company", "why": "So we apply your contract.", "kind": "text", "required": true, "prefill": "organisation"},
          {"key": "shows_error", "label": "Does the device show an error?", "why": "An error code points to the part.", "kind": "yes_no", "required": true},
          {"key": "error_code", "label": "Error code", "why": "Each code names a failing part.", "kind": "text", "required": true,
           "condition": {"question": "shows_error", "equals": ["yes"]}}
        ]
        """
}
