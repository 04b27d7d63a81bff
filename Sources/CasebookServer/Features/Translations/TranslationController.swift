import CasebookCore
import Foundation
import Vapor

/// `/translations`: admins translate the content customers read (categories, intake questions, workarounds) and see
/// what is missing or out of date in each language.
struct TranslationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let translations = routes.grouped("translations")
        translations.get(use: list)
        translations.put(":kind", ":item", ":field", ":language", use: save)
        translations.delete(":kind", ":item", ":field", ":language", use: remove)
    }

    /// `language` (every translated language when left out), `kind` and `state` (missing, current, outdated) narrow the list.
    @Sendable func list(req: Request) async throws -> [TranslationEntry] {
        try req.authorize(.manageCatalog)
        let translating = TranslateContent(services: req.casebook)
        var languages = translating.targetLanguages
        if let language = try? req.query.get(String.self, at: "language"), !language.isEmpty {
            guard languages.contains(language) else { throw DomainError.invalid("language", "must be one of \(languages.joined(separator: ", "))") }
            languages = [language]
        }
        let kind = try Self.kind(try? req.query.get(String.self, at: "kind"), field: "kind")
        var state: TranslationState?
        if let text = try? req.query.get(String.self, at: "state"), !text.isEmpty {
            guard let chosen = TranslationState(rawValue: text) else {
                throw DomainError.invalid("state", "must be one of \(TranslationState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            state = chosen
        }
        let entries = try await translating.entries(languages: languages, kind: kind, on: req.store.sql)
        return state.map { wanted in entries.filter { $0.state == wanted } } ?? entries
    }

    @Sendable func save(req: Request) async throws -> TranslationEntry {
        try req.authorize(.manageCatalog)
        let (kind, item, field, language) = try Self.path(req)
        let text = try req.content.decode(TranslationWrite.self).text ?? ""
        let (services, userID) = (req.casebook, try req.current.user.id)
        return try await req.store.write { db in
            try await TranslateContent(services: services).save(kind, item, field: field, language: language, text: text, by: userID, on: services.store.sql(db))
        }
    }

    @Sendable func remove(req: Request) async throws -> HTTPStatus {
        try req.authorize(.manageCatalog)
        let (kind, item, field, language) = try Self.path(req)
        let services = req.casebook
        try await req.store.write { db in
            try await TranslateContent(services: services).remove(kind, item, field: field, language: language, on: services.store.sql(db))
        }
        return .noContent
    }

    private static func path(_ req: Request) throws -> (TranslatableKind, UUID, String, String) {
        guard let kind = try kind(req.parameters.get("kind"), field: "kind") else { throw DomainError.notFound("The kind of content") }
        guard let item = req.parameters.get("item").flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("The item") }
        return (kind, item, req.parameters.get("field") ?? "", req.parameters.get("language") ?? "")
    }

    private static func kind(_ text: String?, field: String) throws -> TranslatableKind? {
        guard let text, !text.isEmpty else { return nil }
        guard let kind = TranslatableKind(rawValue: text) else {
            throw DomainError.invalid(field, "must be one of \(TranslatableKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }
}
