import CasebookCore
import Foundation
import Vapor

/// The agent's notices page (`/desk/notifications`, with their preferences) and the case page's follow button.
struct NotificationPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let notices = routes.grouped("desk", "notifications")
        notices.get(use: page)
        notices.get(":id", use: open)
        notices.post("read", use: markAllRead)
        notices.post("preferences", use: savePreferences)
        routes.post("desk", "cases", ":reference", "follow", use: follow)
        routes.post("desk", "cases", ":reference", "unfollow", use: unfollow)
    }

    struct Page: Encodable {
        var page: PageChrome
        var items: [Item]
        var unreadOnly: Bool
        var unread: Int
        var unreadLine: String
        var preferences: [Preference]

        struct Item: Encodable {
            var id: String
            var headline: String
            var reference: String
            var subject: String
            var byline: String
            var excerpt: String?
            var at: String
            var atISO: String
            var unread: Bool
        }

        struct Preference: Encodable {
            var kind: String
            var label: String
            var help: String
            var inApp: Bool
            var email: Bool
        }
    }

    @Sendable func page(req: Request) async throws -> View {
        let me = try req.current.user.id
        let sql = req.store.sql
        let unreadOnly = req.query[String.self, at: "unread"] == "1"
        let language = req.webLanguage()
        let texts = req.application.webText.strings(language)
        let words = NotificationWords(texts: texts, baseURL: "")
        let notices = try await NotificationRepository.list(for: me, unreadOnly: unreadOnly, limit: 100, prefix: req.casebook.configuration.referencePrefix, on: sql)
        let choices = try await NotificationRepository.preferences(of: [me], on: sql)[me] ?? [:]
        // The sign-in check in front of every desk page has counted them already.
        let unread = req.unreadNotices ?? 0
        let items = notices.map { notice in
            Page.Item(id: notice.id.uuidString.lowercased(), headline: words.headline(notice.kind), reference: notice.caseReference, subject: notice.caseSubject,
                      byline: words.byline(notice.actorName), excerpt: notice.excerpt, at: PageFormat.time(notice.createdAt),
                      atISO: PageFormat.iso(notice.createdAt), unread: notice.readAt == nil)
        }
        let preferences = NotificationKind.allCases.map { kind in
            let choice = choices[kind] ?? .standard(kind)
            return Page.Preference(kind: kind.rawValue, label: words.headline(kind), help: texts["notify_kind_help_\(kind.rawValue)"] ?? "",
                                   inApp: choice.inApp, email: choice.email)
        }
        let title = texts["notify_title"] ?? "Notifications"
        return try await req.view.render("desk-notifications", Page(
            page: req.chrome(title, area: "desk", language: language), items: items, unreadOnly: unreadOnly, unread: unread,
            unreadLine: PlaceholderTemplate.render(texts["notify_unread"] ?? "", values: ["count": String(unread)]), preferences: preferences))
    }

    /// Opens the case a notice is about, marking the notice read.
    @Sendable func open(req: Request) async throws -> Response {
        let me = try req.current.user.id
        let sql = req.store.sql
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let caseID = try await NotificationRepository.caseOf(id, for: me, on: sql),
              let record = try await CaseRepository.find(id: caseID, on: sql) else { throw DomainError.notFound("The notification") }
        let (now, store) = (req.now, req.store)
        try await store.write { db in try await NotificationRepository.markRead([id], for: me, at: now, on: store.sql(db)) }
        return req.redirect(to: "/desk/cases/" + Reference(prefix: req.casebook.configuration.referencePrefix, number: record.number).description)
    }

    @Sendable func markAllRead(req: Request) async throws -> Response {
        let (me, now, store) = (try req.current.user.id, req.now, req.store)
        try await store.write { db in try await NotificationRepository.markRead(nil, for: me, at: now, on: store.sql(db)) }
        return req.redirect(to: "/desk/notifications")
    }

    /// Saves the whole table of choices: a box left unticked is a "no".
    @Sendable func savePreferences(req: Request) async throws -> Response {
        let me = try req.current.user.id
        let form = try req.content.decode([String: String].self)
        let choices = NotificationKind.allCases.map { kind in
            NotificationPreference(kind: kind, inApp: form["\(kind.rawValue)__in_app"] == "on", email: form["\(kind.rawValue)__email"] == "on")
        }
        let store = req.store
        try await store.write { db in try await NotificationRepository.savePreferences(choices, for: me, on: store.sql(db)) }
        req.flash(req.text("notify_saved", "Preferences saved."))
        return req.redirect(to: "/desk/notifications#preferences")
    }

    @Sendable func follow(req: Request) async throws -> Response {
        let record = try await req.readableCase()
        let (me, now, store) = (try req.current.user.id, req.now, req.store)
        try await store.write { db in try await FollowerRepository.follow(record.id, by: me, at: now, on: store.sql(db)) }
        req.flash(req.text("follow_now", "You follow this case."))
        return req.redirect(to: "/desk/cases/" + Reference(prefix: req.casebook.configuration.referencePrefix, number: record.number).description)
    }

    @Sendable func unfollow(req: Request) async throws -> Response {
        let record = try await req.readableCase()
        let (me, store) = (try req.current.user.id, req.store)
        try await store.write { db in try await FollowerRepository.unfollow(record.id, by: me, on: store.sql(db)) }
        req.flash(req.text("follow_stopped", "You no longer follow this case."))
        return req.redirect(to: "/desk/cases/" + Reference(prefix: req.casebook.configuration.referencePrefix, number: record.number).description)
    }
}
