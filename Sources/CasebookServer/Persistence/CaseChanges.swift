import Foundation
import NIOConcurrencyHelpers

/// Wakes whoever watches a case (the case page's live stream) once a write that changed it has committed, on this
/// instance and, through `CacheSignals`, on every other instance on the same PostgreSQL, so a page hears of a reply or a
/// colleague arriving at once instead of asking the database every few seconds.
///
/// Writes say which cases they touch with `note(_:)`; `Store.write` collects those and calls `committed(_:)` after the
/// commit, so a woken page always reads the new state.
final class CaseChanges: Sendable {
    /// The cases a write in progress has touched.
    final class Collector: Sendable {
        fileprivate let ids = NIOLockedValueBox<Set<UUID>>([])
    }

    @TaskLocal static var collector: Collector?

    /// Records, inside a write, that it changed `caseID` (nothing outside a write).
    static func note(_ caseID: UUID) {
        collector?.ids.withLockedValue { _ = $0.insert(caseID) }
    }

    /// One watcher's place in line for a case's next change.
    struct Ticket: Sendable {
        let caseID: UUID
        let token: UUID
    }

    private struct Waiter {
        var continuation: CheckedContinuation<Void, Never>?
        var timer: Task<Void, Never>?
        var changed = false
    }

    private let waiters = NIOLockedValueBox<[UUID: [UUID: Waiter]]>([:])
    private let announcer = NIOLockedValueBox<(@Sendable ([UUID]) -> Void)?>(nil)

    /// How committed changes are told to other instances (set when the database is shared).
    func useAnnouncer(_ announce: @escaping @Sendable ([UUID]) -> Void) {
        announcer.withLockedValue { $0 = announce }
    }

    /// A write that noted cases committed: wake their watchers here and tell the other instances.
    func committed(_ collector: Collector) {
        let ids = Array(collector.ids.withLockedValue { $0 })
        guard !ids.isEmpty else { return }
        for id in ids { heard(id) }
        announcer.withLockedValue { $0 }?(ids)
    }

    /// `caseID` changed (here or on another instance): wake everyone waiting on it, and make the next wait of everyone
    /// listening but not yet waiting return at once.
    func heard(_ caseID: UUID) {
        let woken = waiters.withLockedValue { table -> [Waiter] in
            guard var listening = table[caseID] else { return [] }
            var woken: [Waiter] = []
            for (token, waiter) in listening {
                if waiter.continuation != nil {
                    woken.append(waiter)
                    listening[token] = nil
                } else {
                    listening[token]?.changed = true
                }
            }
            table[caseID] = listening.isEmpty ? nil : listening
            return woken
        }
        for waiter in woken {
            waiter.timer?.cancel()
            waiter.continuation?.resume()
        }
    }

    /// Wakes every watcher (the instance is stopping, so open streams end and their pages reconnect elsewhere).
    func wakeAll() {
        for caseID in waiters.withLockedValue({ Array($0.keys) }) { heard(caseID) }
    }

    /// Starts listening for changes to `caseID`: one heard from now on makes the next `wait` return at once, so a
    /// change between reading the case and waiting is never missed.
    func listen(to caseID: UUID) -> Ticket {
        let ticket = Ticket(caseID: caseID, token: UUID())
        waiters.withLockedValue { $0[caseID, default: [:]][ticket.token] = Waiter() }
        return ticket
    }

    /// Returns when the ticket's case has changed since `listen`, or after `timeout` when it has not; the ticket is used up.
    func wait(_ ticket: Ticket, upTo timeout: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let settled = waiters.withLockedValue { table -> Bool in
                guard let waiter = table[ticket.caseID]?[ticket.token], !waiter.changed else {
                    forget(ticket, in: &table)
                    return true
                }
                table[ticket.caseID]?[ticket.token]?.continuation = continuation
                return false
            }
            if settled {
                continuation.resume()
                return
            }
            // Armed only once the waiter is in the table, so a short timeout cannot fire before there is anyone to wake.
            let timer = Task { [self] in
                try? await Task.sleep(for: timeout)
                resume(ticket)
            }
            let armed = waiters.withLockedValue { table -> Bool in
                guard table[ticket.caseID]?[ticket.token] != nil else { return false }
                table[ticket.caseID]?[ticket.token]?.timer = timer
                return true
            }
            if !armed { timer.cancel() }
        }
    }

    /// Stops listening without waiting (the watcher went away).
    func forget(_ ticket: Ticket) {
        waiters.withLockedValue { forget(ticket, in: &$0) }
    }

    /// How many are listening, for tests.
    var listening: Int { waiters.withLockedValue { $0.values.reduce(0) { $0 + $1.count } } }

    private func forget(_ ticket: Ticket, in table: inout [UUID: [UUID: Waiter]]) {
        table[ticket.caseID]?[ticket.token] = nil
        if table[ticket.caseID]?.isEmpty == true { table[ticket.caseID] = nil }
    }

    private func resume(_ ticket: Ticket) {
        let waiter = waiters.withLockedValue { table -> Waiter? in
            let waiter = table[ticket.caseID]?[ticket.token]
            forget(ticket, in: &table)
            return waiter
        }
        waiter?.continuation?.resume()
    }
}
