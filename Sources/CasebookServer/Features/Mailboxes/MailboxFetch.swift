import CasebookCore
import CasebookMail
import Foundation
import Vapor

/// One pass over an account's folder: takes every message not fetched before, stores each durably and applies it,
/// then marks, moves or deletes what was applied on the server, and records how far it got. A message that could
/// not be stored or applied stays on the server untouched and counts as failed (listed under Incoming mail).
struct MailboxFetch {
    let services: CasebookServices
    let runner: JobRunner
    /// Who holds the account's lease: the position is only recorded while this owner still holds it.
    let owner: String

    /// What a pass did.
    struct Result: Content, Sendable {
        var imported = 0
        var duplicates = 0
        var failed = 0
        /// Set when the lease went to another fetcher mid-pass.
        var stopped = false
        var notes: [String] = []
    }

    /// Messages are fetched this many at a time, and no more bytes than `chunkBytes` per round.
    static let chunkCount = 50
    static let chunkBytes = 32 * 1024 * 1024

    func run(_ account: MailAccount, on connection: IMAPConnection) async throws -> Result {
        let folder = try await connection.select(account.folder)
        let validity = Int64(folder.uidValidity)
        var lastUID = account.lastUID
        var only: [UInt32]?
        var settleAt: Int64?
        if account.uidValidity != validity {
            if account.uidValidity == nil {
                let highest = Int64(folder.uidNext ?? 1) - 1
                switch account.firstImport {
                case .all: lastUID = 0
                case .new: lastUID = highest
                case .unseen:
                    lastUID = 0
                    only = try await connection.run("UID SEARCH UNSEEN", step: "looking for unread mail").compactMap(\.searchResults).flatMap { $0 }
                    settleAt = highest
                }
            } else {
                // The folder was replaced: read it again; what was stored before is recognised by its bytes and not applied twice.
                lastUID = 0
            }
        }
        var result = Result()
        var pending = folder.exists == 0 ? [] : try await sizes(of: only, after: lastUID, on: connection)
        if only != nil, pending.isEmpty, let settleAt {
            lastUID = max(lastUID, settleAt)
            result.stopped = !(try await advance(account.id, validity: validity, to: lastUID))
        }
        while !pending.isEmpty, !result.stopped {
            var chunk: [(uid: UInt32, size: Int)] = []
            var bytes = 0
            while let next = pending.first, chunk.count < Self.chunkCount, chunk.isEmpty || bytes + next.size <= Self.chunkBytes {
                chunk.append(next)
                bytes += next.size
                pending.removeFirst()
            }
            var round = Result()
            let applied = try await take(chunk, of: account, on: connection, into: &round)
            var reached = Int64(chunk.map(\.uid).max() ?? 0)
            if pending.isEmpty, let settleAt { reached = max(reached, settleAt) }
            lastUID = max(lastUID, reached)
            // A first import of unread mail records its place only at the end: cut short, it looks for unread mail again.
            let settled = only == nil || pending.isEmpty
            // Marked, moved or deleted before the place is recorded: cut short between the two, the next pass reads these
            // again (where they are still there) and finds them stored, so nothing is applied twice or left behind.
            try await afterImport(applied, account: account, on: connection)
            guard try await advance(account.id, validity: settled ? validity : nil, to: settled ? lastUID : 0) else {
                result.stopped = true
                break
            }
            result.imported += round.imported
            result.duplicates += round.duplicates
            result.failed += round.failed
            result.notes += round.notes
        }
        return result
    }

    /// The UIDs to fetch (above `after`, or just `only`) with their sizes, oldest first.
    private func sizes(of only: [UInt32]?, after: Int64, on connection: IMAPConnection) async throws -> [(uid: UInt32, size: Int)] {
        if let only, only.isEmpty { return [] }
        let set = only.map(IMAPCommandText.uidSet) ?? "\(after + 1):*"
        let answer = try await connection.run("UID FETCH \(set) (UID RFC822.SIZE)", step: "listing new mail")
        return answer.compactMap { response -> (uid: UInt32, size: Int)? in
            guard let items = response.fetchItems, let uid = items["UID"]?.number, Int64(uid) > after else { return nil }
            return (uid, Int(items["RFC822.SIZE"]?.number ?? 0))
        }.sorted { $0.uid < $1.uid }
    }

