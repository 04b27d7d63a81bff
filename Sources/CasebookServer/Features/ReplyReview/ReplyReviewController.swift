import CasebookCore
import Foundation
import Vapor

/// `/reply-reviews`: replies held until a colleague fluent in their language approves them, the queue of them, and
/// `/cases/{reference}/reply-reviews` for one case's.
struct ReplyReviewController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let reviews = routes.grouped("reply-reviews")
        reviews.get(use: list)
        reviews.get(":id", use: show)
        reviews.post(":id", "approve", use: approve)
        reviews.post(":id", "return", use: giveBack)
        reviews.post(":id", "withdraw", use: withdraw)
        routes.get("cases", ":reference", "reply-reviews", use: forCase)
    }

    /// `state` (waiting by default) and `language`; `for_me=true` keeps the languages the caller may review.
    @Sendable func list(req: Request) async throws -> [ReplyDraft] {
        try req.authorize(.readInternal)
        let stateText = (try? req.query.get(String.self, at: "state")) ?? ReplyDraftState.waiting.rawValue
        guard let state = ReplyDraftState(rawValue: stateText) else {
            throw DomainError.invalid("state", "must be one of \(ReplyDraftState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let sql = req.store.sql
        var languages: [String]?
        if let language = try? req.query.get(String.self, at: "language"), !language.isEmpty {
            guard ReplyReview.languages.contains(language) else {
                throw DomainError.invalid("language", "must be one of \(ReplyReview.languages.joined(separator: ", "))")
            }
            languages = [language]
        }
        if (try? req.query.get(Bool.self, at: "for_me")) == true {
            let me = try await UserRepository.languages(of: try req.current.user.id, on: sql)
            let mine = me.map { ReplyReview.fluent(listed: $0.writes, profileLanguage: $0.profile) } ?? []
            languages = (languages ?? ReplyReview.languages).filter(mine.contains)
        }
        let limit = try req.query.get(Int?.self, at: "limit") ?? 200
        guard (1...1000).contains(limit) else { throw DomainError.invalid("limit", "must be between 1 and 1000") }
        return try await ReplyReviewRepository.list(state: state, languages: languages, limit: limit,
                                                    prefix: req.casebook.configuration.referencePrefix, on: sql)
    }

    @Sendable func show(req: Request) async throws -> ReplyDraft {
        try req.authorize(.readInternal)
        guard let draft = try await ReplyReviewRepository.find(try Self.id(req), prefix: req.casebook.configuration.referencePrefix, on: req.store.sql) else {
            throw DomainError.notFound("The held reply")
        }
        return draft
    }

    @Sendable func forCase(req: Request) async throws -> [ReplyDraft] {
        let record = try await req.readableCase()
        try req.authorize(.readInternal)
        return try await ReplyReviewRepository.forCase(record.id, prefix: req.casebook.configuration.referencePrefix, on: req.store.sql)
    }

    /// The body of an approval: the reviewer's edited words (the author's when left out) and an optional note.
    struct ApproveInput: Content {
        var text: String?
        var note: String?
    }

    struct ReturnInput: Content {
        var note: String?
    }

    @Sendable func approve(req: Request) async throws -> ReplyDraft {
        try req.authorize(.reviewReplies)
        let input = try req.content.decode(ApproveInput.self)
        let (services, current, id) = (req.casebook, try req.current, try Self.id(req))
        let text = input.text.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        return try await req.store.write { db in
            try await ReviewReply(services: services).approve(id, text: text, note: input.note, by: current, on: db)
        }
    }

    @Sendable func giveBack(req: Request) async throws -> ReplyDraft {
        try req.authorize(.reviewReplies)
        let input = try req.content.decode(ReturnInput.self)
        guard let note = input.note, !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DomainError.invalid("note", "must say what to change")
        }
        let (services, current, id) = (req.casebook, try req.current, try Self.id(req))
        return try await req.store.write { db in try await ReviewReply(services: services).giveBack(id, note: note, by: current, on: db) }
    }

    @Sendable func withdraw(req: Request) async throws -> ReplyDraft {
        // Authors are staff who write replies; the use case checks this is theirs.
        try req.authorize(.reviewReplies)
        let (services, current, id) = (req.casebook, try req.current, try Self.id(req))
        return try await req.store.write { db in try await ReviewReply(services: services).withdraw(id, by: current, on: db) }
    }

    private static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("The held reply") }
        return id
    }
}
