import CasebookCore
import Foundation
import SQLKit

/// The SQL of subscriptions, deliveries and attempts.
enum WebhookRepository {
    static let columns = ["id", "name", "url", "format", "events", "group_id", "language", "secret", "allow_private", "active", "pause_after",
                          "consecutive_failures", "paused_at", "pause_reason", "created_at", "updated_at"]

    static func all(on sql: any SQLDatabase) async throws -> [WebhookSubscription] {
        try await sql.select().columns(columns.map { SQLColumn($0) }).from("webhook_subscriptions").orderBy("name").all().map(subscription)
    }

    static func find(_ id: UUID, on sql: any SQLDatabase) async throws -> WebhookSubscription? {
        try await sql.select().columns(columns.map { SQLColumn($0) }).from("webhook_subscriptions").where("id", .equal, id).first().map(subscription)
    }

    /// The active subscriptions, which every case write consults (through a cache).
    static func loadActive(on sql: any SQLDatabase) async throws -> [WebhookSubscription] {
        try await sql.select().columns(columns.map { SQLColumn($0) }).from("webhook_subscriptions").where("active", .equal, true).all().map(subscription)
    }

    static func insert(_ item: WebhookSubscription, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "webhook_subscriptions").columns(columns)
            .values(SQLBind(item.id), SQLBind(item.name), SQLBind(item.url), SQLBind(item.format.rawValue), SQLBind(eventList(item.events)),
                    SQLBind(item.groupID), SQLBind(item.language), SQLBind(item.secret), SQLBind(item.allowPrivate), SQLBind(item.active),
                    SQLBind(item.pauseAfter), SQLBind(item.consecutiveFailures), SQLBind(item.pausedAt), SQLBind(item.pauseReason),
                    SQLBind(item.createdAt), SQLBind(item.updatedAt))
            .run()
    }

    static func update(_ item: WebhookSubscription, on sql: any SQLDatabase) async throws {
        try await sql.update("webhook_subscriptions")
            .set("name", to: item.name).set("url", to: item.url).set("format", to: item.format.rawValue).set("events", to: eventList(item.events))
            .set("group_id", to: SQLBind(item.groupID)).set("language", to: item.language).set("secret", to: item.secret)
            .set("allow_private", to: item.allowPrivate).set("active", to: item.active).set("pause_after", to: item.pauseAfter)
            .set("consecutive_failures", to: item.consecutiveFailures).set("paused_at", to: SQLBind(item.pausedAt))
            .set("pause_reason", to: SQLBind(item.pauseReason)).set("updated_at", to: item.updatedAt)
            .where("id", .equal, item.id).run()
    }

    static func delete(_ id: UUID, on sql: any SQLDatabase) async throws {
        // Attempts and deliveries go with it (cascading keys are not enforced on every SQLite connection, so explicitly).
        try await sql.raw("DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE subscription_id = \(bind: id))").run()
        try await sql.delete(from: "webhook_deliveries").where("subscription_id", .equal, id).run()
        try await sql.delete(from: "webhook_subscriptions").where("id", .equal, id).run()
    }

    static func nameTaken(_ name: String, byOtherThan id: UUID, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.select().column("id").from("webhook_subscriptions").where("name", .equal, name).where("id", .notEqual, id).first() != nil
    }

    private static func eventList(_ events: [WebhookEvent]) -> String { events.map(\.rawValue).joined(separator: ",") }

    private static func subscription(_ row: any SQLRow) throws -> WebhookSubscription {
        WebhookSubscription(
            id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
            url: try row.decode(column: "url", as: String.self),
            format: WebhookFormat(rawValue: try row.decode(column: "format", as: String.self)) ?? .json,
            events: try row.decode(column: "events", as: String.self).split(separator: ",").compactMap { WebhookEvent(rawValue: String($0)) },
            groupID: try row.decode(column: "group_id", as: UUID?.self), language: try row.decode(column: "language", as: String.self),
            secret: try row.decode(column: "secret", as: String.self), allowPrivate: try row.decode(column: "allow_private", as: Bool.self),
            active: try row.decode(column: "active", as: Bool.self), pauseAfter: try row.decode(column: "pause_after", as: Int.self),
            consecutiveFailures: try row.decode(column: "consecutive_failures", as: Int.self),
            pausedAt: try row.decode(column: "paused_at", as: Date?.self), pauseReason: try row.decode(column: "pause_reason", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }
}
