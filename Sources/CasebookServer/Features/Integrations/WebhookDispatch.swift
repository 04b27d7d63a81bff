import CasebookCore
import Foundation
import SQLKit

/// Sends one delivery (the `webhook.deliver` job): records the attempt, and retries, gives up or pauses the subscription.
struct WebhookDispatch {
    let services: CasebookServices

    /// Why an attempt failed, thrown so the queue schedules the next one.
    struct AttemptFailed: Error, CustomStringConvertible {
        let description: String
    }

    func deliver(_ id: UUID, attempt: Int, maxAttempts: Int) async throws {
        let sql = services.store.sql
        // A delivery already sent, given up or held (its subscription paused) has nothing left to do.
        guard let delivery = try await WebhookDeliveryRepository.find(id, on: sql), delivery.status == .pending,
              let subscription = try await WebhookRepository.find(delivery.subscriptionID, on: sql) else { return }
        guard subscription.isSending else {
            try await services.store.write { db in try await WebhookDeliveryRepository.setStatus(.held, of: id, on: self.services.store.sql(db)) }
            return
        }
        let now = services.clock()
        let outcome: WebhookSender.Outcome
        do {
            let target = try WebhookTarget(subscription.url, allowPrivate: subscription.allowPrivate)
            outcome = await services.webhookSender.post(delivery.body, to: target, allowPrivate: subscription.allowPrivate, event: delivery.event,
                                                        deliveryID: id, secret: subscription.format == .json ? subscription.secret : nil, now: now)
        } catch {
            outcome = WebhookSender.Outcome(error: "\(error)", durationMilliseconds: 0)
        }
        let record = WebhookAttempt(attempt: delivery.attempts + 1, at: now, responseCode: outcome.responseCode,
                                    responseExcerpt: outcome.responseExcerpt, error: outcome.isSuccess ? nil : Self.reason(outcome),
                                    durationMilliseconds: outcome.durationMilliseconds)
        let paused = try await services.store.write { db -> Bool in
            let sql = self.services.store.sql(db)
            if outcome.isSuccess {
                try await WebhookDeliveryRepository.record(record, deliveryID: id, status: .delivered, on: sql)
                try await WebhookDeliveryRepository.resetFailures(subscriptionID: subscription.id, on: sql)
                return false
            }
            let failures = try await WebhookDeliveryRepository.countFailure(subscriptionID: subscription.id, on: sql)
            let pausing = failures >= subscription.pauseAfter
            let status: WebhookDeliveryStatus = pausing ? .held : (attempt >= maxAttempts ? .failed : .pending)
            try await WebhookDeliveryRepository.record(record, deliveryID: id, status: status, on: sql)
            if pausing {
                try await WebhookDeliveryRepository.pause(subscriptionID: subscription.id,
                                                          reason: "Paused after \(failures) failed attempts in a row; the last: \(record.error ?? "")",
                                                          at: now, on: sql)
            }
            return pausing
        }
        if paused { services.webhooks.invalidate() }
        // Thrown so the queue schedules the next try; on the last attempt the delivery is already marked failed.
        if !outcome.isSuccess, !paused { throw AttemptFailed(description: record.error ?? "failed") }
    }

    static func reason(_ outcome: WebhookSender.Outcome) -> String {
        if let error = outcome.error { return error }
        return "answered \(outcome.responseCode ?? 0)"
    }
}
