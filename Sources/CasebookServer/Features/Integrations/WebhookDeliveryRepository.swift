import CasebookCore
import Foundation
import SQLKit

/// One event on its way to one subscriber.
struct WebhookDelivery: Sendable, Equatable {
    var id: UUID
    var subscriptionID: UUID
    var event: WebhookEvent
    var caseID: UUID?
    var caseReference: String?
    /// The exact bytes sent (and sent again on redelivery).
    var body: String
    var status: WebhookDeliveryStatus
    var attempts: Int
    var responseCode: Int?
    var lastError: String?
    var createdAt: Date
    var lastAttemptAt: Date?
    var deliveredAt: Date?
}

/// One try at a delivery: what the receiver answered, or why there was no answer.
struct WebhookAttempt: Sendable, Equatable {
    var attempt: Int
    var at: Date
    var responseCode: Int?
    var responseExcerpt: String?
    var error: String?
    var durationMilliseconds: Int
}

/// The SQL of deliveries and their attempts.
enum WebhookDeliveryRepository {
    static let columns = ["id", "subscription_id", "event", "case_id", "case_reference", "body", "status", "attempts", "response_code", "last_error", "created_at",
                          "last_attempt_at", "delivered_at"]

    static func insert(_ item: WebhookDelivery, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "webhook_deliveries").columns(columns)
            .values(SQLBind(item.id), SQLBind(item.subscriptionID), SQLBind(item.event.rawValue), SQLBind(item.caseID), SQLBind(item.caseReference),
                    SQLBind(item.body),
                    SQLBind(item.status.rawValue), SQLBind(item.attempts), SQLBind(item.responseCode), SQLBind(item.lastError),
                    SQLBind(item.createdAt), SQLBind(item.lastAttemptAt), SQLBind(item.deliveredAt))
            .run()
    }

    static func find(_ id: UUID, on sql: any SQLDatabase) async throws -> WebhookDelivery? {
        try await sql.select().columns(columns.map { SQLColumn($0) }).from("webhook_deliveries").where("id", .equal, id).first().map(delivery)
    }

    /// Deliveries, newest first: one subscription's or all, optionally only those with `status`.
    static func list(subscriptionID: UUID?, status: WebhookDeliveryStatus?, limit: Int, on sql: any SQLDatabase) async throws -> [WebhookDelivery] {
        var query = sql.select().columns(columns.map { SQLColumn($0) }).from("webhook_deliveries")
        if let subscriptionID { query = query.where("subscription_id", .equal, subscriptionID) }
        if let status { query = query.where("status", .equal, status.rawValue) }
        return try await query.orderBy("created_at", .descending).orderBy("id", .descending).limit(limit).all().map(delivery)
    }

    static func attempts(of deliveryID: UUID, on sql: any SQLDatabase) async throws -> [WebhookAttempt] {
        try await sql.select().columns("attempt", "at", "response_code", "response_excerpt", "error", "duration_ms").from("webhook_attempts")
            .where("delivery_id", .equal, deliveryID).orderBy("attempt").all().map { row in
                WebhookAttempt(attempt: try row.decode(column: "attempt", as: Int.self), at: try row.decode(column: "at", as: Date.self),
                               responseCode: try row.decode(column: "response_code", as: Int?.self),
                               responseExcerpt: try row.decode(column: "response_excerpt", as: String?.self),
                               error: try row.decode(column: "error", as: String?.self),
                               durationMilliseconds: try row.decode(column: "duration_ms", as: Int.self))
            }
    }

    /// Records one attempt and the delivery's resulting state.
    static func record(_ attempt: WebhookAttempt, deliveryID: UUID, status: WebhookDeliveryStatus, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "webhook_attempts").columns("id", "delivery_id", "attempt", "at", "response_code", "response_excerpt", "error", "duration_ms")
            .values(SQLBind(RecordID.make()), SQLBind(deliveryID), SQLBind(attempt.attempt), SQLBind(attempt.at), SQLBind(attempt.responseCode),
                    SQLBind(attempt.responseExcerpt), SQLBind(attempt.error), SQLBind(attempt.durationMilliseconds))
            .run()
        try await sql.update("webhook_deliveries").set("status", to: status.rawValue).set("attempts", to: attempt.attempt)
            .set("response_code", to: SQLBind(attempt.responseCode)).set("last_error", to: SQLBind(attempt.error))
            .set("last_attempt_at", to: attempt.at).set("delivered_at", to: SQLBind(status == .delivered ? attempt.at : nil))
            .where("id", .equal, deliveryID).run()
    }

    static func setStatus(_ status: WebhookDeliveryStatus, of deliveryID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.update("webhook_deliveries").set("status", to: status.rawValue).where("id", .equal, deliveryID).run()
    }

    /// Moves a subscription's held deliveries back to pending; returns their ids, oldest first.
    static func releaseHeld(subscriptionID: UUID, on sql: any SQLDatabase) async throws -> [UUID] {
        let ids = try await sql.select().column("id").from("webhook_deliveries").where("subscription_id", .equal, subscriptionID)
            .where("status", .equal, WebhookDeliveryStatus.held.rawValue).orderBy("created_at").all()
            .map { try $0.decode(column: "id", as: UUID.self) }
        guard !ids.isEmpty else { return [] }
        try await sql.update("webhook_deliveries").set("status", to: WebhookDeliveryStatus.pending.rawValue).where("id", .in, ids).run()
        return ids
    }

    /// How many deliveries a subscription has in each status.
    static func counts(subscriptionID: UUID, on sql: any SQLDatabase) async throws -> [WebhookDeliveryStatus: Int] {
        try await counts(of: [subscriptionID], on: sql)[subscriptionID] ?? [:]
    }

    /// The same for several subscriptions in one query (the list page).
    static func counts(of subscriptionIDs: [UUID], on sql: any SQLDatabase) async throws -> [UUID: [WebhookDeliveryStatus: Int]] {
        guard !subscriptionIDs.isEmpty else { return [:] }
        var counts: [UUID: [WebhookDeliveryStatus: Int]] = [:]
        for row in try await sql.raw("""
            SELECT subscription_id, status, COUNT(*) AS n FROM webhook_deliveries WHERE subscription_id IN (\(binds: subscriptionIDs))
            GROUP BY subscription_id, status
            """).all() {
            if let status = WebhookDeliveryStatus(rawValue: try row.decode(column: "status", as: String.self)) {
                counts[try row.decode(column: "subscription_id", as: UUID.self), default: [:]][status] = try row.decode(column: "n", as: Int.self)
            }
        }
        return counts
    }

    /// Counts a failed attempt against the subscription; returns the failures in a row so far.
    static func countFailure(subscriptionID: UUID, on sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw("""
            UPDATE webhook_subscriptions SET consecutive_failures = consecutive_failures + 1 WHERE id = \(bind: subscriptionID)
            RETURNING consecutive_failures
            """).first()
        return try row?.decode(column: "consecutive_failures", as: Int.self) ?? 0
    }

    static func resetFailures(subscriptionID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.update("webhook_subscriptions").set("consecutive_failures", to: 0).where("id", .equal, subscriptionID)
            .where("consecutive_failures", .notEqual, 0).run()
    }

    /// Pauses a subscription (unless it already is) and holds what is still pending for it.
    static func pause(subscriptionID: UUID, reason: String, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("webhook_subscriptions").set("paused_at", to: now).set("pause_reason", to: String(reason.prefix(500)))
            .set("updated_at", to: now).where("id", .equal, subscriptionID).where("paused_at", .is, SQLLiteral.null).run()
        try await sql.update("webhook_deliveries").set("status", to: WebhookDeliveryStatus.held.rawValue)
            .where("subscription_id", .equal, subscriptionID).where("status", .equal, WebhookDeliveryStatus.pending.rawValue).run()
    }

    private static func delivery(_ row: any SQLRow) throws -> WebhookDelivery {
        WebhookDelivery(
            id: try row.decode(column: "id", as: UUID.self), subscriptionID: try row.decode(column: "subscription_id", as: UUID.self),
            event: WebhookEvent(rawValue: try row.decode(column: "event", as: String.self)) ?? .caseUpdated,
            caseID: try row.decode(column: "case_id", as: UUID?.self), caseReference: try row.decode(column: "case_reference", as: String?.self),
            body: try row.decode(column: "body", as: String.self),
            status: WebhookDeliveryStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
            attempts: try row.decode(column: "attempts", as: Int.self), responseCode: try row.decode(column: "response_code", as: Int?.self),
            lastError: try row.decode(column: "last_error", as: String?.self), createdAt: try row.decode(column: "created_at", as: Date.self),
            lastAttemptAt: try row.decode(column: "last_attempt_at", as: Date?.self), deliveredAt: try row.decode(column: "delivered_at", as: Date?.self))
    }
}
