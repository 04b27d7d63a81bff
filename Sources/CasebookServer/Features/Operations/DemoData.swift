import CasebookCore
import Fluent
import Foundation
import Vapor

/// Loads a realistic, repeatable demo: organisations, people, products and about 300 cases with conversations, then
/// every other feature through the API (`DemoFeatures`).
public enum DemoData {
    public static let password = "casebook-demo"

    public struct Summary: Sendable {
        public let organisations: Int
        public let people: Int
        public let cases: Int
    }

    public static func load(_ app: Application, cases caseCount: Int = 300) async throws -> Summary {
        guard try await CaseRepository.count(on: app.casebook.store.sql) == 0 else { throw DataImport.NotEmpty() }
        var random = SeededRandom(seed: 42)  // every demo load is the same
        let base = app.casebook
        let hasher = app.password
        let start = Date.millisecondNow().addingTimeInterval(-90 * 86_400)

        func register(_ email: String, _ name: String, _ role: Role, org: UUID? = nil) async throws -> UserModel {
            var input = UserCreateRequest(email: email, name: name, role: role, organisationID: org, password: password)
            input.language = email.hasSuffix(".es") ? "es" : "en"
            input.writesLanguages = DemoText.writes[email]
            return try await base.store.write { [input] db in try await RegisterUser(services: base, hasher: hasher).run(input, on: db) }
        }

        let admin = try await register("admin@casebook.example", "Ada Admin", .admin)
        let manager = try await register("am@casebook.example", "Maria Account", .accountManager)
        var agents: [UserModel] = []
        for (email, name) in DemoText.agents { agents.append(try await register(email, name, .agent)) }

        let staffIDs = try agents.map { try $0.requireID() }
        let catalog = try await base.store.write { db -> ([UUID], [(UUID, [UUID])], [UUID]) in
            var groups: [UUID] = []
            for (index, (name, tier)) in DemoText.groups.enumerated() {
                let group = GroupModel(name: name, tier: tier, description: "\(name) team", createdAt: start)
                try await group.create(on: db)
                groups.append(try group.requireID())
                for agent in staffIDs.enumerated() where agent.offset % DemoText.groups.count == index {
                    try await GroupMembershipModel(groupID: group.requireID(), userID: agent.element).create(on: db)
                }
            }
            var products: [(UUID, [UUID])] = []
            for (name, versions) in DemoText.products {
                let product = ProductModel(name: name, createdAt: start)
                try await product.create(on: db)
                var versionIDs: [UUID] = []
                for version in versions {
                    let model = ProductVersionModel(productID: try product.requireID(), name: version, releasedOn: nil, createdAt: start)
                    try await model.create(on: db)
                    versionIDs.append(try model.requireID())
                }
                products.append((try product.requireID(), versionIDs))
            }
            var categories: [UUID] = []
            for name in DemoText.categories {
                let category = CategoryModel(name: name, description: "", createdAt: start)
                try await category.create(on: db)
                categories.append(try category.requireID())
            }
            return (groups, products, categories)
        }

        var contacts: [UserModel] = []
        var organisationCount = 0
        for (name, domain, people) in DemoText.organisations {
            // The model is made inside the write: a write's body may run twice, and Fluent refuses to create one model twice.
            let organisationID = try await base.store.write { db -> UUID? in
                let organisation = OrganisationModel(name: name, domain: domain, accountManagerID: manager.id, sharesCases: people.count > 2,
                                                     seats: people.count * 25, createdAt: start)
                try await organisation.create(on: db)
                return organisation.id
            }
            organisationCount += 1
            for person in people {
                let email = "\(person.lowercased().replacingOccurrences(of: " ", with: "."))@\(domain)"
                contacts.append(try await register(email, person, .customer, org: organisationID))
            }
        }

        let statuses: [CaseStatus] = [.open, .open, .pendingCustomer, .pendingVendor, .solved, .solved, .closed, .new]
        for index in 0..<caseCount {
            let opened = start.addingTimeInterval(Double(index) * (85 * 86_400) / Double(caseCount))
            let requester = contacts[Int(random.next() % UInt64(contacts.count))]
            let agent = agents[Int(random.next() % UInt64(agents.count))]
            let story = DemoText.stories[Int(random.next() % UInt64(DemoText.stories.count))]
            let (productID, versions) = catalog.1[Int(random.next() % UInt64(catalog.1.count))]
            var services = base
            var tick = opened
            services.clock = { opened }
            let customer = try await CurrentActor.load(requester, on: app.db)
            let staff = try await CurrentActor.load(agent, on: app.db)

            var input = try JSONDecoder().decode(CaseCreateRequest.self, from: JSONEncoder().encode([
                "subject": story.subject, "description": story.description,
            ]))
            input.productID = productID
            input.productVersionID = versions[Int(random.next() % UInt64(versions.count))]
            input.categoryID = catalog.2[Int(random.next() % UInt64(catalog.2.count))]
            input.priority = Priority.allCases[Int(random.next() % 4)]
            let created = try await services.store.write { [services, input] db in
                try await OpenCase(services: services).run(input, by: customer, on: db)
            }
            let reference = Reference(prefix: services.configuration.referencePrefix, number: created.number).description
            let steps = [(staff, story.note, Visibility.internal), (staff, story.reply, .public), (customer, story.followUp, .public),
                         (staff, DemoText.update, .public)]
            let depth = 1 + Int(random.next() % UInt64(steps.count))
            for (who, text, visibility) in steps.prefix(depth) {
                tick = tick.addingTimeInterval(Double(600 + random.next() % 7200))
                var step = services
                step.clock = { [tick] in tick }
                let body = try JSONDecoder().decode(MessageCreateRequest.self, from: JSONEncoder().encode(["text": text, "visibility": visibility.rawValue]))
                _ = try await step.store.write { [step] db in
                    try await AddMessage(services: step).run(reference: reference, input: body, by: who, on: db)
                }
            }
            let target = statuses[index % statuses.count]
            try await moveCase(reference, to: target, assignee: agent, by: staff, services: services, at: tick.addingTimeInterval(3600))
        }
        try await DemoFeatures.load(app, adminEmail: admin.email)
        // The monitoring alert opened an incident of its own.
        return Summary(organisations: organisationCount, people: 2 + agents.count + contacts.count, cases: try await CaseRepository.count(on: app.casebook.store.sql))
    }

    private static func moveCase(_ reference: String, to target: CaseStatus, assignee: UserModel, by staff: CurrentActor,
                                 services: CasebookServices, at time: Date) async throws {
        var step = services
        step.clock = { time }
        let path: [CaseStatus]
        switch target {
        case .new: return
        case .closed: path = [.solved, .closed]
        default: path = [target]
        }
        for (offset, status) in path.enumerated() {
            try await step.store.write { [step] db in
                let model = try await CaseLookup.find(reference, prefix: step.configuration.referencePrefix, on: step.store.sql(db))
                guard model.status != status else { return }
                var body: [String: String] = ["status": status.rawValue]
                if offset == 0 { body["assignee_id"] = assignee.id?.uuidString }
                let patch = try JSONDecoder().decode(CasePatchRequest.self, from: JSONEncoder().encode(body))
                _ = try await UpdateCase(services: step).run(reference: reference, patch: patch, expectedVersion: model.version, by: staff, on: db)
            }
        }
    }
}
