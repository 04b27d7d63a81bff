import CasebookCore
import Foundation
import SQLKit
import Vapor

/// `/webhooks` and `/webhook-deliveries`: outgoing webhooks and chat channels, the delivery log, redelivery and resuming after a pause.
struct WebhookController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let hooks = routes.grouped("webhooks")
        hooks.get(use: list)
        hooks.post(use: create)
        hooks.get(":id", use: show)
        hooks.patch(":id", use: update)
        hooks.delete(":id", use: remove)
        hooks.post(":id", "resume", use: resume)
        hooks.post(":id", "rotate-secret", use: rotateSecret)
        hooks.post(":id", "test", use: sendTest)
        let deliveries = routes.grouped("webhook-deliveries")
        deliveries.get(use: self.deliveries)
        deliveries.get(":id", use: delivery)
        deliveries.post(":id", "redeliver", use: redeliver)
    }

    @Sendable func list(req: Request) async throws -> [WebhookView] {
        try req.authorize(.manageIntegrations)
        let items = try await WebhookRepository.all(on: req.store.sql)
        let counts = try await WebhookDeliveryRepository.counts(of: items.map(\.id), on: req.store.sql)
        return items.map { WebhookView($0, counts: counts[$0.id] ?? [:]) }
    }

    @Sendable func show(req: Request) async throws -> WebhookView {
        try req.authorize(.manageIntegrations)
        let item = try await Self.find(req, on: req.store.sql)
        return WebhookView(item, counts: try await WebhookDeliveryRepository.counts(subscriptionID: item.id, on: req.store.sql))
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.manageIntegrations)
        let input = try req.content.decode(WebhookWrite.self)
        guard input.name != nil else { throw Problem.invalid("name", "is required") }
        guard input.url != nil else { throw Problem.invalid("url", "is required") }
        guard input.events != nil else { throw Problem.invalid("events", "is required") }
        let now = req.now
        let blank = WebhookSubscription(id: RecordID.make(), name: "", url: "", format: .json, events: [], groupID: nil, language: "en",
                                        secret: "whsec_" + RandomToken.make(), allowPrivate: false, active: true, pauseAfter: 20,
                                        consecutiveFailures: 0, createdAt: now, updatedAt: now)
        let item = try input.applied(to: blank)
        try await req.store.write { db in
            let sql = req.store.sql(db)
            try await Self.check(item, on: sql)
            try await WebhookRepository.insert(item, on: sql)
        }
        req.casebook.webhooks.invalidate()
        return try await WebhookView(item, counts: [:], revealing: true).encodeResponse(status: .created, for: req)
    }

    @Sendable func update(req: Request) async throws -> WebhookView {
        try req.authorize(.manageIntegrations)
        let input = try req.content.decode(WebhookWrite.self)
        let now = req.now
        let item = try await req.store.write { db -> WebhookSubscription in
            let sql = req.store.sql(db)
            var item = try input.applied(to: try await Self.find(req, on: sql))
            item.updatedAt = now
            try await Self.check(item, on: sql)
            try await WebhookRepository.update(item, on: sql)
            return item
        }
        req.casebook.webhooks.invalidate()
        return WebhookView(item, counts: try await WebhookDeliveryRepository.counts(subscriptionID: item.id, on: req.store.sql))
    }

    @Sendable func remove(req: Request) async throws -> HTTPStatus {
        try req.authorize(.manageIntegrations)
        try await req.store.write { db in
            let sql = req.store.sql(db)
            try await WebhookRepository.delete(try await Self.find(req, on: sql).id, on: sql)
        }
        req.casebook.webhooks.invalidate()
        return .noContent
    }

    /// Ends a pause: the failure count starts again and every held delivery is sent, oldest first.
    @Sendable func resume(req: Request) async throws -> WebhookView {
        try req.authorize(.manageIntegrations)
        let now = req.now
        let item = try await req.store.write { db -> WebhookSubscription in
            let sql = req.store.sql(db)
            var item = try await Self.find(req, on: sql)
            (item.pausedAt, item.pauseReason, item.consecutiveFailures, item.updatedAt) = (nil, nil, 0, now)
            try await WebhookRepository.update(item, on: sql)
            for id in try await WebhookDeliveryRepository.releaseHeld(subscriptionID: item.id, on: sql) {
                try await WebhookOutbox.schedule(id, at: now, on: sql)
            }
            return item
        }
        req.casebook.webhooks.invalidate()
        req.application.jobs.nudge()
        return WebhookView(item, counts: try await WebhookDeliveryRepository.counts(subscriptionID: item.id, on: req.store.sql))
    }

    /// Posts a test event now, to check the receiver or channel; refused while paused (resume first).
    @Sendable func sendTest(req: Request) async throws -> Response {
        try req.authorize(.manageIntegrations)
        let now = req.now
        let delivery = try await req.store.write { db -> WebhookDelivery in
            let sql = req.store.sql(db)
            let item = try await Self.find(req, on: sql)
            guard item.isSending else { throw Problem.conflict("The webhook is \(item.active ? "paused" : "switched off"); resume it first.") }
            let id = try await WebhookOutbox(services: req.casebook).testEvent(for: item, on: sql, now: now)
            guard let delivery = try await WebhookDeliveryRepository.find(id, on: sql) else { throw Problem.notFound("The delivery") }
            return delivery
        }
        req.application.jobs.nudge()
        return try await WebhookDeliveryView(delivery).encodeResponse(status: .accepted, for: req)
    }

    /// A new signing secret, shown once; deliveries from now on are signed with it.
    @Sendable func rotateSecret(req: Request) async throws -> WebhookView {
        try req.authorize(.manageIntegrations)
        let now = req.now
        let item = try await req.store.write { db -> WebhookSubscription in
            let sql = req.store.sql(db)
            var item = try await Self.find(req, on: sql)
            (item.secret, item.updatedAt) = ("whsec_" + RandomToken.make(), now)
            try await WebhookRepository.update(item, on: sql)
            return item
        }
        req.casebook.webhooks.invalidate()
        return WebhookView(item, counts: try await WebhookDeliveryRepository.counts(subscriptionID: item.id, on: req.store.sql), revealing: true)
    }

    /// The delivery log, newest first: every subscription's, or one's.
    @Sendable func deliveries(req: Request) async throws -> [WebhookDeliveryView] {
        try req.authorize(.manageIntegrations)
        var subscriptionID: UUID?
        if let text = req.query[String.self, at: "webhook_id"], !text.isEmpty {
            guard let id = UUID(uuidString: text), try await WebhookRepository.find(id, on: req.store.sql) != nil else {
                throw Problem.notFound("The webhook")
            }
            subscriptionID = id
        }
        var status: WebhookDeliveryStatus?
        if let text = req.query[String.self, at: "status"], !text.isEmpty {
            guard let known = WebhookDeliveryStatus(rawValue: text) else {
                throw Problem.invalid("status", "must be one of \(WebhookDeliveryStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            status = known
        }
        let limit = req.query[String.self, at: "limit"].map { Int($0) ?? 0 } ?? 50
        guard (1...500).contains(limit) else { throw Problem.invalid("limit", "must be between 1 and 500") }
        return try await WebhookDeliveryRepository.list(subscriptionID: subscriptionID, status: status, limit: limit, on: req.store.sql)
            .map { WebhookDeliveryView($0) }
    }

    @Sendable func delivery(req: Request) async throws -> WebhookDeliveryView {
        try req.authorize(.manageIntegrations)
        let found = try await Self.findDelivery(req, on: req.store.sql)
        return WebhookDeliveryView(found, attempts: try await WebhookDeliveryRepository.attempts(of: found.id, on: req.store.sql))
    }

    /// Sends a delivery again with the same body (a fresh signature), whatever became of it before.
    @Sendable func redeliver(req: Request) async throws -> Response {
        try req.authorize(.manageIntegrations)
        let now = req.now
        let found = try await req.store.write { db -> WebhookDelivery in
            let sql = req.store.sql(db)
            var found = try await Self.findDelivery(req, on: sql)
            guard found.status != .pending else { throw Problem.conflict("The delivery is already waiting to be sent.") }
            found.status = .pending
            try await WebhookDeliveryRepository.setStatus(.pending, of: found.id, on: sql)
            try await WebhookOutbox.schedule(found.id, at: now, on: sql)
            return found
        }
        req.application.jobs.nudge()
        return try await WebhookDeliveryView(found).encodeResponse(status: .accepted, for: req)
    }

    private static func find(_ req: Request, on sql: any SQLDatabase) async throws -> WebhookSubscription {
        guard let id = req.parameters.get("id", as: UUID.self), let item = try await WebhookRepository.find(id, on: sql) else {
            throw Problem.notFound("The webhook")
        }
        return item
    }

    private static func findDelivery(_ req: Request, on sql: any SQLDatabase) async throws -> WebhookDelivery {
        guard let id = req.parameters.get("id", as: UUID.self), let found = try await WebhookDeliveryRepository.find(id, on: sql) else {
            throw Problem.notFound("The delivery")
        }
        return found
    }

    private static func check(_ item: WebhookSubscription, on sql: any SQLDatabase) async throws {
        if try await WebhookRepository.nameTaken(item.name, byOtherThan: item.id, on: sql) {
            throw Problem.conflict("Another webhook is already called '\(item.name)'.")
        }
        if let groupID = item.groupID, try await !RelatedRecordRepository.exists("groups", groupID, on: sql) {
            throw Problem.invalid("group_id", "is not a known group")
        }
    }
}
