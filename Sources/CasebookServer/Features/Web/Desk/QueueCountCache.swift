import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// The queue sidebar's counts (and the replies waiting for this agent's review), kept a few seconds per instance: counting half a million open cases on every page view
/// cost 80 ms at a million cases, and a count a few seconds old tells an agent the same thing. A change made through
/// this instance's desk pages forgets them at once, so an agent's own action shows in the next page.
final class QueueCountCache: Sendable {
    typealias Counts = (mine: Int, unassigned: Int, all: Int, breaching: Int, breached: Int, groups: [(UUID, String, Int)], toReview: Int)

    /// How long a count is shown before it is taken again.
    let lifetime: TimeInterval
    private let entries = NIOLockedValueBox<[UUID: (counts: Counts, at: Date)]>([:])

    init(lifetime: TimeInterval = 5) {
        self.lifetime = lifetime
    }

    /// The counts for `me`, from the cache while fresh.
    func counts(me: UUID, now: Date, on sql: any SQLDatabase) async throws -> Counts {
        if let kept = entries.withLockedValue({ $0[me] }), now.timeIntervalSince(kept.at) < lifetime, now >= kept.at { return kept.counts }
        let queues = try await DeskQueueRepository.counts(me: me, on: sql)
        let toReview = try await ReplyReviewRepository.waitingFor(reviewer: me, on: sql)
        let counts: Counts = (queues.mine, queues.unassigned, queues.all, queues.breaching, queues.breached, queues.groups, toReview)
        entries.withLockedValue { table in
            // Many agents, one table: entries past their lifetime go when a new one comes in.
            if table.count > 500 { table = table.filter { now.timeIntervalSince($0.value.at) < lifetime } }
            table[me] = (counts, now)
        }
        return counts
    }

    func forget() {
        entries.withLockedValue { $0.removeAll() }
    }

    /// Forgets the counts after any change made through the desk's pages (a reply, a bulk change, a new case).
    struct Invalidating: AsyncMiddleware {
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            let response = try await next.respond(to: request)
            if request.method != .GET, request.method != .HEAD { request.application.queueCounts.forget() }
            return response
        }
    }
}

extension Application {
    private struct QueueCountCacheKey: StorageKey {
        typealias Value = QueueCountCache
    }

    /// The queue counts kept by this instance; set once by `configure`.
    var queueCounts: QueueCountCache {
        get { configured(QueueCountCacheKey.self) }
        set { storage[QueueCountCacheKey.self] = newValue }
    }
}
