import Foundation
import NIOConcurrencyHelpers

/// Who has which case open, and who is typing a reply, so two agents do not answer the same customer twice.
/// Held per instance: a heartbeat older than `ttl` seconds counts as gone.
final class PresenceHub: Sendable {
    struct Visitor: Sendable, Equatable {
        var userID: UUID
        var name: String
        var replying: Bool
        var seen: Date
    }

    static let ttl: TimeInterval = 30
    private let state = NIOLockedValueBox<[UUID: [UUID: Visitor]]>([:])

    /// Records a heartbeat; `replying` is true while the agent has an unsent draft.
    func beat(caseID: UUID, userID: UUID, name: String, replying: Bool, now: Date) {
        state.withLockedValue { cases in
            cases[caseID, default: [:]][userID] = Visitor(userID: userID, name: name, replying: replying, seen: now)
        }
    }

    func leave(caseID: UUID, userID: UUID) {
        state.withLockedValue { cases in cases[caseID]?[userID] = nil }
    }

    /// The other agents on the case now, by name.
    func others(caseID: UUID, besides userID: UUID, now: Date) -> [Visitor] {
        state.withLockedValue { cases in
            let fresh = (cases[caseID] ?? [:]).filter { now.timeIntervalSince($0.value.seen) < Self.ttl }
            cases[caseID] = fresh.isEmpty ? nil : fresh
            return fresh.values.filter { $0.userID != userID }.sorted { $0.name < $1.name }
        }
    }
}
