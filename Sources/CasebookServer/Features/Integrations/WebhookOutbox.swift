import CasebookCore
import Foundation
import SQLKit

/// Turns what happened into deliveries, inside the caller's transaction.
///
/// A delivery row and its job are written with the change they describe, so an event exists
/// exactly when the change does: nothing is sent for a change that rolled back, nothing lost
/// when the process dies before sending. With no subscribers this costs one look at a cache.
struct WebhookOutbox {
    let services: CasebookServices

    /// Queues `event` about `record` for every subscriber that wants it.
    func caseEvent(_ event: WebhookEvent, _ record: CaseRecord, changes: [FieldChange] = [], message: WebhookCaseData.Message? = nil,
                   serviceLevel: WebhookCaseData.ServiceLevel? = nil, survey: WebhookCaseData.Survey? = nil,
                   on sql: any SQLDatabase, now: Date) async throws {
        let subscribers = try await services.webhooks.current(on: sql).filter { $0.wants(event, groupID: record.groupID) }
        guard !subscribers.isEmpty else { return }
        let configuration = services.configuration
        let data = WebhookCaseData(case: WebhookCase(record, prefix: configuration.referencePrefix, baseURL: configuration.equipment.publicURL),
                                   changes: changes.isEmpty ? nil : changes.map { WebhookChange(field: $0.field, old: $0.oldValue, new: $0.newValue) },
                                   message: message, serviceLevel: serviceLevel, survey: survey)
        let envelope = WebhookEnvelope(id: RecordID.make(), event: event, occurredAt: now, data: data)
        let names = subscribers.contains { $0.format.chat != nil } ? try await ChatNotices.Names.load(for: record, on: sql) : .init()
        try await queue(envelope, caseID: record.id, reference: data.case.reference, to: subscribers, on: sql, now: now) { language in
            ChatNotices(texts: services.texts.strings(language)).notice(for: event, data: data, names: names)
        }
    }

    /// Queues what a change of fields means: `case.updated`, and `case.solved` or `case.reopened` when the status says so.
    func caseChanged(_ record: CaseRecord, changes: [FieldChange], from before: CaseStatus, to after: CaseStatus, on sql: any SQLDatabase,
                     now: Date) async throws {
        guard !changes.isEmpty else { return }
        try await caseEvent(.caseUpdated, record, changes: changes, on: sql, now: now)
        if after == .solved, before != .solved {
            try await caseEvent(.caseSolved, record, changes: changes, on: sql, now: now)
        } else if after.isActive, before == .solved || before == .closed {
            try await caseEvent(.caseReopened, record, changes: changes, on: sql, now: now)
        }
    }

    /// Queues `sla.warning` and `sla.breach` for targets that just reached their warning share or ran over.
    func serviceLevelEvents(_ events: [(caseID: UUID, kind: TimelineKind, metric: SLAMetricReport)], on sql: any SQLDatabase, now: Date) async throws {
        let subscribers = try await services.webhooks.current(on: sql)
        guard !events.isEmpty, subscribers.contains(where: { $0.events.contains(.slaWarning) || $0.events.contains(.slaBreach) }) else { return }
        let records = Dictionary(uniqueKeysWithValues: try await CaseRepository.find(ids: Array(Set(events.map(\.caseID))), on: sql).map { ($0.id, $0) })
        for (caseID, kind, metric) in events {
            guard let record = records[caseID] else { continue }
            let level = WebhookCaseData.ServiceLevel(metric: metric.metric.rawValue, dueAt: metric.dueAt, explanation: metric.explanation)
            try await caseEvent(kind == .slaBreach ? .slaBreach : .slaWarning, record, serviceLevel: level, on: sql, now: now)
        }
    }

    /// Queues an alert event for every subscriber that wants it.
    func alertEvent(_ event: WebhookEvent, _ alert: WebhookAlertData, caseID: UUID?, on sql: any SQLDatabase, now: Date) async throws {
        let subscribers = try await services.webhooks.current(on: sql).filter { $0.wants(event, groupID: nil) }
        guard !subscribers.isEmpty else { return }
        let envelope = WebhookEnvelope(id: RecordID.make(), event: event, occurredAt: now, data: alert)
        let base = services.configuration.equipment.publicURL
        try await queue(envelope, caseID: caseID, reference: alert.caseReference, to: subscribers, on: sql, now: now) { language in
            ChatNotices(texts: services.texts.strings(language)).notice(for: event, alert: alert, baseURL: base)
        }
    }

    /// Queues a test event for one subscriber, whatever it subscribes to; returns the delivery's id.
    func testEvent(for subscriber: WebhookSubscription, on sql: any SQLDatabase, now: Date) async throws -> UUID {
        let texts = services.texts.strings(subscriber.language)
        let message = PlaceholderTemplate.render(texts["chat_webhook_test"] ?? "", values: ["name": subscriber.name])
        let envelope = WebhookEnvelope(id: RecordID.make(), event: .test, occurredAt: now,
                                       data: WebhookTestData(webhookID: subscriber.id, name: subscriber.name, message: message))
        let notice = ChatNotice(headline: message, details: [], link: URL(string: services.configuration.equipment.publicURL + "/admin/webhooks/"
                                                                         + subscriber.id.uuidString), linkLabel: texts["chat_open_webhook"] ?? "", isUrgent: false)
        let json = try envelope.encoded()
        let body = subscriber.format.chat.map { String(decoding: notice.body(for: $0), as: UTF8.self) } ?? json
        let delivery = WebhookDelivery(id: RecordID.make(), subscriptionID: subscriber.id, event: .test, caseID: nil, body: body, status: .pending,
                                       attempts: 0, createdAt: now)
        try await WebhookDeliveryRepository.insert(delivery, on: sql)
        try await Self.schedule(delivery.id, at: now, on: sql)
        return delivery.id
    }

    private func queue<Payload>(_ envelope: WebhookEnvelope<Payload>, caseID: UUID?, reference: String?, to subscribers: [WebhookSubscription], on sql: any SQLDatabase,
                                now: Date, notice: (String) -> ChatNotice) async throws {
        let json = try envelope.encoded()
        for subscriber in subscribers {
            let body = subscriber.format.chat.map { String(decoding: notice(subscriber.language).body(for: $0), as: UTF8.self) } ?? json
            let delivery = WebhookDelivery(id: RecordID.make(), subscriptionID: subscriber.id, event: envelope.event, caseID: caseID,
                                           caseReference: reference, body: body,
                                           status: subscriber.isSending ? .pending : .held, attempts: 0, createdAt: now)
            try await WebhookDeliveryRepository.insert(delivery, on: sql)
            if subscriber.isSending { try await Self.schedule(delivery.id, at: now, on: sql) }
        }
    }

    /// Queues (or queues again) the job that sends delivery `id`; the queue's schedule spaces its retries (10 s, 20 s, 40 s …
    /// up to an hour apart, eight tries).
    static func schedule(_ id: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await JobQueue.enqueueOrRequeue(.deliverWebhook, WebhookJob(deliveryID: id), dedupeKey: "webhook:\(id.uuidString.lowercased())",
                                            at: now, on: sql)
    }
}

/// The payload of a `webhook.deliver` job.
struct WebhookJob: Codable, Sendable {
    let deliveryID: UUID

    enum CodingKeys: String, CodingKey { case deliveryID = "delivery_id" }
}
