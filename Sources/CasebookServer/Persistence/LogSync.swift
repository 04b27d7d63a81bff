import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Makes SQLite's committed transactions durable away from the single writer: one `fdatasync` of the write-ahead log
/// covers every commit made since the one before it.
///
/// With `synchronous = FULL` SQLite syncs the log inside COMMIT, so the writer, and every write queued behind it,
/// waits for the disk (0.5 ms typical and 3 ms at p95 on a small VM, more than the inserts of a case creation). The
/// write gate instead commits with `synchronous = NORMAL`, which SQLite documents as consistent in WAL mode (the log
/// is synced before every checkpoint and whenever it is reused), and has this sync the log before any write of the
/// batch is answered. So a caller hears exactly what FULL would tell it: nothing is acknowledged before it is on disk.
/// Meanwhile the writer is already running the next batch. The one difference: another request may read a committed
/// row in the fraction of a millisecond before its sync, so after a power cut a row may be gone that was seen but
/// never acknowledged. Any write made after that read is later in the same log, so it cannot survive without it.
///
/// A failed sync is never followed by a success: on Linux a failed fsync may have dropped the dirty pages it could
/// not write, so a later sync that works proves nothing about them. From then on every write is refused (and
/// `/healthz` fails) until Casebook restarts and SQLite recovers from the log.
final class LogSync: Sendable {
    /// Told once the commits made before `afterCommit` are on disk, or why they may not be.
    typealias Done = @Sendable (Result<Void, any Error>) -> Void

    private struct State {
        var waiting: [Done] = []
        var syncing = false
        var path: String?
        var log: LogFile?
        var failure: LogSyncError?
        var syncs = 0
    }

    /// The log as this sync opened it: SQLite keeps its own descriptor private, and fsync works on the file, whichever
    /// descriptor wrote to it. The inode tells a log that was removed and made again (when every connection closed).
    private struct LogFile {
        let path: String
        let descriptor: Int32
        let inode: UInt64
    }

    private let state = NIOLockedValueBox(State())
    private let flush: @Sendable (Int32) -> Int32
    private let logger: Logger

    /// `flush` is the system call that makes a file's written data durable (replaced in tests).
    init(logger: Logger, flush: @escaping @Sendable (Int32) -> Int32 = { fdatasync($0) }) {
        self.logger = logger
        self.flush = flush
    }

    deinit {
        if let log = state.withLockedValue({ $0.log }) { close(log.descriptor) }
    }

    /// Calls `done` once every transaction committed before this call to the log at `logPath` is on disk.
    func afterCommit(logPath: String, _ done: @escaping Done) {
        let starts = state.withLockedValue { state -> Bool in
            state.waiting.append(done)
            state.path = logPath
            if state.syncing { return false }
            state.syncing = true
            return true
        }
        if starts { Self.thread.execute { self.syncWhileWaiting() } }
    }

    /// Why writes are refused, once a sync has failed.
    var failure: LogSyncError? { state.withLockedValue { $0.failure } }

    /// How many times the log has been synced (for tests: several commits share one sync).
    var syncCount: Int { state.withLockedValue { $0.syncs } }

    /// Syncs until nobody waits: whoever committed while a sync ran is covered by the next one.
    private func syncWhileWaiting() {
        while true {
            let taken = state.withLockedValue { state -> (waiting: [Done], path: String?, failure: LogSyncError?)? in
                guard !state.waiting.isEmpty else {
                    state.syncing = false
                    return nil
                }
                defer { state.waiting = [] }
                return (state.waiting, state.path, state.failure)
            }
            guard let taken else { return }
            let result: Result<Void, any Error>
            if let failure = taken.failure {
                result = .failure(failure)
            } else if let path = taken.path {
                result = sync(path)
            } else {
                result = .failure(LogSyncError(reason: "no log to sync"))
            }
            for done in taken.waiting { done(result) }
        }
    }

    private func sync(_ path: String) -> Result<Void, any Error> {
        do {
            let descriptor = try descriptor(for: path)
            guard flush(descriptor) == 0 else { throw LogSyncError(reason: "fdatasync of \(path): \(String(cString: strerror(errno)))") }
            state.withLockedValue { $0.syncs += 1 }
            return .success(())
        } catch {
            let failure = error as? LogSyncError ?? LogSyncError(reason: "\(error)")
            state.withLockedValue { $0.failure = failure }
            logger.critical("SQLite's log could not be made durable; writes are refused until Casebook restarts", metadata: ["error": "\(failure.reason)"])
            return .failure(failure)
        }
    }

    /// The open log at `path`, opened again when the file there is not the one open.
    private func descriptor(for path: String) throws -> Int32 {
        var status = stat()
        guard stat(path, &status) == 0 else { throw LogSyncError(reason: "the log \(path) is missing: \(String(cString: strerror(errno)))") }
        let open = state.withLockedValue { $0.log }
        if let open, open.path == path, open.inode == UInt64(status.st_ino) { return open.descriptor }
        if let open { close(open.descriptor) }
        let descriptor = Foundation.open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else {
            state.withLockedValue { $0.log = nil }
            throw LogSyncError(reason: "the log \(path) cannot be opened: \(String(cString: strerror(errno)))")
        }
        var opened = stat()
        fstat(descriptor, &opened)
        state.withLockedValue { $0.log = LogFile(path: path, descriptor: descriptor, inode: UInt64(opened.st_ino)) }
        return descriptor
    }

    // One thread for the process (like the bulk writer's): a sync blocks it, and nothing else runs there.
    private static let thread = MultiThreadedEventLoopGroup(numberOfThreads: 1).next()
}

/// SQLite's log could not be made durable, so a committed write may not survive a power cut.
struct LogSyncError: Error, CustomStringConvertible {
    let reason: String
    var description: String { "the database log could not be made durable (\(reason)); restart Casebook" }
}