    /// Fetches, stores and applies one chunk; answers the UIDs that were applied (or were already, from an earlier fetch).
    private func take(_ chunk: [(uid: UInt32, size: Int)], of account: MailAccount, on connection: IMAPConnection, into round: inout Result) async throws -> [UInt32] {
        let tooLarge = chunk.filter { $0.size > ReceiveEmail.maxBytes }
        for message in tooLarge {
            round.failed += 1
            round.notes.append("UID \(message.uid): \(message.size) bytes is over the \(ReceiveEmail.maxBytes)-byte limit; left on the server")
        }
        let wanted = chunk.filter { $0.size <= ReceiveEmail.maxBytes }.map(\.uid)
        guard !wanted.isEmpty else { return [] }
        let answer = try await connection.run("UID FETCH \(IMAPCommandText.uidSet(wanted)) (UID BODY.PEEK[])", step: "fetching mail")
        var fetched: [(uid: UInt32, raw: Data)] = []
        for response in answer {
            guard let items = response.fetchItems, let uid = items["UID"]?.number, wanted.contains(uid), let raw = items["BODY[]"]?.bytes else { continue }
            fetched.append((uid, Data(raw)))
        }
        fetched.sort { $0.uid < $1.uid }
        let outcomes = try await MailboxIntake(services: services, runner: runner).take(fetched.map { (key: $0.uid, raw: $0.raw) }, mailAccount: account.id)
        var applied: [UInt32] = []
        for message in fetched {
            switch outcomes[message.uid] {
            case .applied(let duplicate)?:
                applied.append(message.uid)
                if duplicate { round.duplicates += 1 } else { round.imported += 1 }
            case .failed(let reason)?:
                round.failed += 1
                round.notes.append("UID \(message.uid): \(reason); left on the server")
            case nil:
                continue
            }
        }
        return applied
    }

    private func advance(_ id: UUID, validity: Int64?, to lastUID: Int64) async throws -> Bool {
        let owner = owner
        let now = services.clock()
        return try await services.store.write { db in
            try await MailAccountRepository.advance(id, owner: owner, uidValidity: validity, lastUID: lastUID, now: now, on: services.store.sql(db))
        }
    }

    /// Marks, moves or deletes the applied messages on the server.
    private func afterImport(_ uids: [UInt32], account: MailAccount, on connection: IMAPConnection) async throws {
        guard !uids.isEmpty else { return }
        let set = IMAPCommandText.uidSet(uids)
        switch account.afterImport {
        case .seen:
            try await connection.run("UID STORE \(set) +FLAGS.SILENT (\\Seen)", step: "marking mail read")
        case .move:
            let target = IMAPCommandText.mailbox(account.moveTo ?? "Casebook")
            // The folder may not exist yet; a server that has it answers NO, which changes nothing.
            _ = try? await connection.run("CREATE \(target)", step: "creating the folder")
            if connection.capabilities.contains("MOVE") {
                try await connection.run("UID MOVE \(set) \(target)", step: "moving mail to \(account.moveTo ?? "Casebook")")
            } else {
                try await connection.run("UID COPY \(set) \(target)", step: "copying mail to \(account.moveTo ?? "Casebook")")
                try await delete(set, on: connection)
            }
        case .delete:
            try await delete(set, on: connection)
        }
    }

    private func delete(_ set: String, on connection: IMAPConnection) async throws {
        try await connection.run("UID STORE \(set) +FLAGS.SILENT (\\Deleted)", step: "deleting mail")
        // Without UIDPLUS, EXPUNGE also removes what someone else marked deleted; that is what they asked for.
        let expunge = connection.capabilities.contains("UIDPLUS") ? "UID EXPUNGE \(set)" : "EXPUNGE"
        try await connection.run(expunge, step: "deleting mail")
    }
}
