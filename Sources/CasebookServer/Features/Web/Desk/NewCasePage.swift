import CasebookCore
import Foundation
import Vapor

/// `/desk/new`: an agent opens a case for a caller or a walk-in, finding the person among the contacts or adding
/// them on the spot. Finding reloads the form with everything typed kept, so it works without JavaScript.
struct NewCasePage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("desk", "new", use: show)
        routes.post("desk", "new", use: submit)
    }

    struct Page: Encodable {
        var page: PageChrome
        var error: String?
        /// What the agent typed (or the defaults), by field name.
        var form: [String: String]
        var searched: Bool
        var found: [Person]
        var newChosen: Bool
        var channels: [DeskCasePage.Option]
        var priorities: [DeskCasePage.Option]
        var agents: [DeskCasePage.Option]
        var groups: [DeskCasePage.Option]
        var categories: [DeskCasePage.Option]
        var versions: [DeskCasePage.Option]
        var organisations: [DeskCasePage.Option]
        var languages: [DeskCasePage.Option]

        struct Person: Encodable {
            var id: String
            var name: String
            var line: String
            var chosen: Bool
        }
    }

    @Sendable func show(req: Request) async throws -> View {
        var form = ["channel": CaseChannel.phone.rawValue, "priority": Priority.normal.rawValue,
                    "assignee_id": try req.current.user.id.uuidString.lowercased()]
        var found: [CaseChoiceRepository.Person] = []
        // "Open a case for this person" from a contact's page arrives with them chosen.
        if let id = req.query[UUID.self, at: "requester"], let person = try await CaseChoiceRepository.person(id: id, on: req.store.sql) {
            found = [person]
            form["requester_id"] = id.uuidString.lowercased()
        }
        return try await render(req, form: form, found: found, searched: !found.isEmpty)
    }

    @Sendable func submit(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self).filter { $0.key != "_csrf" }
        if form["intent"] == "find" {
            let text = (form["find"] ?? "").trimmingCharacters(in: .whitespaces)
            guard text.count >= 2 else {
                return try await render(req, form: form, error: req.text("newcase_find_short", "Type at least two letters of a name, an email address or a phone number."))
                    .encodeResponse(status: .unprocessableEntity, for: req)
            }
            var found = try await CaseChoiceRepository.find(text, on: req.store.sql)
            var chosen = form
            if found.count == 1 { chosen["requester_id"] = found[0].id.uuidString.lowercased() }
            if found.isEmpty, text.contains("@") { chosen["requester_id"] = "new"; chosen["new_email"] = chosen["new_email"].flatMap { $0.isEmpty ? nil : $0 } ?? text }
            found = Array(found.prefix(20))
            return try await render(req, form: chosen, found: found, searched: true).encodeResponse(for: req)
        }
        do {
            let record = try await open(form, req: req)
            let reference = Reference(prefix: req.casebook.configuration.referencePrefix, number: record.number).description
            req.flash(PlaceholderTemplate.render(req.text("newcase_opened", "Case {{reference}} opened."), values: ["reference": reference]))
            return req.redirect(to: "/desk/cases/\(reference)")
        } catch let error where FormRefusal.isInputFault(error, conflicts: true) {
            let (message, status) = FormRefusal.message(for: error, labels: Self.labels, req: req)
            // The page comes back as it was: the last search's matches, and the person already chosen listed and chosen.
            let text = (form["find"] ?? "").trimmingCharacters(in: .whitespaces)
            var found = text.count >= 2 ? try await CaseChoiceRepository.find(text, on: req.store.sql) : []
            if let id = form["requester_id"].flatMap(UUID.init(uuidString:)), !found.contains(where: { $0.id == id }),
               let person = try await CaseChoiceRepository.person(id: id, on: req.store.sql) {
                found.insert(person, at: 0)
            }
            return try await render(req, form: form, found: found, searched: text.count >= 2 || !found.isEmpty, error: message)
                .encodeResponse(status: status, for: req)
        }
    }

    /// Adds the new contact when there is one, then opens the case, in one transaction: a refused case leaves no stray contact.
    private func open(_ form: [String: String], req: Request) async throws -> CaseRecord {
        let current = try req.current
        let services = req.casebook
        let hasher = req.password
        let sql = req.store.sql
        let chosen = form["requester_id"] ?? ""
        let newEmail = (form["new_email"] ?? "").trimmingCharacters(in: .whitespaces)
        var existing: UUID?
        var contact: UserCreateRequest?
        if let id = UUID(uuidString: chosen) {
            existing = id
        } else if chosen == "new" || (chosen.isEmpty && !newEmail.isEmpty) {
            guard !newEmail.isEmpty else { throw DomainError.invalid("new_email", "is needed to add someone new") }
            if let known = try await CaseChoiceRepository.person(email: newEmail, on: sql) {
                // Already a contact: the case is theirs, and no second person with the same address is made.
                existing = known.id
            } else {
                var person: [String: Any] = ["email": newEmail, "name": (form["new_name"] ?? "").trimmingCharacters(in: .whitespaces), "role": "customer",
                                             "language": form["new_language"] ?? "en"]
                if let phone = form["new_phone"]?.trimmingCharacters(in: .whitespaces), !phone.isEmpty { person["phone"] = String(phone.prefix(40)) }
                if let organisation = form["new_organisation_id"], !organisation.isEmpty { person["organisation_id"] = organisation }
                try req.authorize(.managePeople(targetRole: .customer))
                contact = try JSONDecoder().decode(UserCreateRequest.self, from: JSONSerialization.data(withJSONObject: person))
            }
        } else {
            throw DomainError.invalid("requester_id", "is missing: find the person, or add them as someone new")
        }
        var fields: [String: Any] = ["subject": form["subject"] ?? "", "description": form["description"] ?? "", "channel": form["channel"] ?? "phone"]
        for key in ["priority", "assignee_id", "group_id", "category_id", "product_version_id"] {
            if let value = form[key], !value.isEmpty { fields[key] = value }
        }
        let opening = try JSONDecoder().decode(CaseCreateRequest.self, from: JSONSerialization.data(withJSONObject: fields))
        let (checkedContact, known) = (contact, existing)
        return try await req.store.write { db in
            var request = opening
            if let checkedContact {
                request.requesterID = try await RegisterUser(services: services, hasher: hasher).run(checkedContact, on: db).requireID()
            } else {
                request.requesterID = known
            }
            return try await OpenCase(services: services).run(request, by: current, on: db)
        }
    }

    /// The page's word for each field a refusal can name.
    private static let labels = ["requester_id": "newcase_who", "new_email": "newcase_new_email", "email": "newcase_new_email", "new_name": "newcase_new_name",
                                 "name": "newcase_new_name", "organisation_id": "newcase_new_organisation", "subject": "details_subject",
                                 "description": "newcase_description", "channel": "newcase_channel", "priority": "newcase_priority",
                                 "assignee_id": "newcase_assignee", "group_id": "newcase_group", "category_id": "details_category",
                                 "product_version_id": "details_version", "language": "newcase_new_language"]

    private func render(_ req: Request, form: [String: String], found: [CaseChoiceRepository.Person] = [], searched: Bool = false,
                        error: String? = nil) async throws -> View {
        let sql = req.store.sql
        func options(_ choices: [CaseChoiceRepository.Choice], _ key: String) -> [DeskCasePage.Option] {
            DeskCasePage.Option.list(choices, chosen: form[key] ?? "")
        }
        func words(_ values: [String], _ key: String, prefix: String) -> [DeskCasePage.Option] {
            values.map { DeskCasePage.Option(value: $0, label: req.text(prefix + $0, $0), selected: $0 == form[key]) }
        }
        let people = found.map { person in
            Page.Person(id: person.id.uuidString.lowercased(), name: person.name,
                        line: [person.email, person.phone, person.organisation].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · "),
                        chosen: form["requester_id"] == person.id.uuidString.lowercased())
        }
        let title = req.text("newcase_title", "New case")
        return try await req.view.render("desk-new-case", Page(
            page: req.chrome(title, area: "desk"), error: error, form: form, searched: searched, found: people,
            newChosen: form["requester_id"] == "new",
            channels: words([CaseChannel.phone, .walkIn, .email, .web].map(\.rawValue), "channel", prefix: "newcase_channel_"),
            priorities: words(Priority.allCases.map(\.rawValue), "priority", prefix: "priority_"),
            agents: options(try await CaseChoiceRepository.agents(on: sql), "assignee_id"),
            groups: options(try await CaseChoiceRepository.groups(keeping: nil, on: sql), "group_id"),
            categories: options(try await CaseChoiceRepository.categories(keeping: nil, on: sql), "category_id"),
            versions: options(try await CaseChoiceRepository.versions(keeping: nil, on: sql), "product_version_id"),
            organisations: options(try await CaseChoiceRepository.organisations(on: sql), "new_organisation_id"),
            languages: WebText.languages.map { DeskCasePage.Option(value: $0, label: req.text("language_" + $0, $0), selected: $0 == (form["new_language"] ?? "en")) }))
    }
}
