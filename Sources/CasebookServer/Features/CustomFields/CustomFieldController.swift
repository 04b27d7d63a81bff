import CasebookCore
import Fluent
import Vapor

/// `/custom-fields`: admin-defined case fields.
struct CustomFieldController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("custom-fields", use: list)
        routes.post("custom-fields", use: create)
    }

    @Sendable func list(req: Request) async throws -> [CustomFieldView] {
        try req.authorize(.readCatalog)
        return try await CustomFieldRepository.all(on: req.db).map(Self.view)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.manageCatalog)
        let input = try req.content.decode(CustomFieldCreateRequest.self)
        let now = req.now
        return try await Idempotency.create(req) { db in
            let definition = CustomFieldDefinition(key: input.key, label: input.label, kind: input.kind,
                                                   required: input.required ?? false, choices: input.choices ?? [])
            try definition.validateDefinition()
            guard try await CustomFieldRepository.find(key: definition.key, on: db) == nil else {
                throw Problem.conflict("A custom field with key '\(definition.key)' already exists.")
            }
            let model = CustomFieldModel(key: definition.key, label: definition.label, kind: definition.kind.rawValue,
                                         required: definition.required, choices: CaseCodec.encode(definition.choices),
                                         active: true, createdAt: now)
            try await model.create(on: db)
            return Self.view(model)
        }
    }

    static func view(_ model: CustomFieldModel) -> CustomFieldView {
        CustomFieldView(id: model.id ?? RecordID.make(), key: model.key, label: model.label, kind: model.kind, required: model.required,
                        choices: CaseCodec.tags(model.choices), active: model.active)
    }
}
