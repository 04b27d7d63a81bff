import NIOConcurrencyHelpers

/// Lets one write transaction at a time into SQLite.
///
/// SQLite allows a single writer; two connections that both upgrade a read transaction to a write
/// one fail with SQLITE_BUSY at once (no busy handler can help). Queueing writers here, in order,
/// avoids that and keeps latency fair. PostgreSQL needs no gate: `isEnabled` is false there.
final class WriteGate: Sendable {
    private struct State {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    let isEnabled: Bool
    private let state = NIOLockedValueBox(State())

    init(isEnabled: Bool) { self.isEnabled = isEnabled }

    /// Runs `body` while holding the gate (or directly when the gate is disabled).
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        guard isEnabled else { return try await body() }
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLockedValue { state -> Bool in
                if state.busy {
                    state.waiters.append(continuation)
                    return false
                }
                state.busy = true
                return true
            }
            if resumeNow { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
