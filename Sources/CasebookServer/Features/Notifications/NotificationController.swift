import CasebookCore
import Foundation
import Vapor

/// `/notifications`: a member of staff's own notices and what they want to hear about; `/cases/{reference}/followers`:
/// who follows a case.
struct NotificationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let notices = routes.grouped("notifications")
        notices.get(use: list)
        notices.post("read", use: markRead)
        notices.get("preferences", use: preferences)
        notices.put("preferences", use: savePreferences)
        let followers = routes.grouped("cases", ":reference", "followers")
        followers.get(use: followersOf)
        followers.post(use: follow)
        followers.delete(":user", use: unfollow)
    }

    struct NoticeList: Content {
        var items: [NotificationView]
        var unreadCount: Int

        enum CodingKeys: String, CodingKey {
            case items
            case unreadCount = "unread_count"
        }
    }

    @Sendable func list(req: Request) async throws -> NoticeList {
        try req.authorize(.readInternal)
        let me = try req.current.user.id
        let limitText = req.query[String.self, at: "limit"]
        guard let limit = limitText.map({ Int($0) }) ?? 50, (0...200).contains(limit) else { throw DomainError.invalid("limit", "must be a number from 0 to 200") }
        let unreadText = req.query[String.self, at: "unread"]
        guard let unreadOnly = unreadText.map({ Bool($0) }) ?? false else { throw DomainError.invalid("unread", "must be true or false") }
        let sql = req.store.sql
        let items = limit == 0 ? [] : try await NotificationRepository.list(for: me, unreadOnly: unreadOnly, limit: limit,
                                                                            prefix: req.casebook.configuration.referencePrefix, on: sql)
        return NoticeList(items: items, unreadCount: try await NotificationRepository.unreadCount(for: me, on: sql))
    }

    struct ReadInput: Content {
        var ids: [UUID]?
        var all: Bool?
    }

    /// Marks the named notices read, or all of them; answers what is still unread.
    @Sendable func markRead(req: Request) async throws -> NoticeList {
        try req.authorize(.readInternal)
        let input = try req.content.decode(ReadInput.self)
        guard input.all == true || input.ids != nil else { throw DomainError.invalid("ids", "name the notices to mark read, or send all: true") }
        guard (input.ids?.count ?? 0) <= 500 else { throw DomainError.invalid("ids", "at most 500 at once") }
        let (me, now, store) = (try req.current.user.id, req.now, req.store)
        try await store.write { db in
            try await NotificationRepository.markRead(input.all == true ? nil : input.ids, for: me, at: now, on: store.sql(db))
        }
        return NoticeList(items: [], unreadCount: try await NotificationRepository.unreadCount(for: me, on: store.sql))
    }

    struct PreferenceList: Content {
        var items: [NotificationPreference]
    }

    @Sendable func preferences(req: Request) async throws -> PreferenceList {
        try req.authorize(.readInternal)
        let me = try req.current.user.id
        let choices = try await NotificationRepository.preferences(of: [me], on: req.store.sql)[me] ?? [:]
        return PreferenceList(items: NotificationKind.allCases.compactMap { choices[$0] })
    }

    struct PreferenceInput: Content {
        var items: [Choice]?

        struct Choice: Content {
            var kind: String?
            var inApp: Bool?
            var email: Bool?

            enum CodingKeys: String, CodingKey {
                case kind, email
                case inApp = "in_app"
            }
        }
    }

    /// Changes the kinds named; the others keep their choice.
    @Sendable func savePreferences(req: Request) async throws -> PreferenceList {
        try req.authorize(.readInternal)
        let input = try req.content.decode(PreferenceInput.self)
        guard let items = input.items else { throw DomainError.invalid("items", "is required") }
        let me = try req.current.user.id
        let current = try await NotificationRepository.preferences(of: [me], on: req.store.sql)[me] ?? [:]
        var chosen: [NotificationKind: NotificationPreference] = [:]
        for item in items {
            guard let kind = item.kind.flatMap(NotificationKind.init(rawValue:)) else {
                throw DomainError.invalid("items.kind", "must be one of " + NotificationKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard chosen[kind] == nil else { throw DomainError.invalid("items.kind", "names \(kind.rawValue) twice") }
            let was = current[kind] ?? .standard(kind)
            chosen[kind] = NotificationPreference(kind: kind, inApp: item.inApp ?? was.inApp, email: item.email ?? was.email)
        }
        let (store, choices) = (req.store, Array(chosen.values))
        try await store.write { db in try await NotificationRepository.savePreferences(choices, for: me, on: store.sql(db)) }
        return try await preferences(req: req)
    }

    // MARK: Followers

    @Sendable func followersOf(req: Request) async throws -> [CaseFollower] {
        let record = try await req.readableCase()
        try req.authorize(.readInternal)
        return try await FollowerRepository.followers(of: record.id, on: req.store.sql)
    }

    struct FollowInput: Content {
        var userID: UUID?

        enum CodingKeys: String, CodingKey { case userID = "user_id" }
    }

    /// Follows the case: the caller, or (for someone who may change the case) another member of staff.
    @Sendable func follow(req: Request) async throws -> Response {
        let record = try await req.readableCase()
        try req.authorize(.readInternal)
        let input = req.body.data == nil ? FollowInput() : try req.content.decode(FollowInput.self)
        let me = try req.current.user.id
        let who = input.userID ?? me
        if who != me {
            try req.authorize(.updateCase(CaseLookup.facts(record)))
            guard try await !NotificationRepository.recipients([who], on: req.store.sql).isEmpty else {
                throw DomainError.invalid("user_id", "names no active member of staff")
            }
        }
        let (now, store) = (req.now, req.store)
        try await store.write { db in try await FollowerRepository.follow(record.id, by: who, at: now, on: store.sql(db)) }
        return try await FollowerRepository.followers(of: record.id, on: store.sql).encodeResponse(status: .created, for: req)
    }

    @Sendable func unfollow(req: Request) async throws -> HTTPStatus {
        let record = try await req.readableCase()
        try req.authorize(.readInternal)
        guard let who = req.parameters.get("user").flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("The follower") }
        let store = req.store
        guard try await FollowerRepository.followerIDs(of: record.id, on: store.sql).contains(who) else { throw DomainError.notFound("The follower") }
        if who != (try req.current.user.id) { try req.authorize(.updateCase(CaseLookup.facts(record))) }
        try await store.write { db in try await FollowerRepository.unfollow(record.id, by: who, on: store.sql(db)) }
        return .noContent
    }
}

extension NotificationView: Content {}
extension CaseFollower: Content {}
