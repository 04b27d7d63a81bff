import CasebookCore
import Foundation
import Vapor

/// `/desk/reviews`: the queue of replies waiting for a reviewer who writes their language, and the forms that
/// approve, return or withdraw one (also on the case page). Every change goes through the API as the visitor.
struct ReplyReviewPages: RouteCollection {
    static let refusedKey = "review_refused"

    func boot(routes: any RoutesBuilder) throws {
        let reviews = routes.grouped("desk", "reviews")
        reviews.get(use: queue)
        reviews.post(":id", "approve", use: approve)
        reviews.post(":id", "return", use: giveBack)
        reviews.post(":id", "withdraw", use: withdraw)
    }

    struct QueuePage: Encodable {
        var page: PageChrome
        var held: [HeldReplyCard]
        var everyone: Bool
        var counts: [Count]
        var back: String

        struct Count: Encodable {
            var language: String
            var count: Int
        }
    }

    @Sendable func queue(req: Request) async throws -> View {
        let everyone = req.query[String.self, at: "all"] == "1"
        try req.authorize(.readInternal)
        let (current, sql) = (try req.current, req.store.sql)
        var languages: [String]?
        if !everyone {
            let mine = try await UserRepository.languages(of: current.user.id, on: sql)
            languages = mine.map { Array(ReplyReview.fluent(listed: $0.writes, profileLanguage: $0.profile)) } ?? []
        }
        let drafts = try await ReplyReviewRepository.list(state: .waiting, languages: languages, limit: 200,
                                                          prefix: req.casebook.configuration.referencePrefix, on: sql)
        let language = req.webLanguage()
        let t = req.application.webText.strings(language)
        let cards = try await HeldReplyCard.cards(drafts, viewer: current, t: t, refused: Self.takeRefused(req), on: sql)
        let counts = try await ReplyReviewRepository.waitingCounts(on: sql).sorted { $0.key < $1.key }
            .map { QueuePage.Count(language: t["language_" + $0.key] ?? $0.key, count: $0.value) }
        let title = t["review_queue_title"] ?? "Replies waiting for review"
        return try await req.view.render("reviews", QueuePage(page: req.chrome(title, area: "desk", language: language), held: cards,
                                                              everyone: everyone, counts: counts, back: everyone ? "/desk/reviews?all=1" : "/desk/reviews"))
    }

    struct Form: Content {
        var text: String?
        var note: String?
        var back: String?
    }

    @Sendable func approve(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        var body: [String: PageJSON] = [:]
        if let text = form.text { body["text"] = .string(text) }
        if let note = form.note, !note.isEmpty { body["note"] = .string(note) }
        return try await settle(req, "approve", body: body, form: form, done: ("review_done_sent", "The reply was sent to the customer."))
    }

    @Sendable func giveBack(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        return try await settle(req, "return", body: ["note": .string(form.note ?? "")], form: form,
                                done: ("review_done_returned", "The reply went back to its author with your note."))
    }

    @Sendable func withdraw(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        return try await settle(req, "withdraw", body: [:], form: form, done: ("review_done_withdrawn", "Your reply was withdrawn; nothing was sent."))
    }

    private func settle(_ req: Request, _ verb: String, body: [String: PageJSON], form: Form, done: (String, String)) async throws -> Response {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("The held reply") }
        let answer = try await InProcessAPI(req: req).call(.POST, "/api/v1/reply-reviews/\(id.uuidString.lowercased())/\(verb)", json: .object(body))
        let back = SignInPages.safeNext(form.back)
        let target = (back.isEmpty ? "/desk/reviews" : back) + "#held-" + id.uuidString.lowercased()
        if answer.succeeded {
            req.flash(req.text(done.0, done.1))
        } else {
            let refused = HeldReplyCard.Refused(id: id, typed: form.text, message: answer.problem.map { FaultText(req).message($0.detail) } ?? req.text("review_refused", "That did not work."))
            RefusedForm.keep(refused, as: Self.refusedKey, in: req)
        }
        return req.redirect(to: target)
    }

    /// The refused form to show again, once.
    static func takeRefused(_ req: Request) -> HeldReplyCard.Refused? {
        RefusedForm.take(HeldReplyCard.Refused.self, key: refusedKey, from: req)
    }
}
