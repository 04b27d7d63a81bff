import CasebookCore
import CasebookMail
import Foundation

/// One pass over a POP3 mailbox: every message whose unique id (UIDL) was not taken before is stored durably and
/// applied, its id recorded, and, when asked, deleted on the server (at QUIT, as POP3 does). A message that could not be
/// stored or applied is recorded and left on the server. Applied messages whose deletion was lost with a dropped
/// connection are deleted at the next pass.
struct POP3Fetch {
    let services: CasebookServices
    let runner: JobRunner
    let owner: String

    func run(_ account: MailAccount, on connection: POP3Connection) async throws -> MailboxFetch.Result {
        let listed = POP3Text.uniqueIDs(try await connection.multiline("UIDL", step: "listing mail (UIDL)"))
        let sizes = POP3Text.sizes(try await connection.multiline("LIST", step: "listing mail (LIST)"))
        var taken = try await MailAccountRepository.takenUIDs(of: account.id, on: services.store.sql)
        var result = MailboxFetch.Result()
        if account.uidValidity == nil, account.firstImport == .new {
            // Only what arrives from now on: everything there now counts as taken, not applied (so never deleted).
            for message in listed where taken[message.uid] == nil { try await note(account, message.uid, applied: false) }
            taken = try await MailAccountRepository.takenUIDs(of: account.id, on: services.store.sql)
        }
        var round: [(key: POP3Message, raw: Data)] = []
        var roundBytes = 0
        for (index, message) in listed.enumerated() {
            if let applied = taken[message.uid] {
                if applied, account.afterImport == .delete { try await connection.command("DELE \(message.number)", step: "deleting mail") }
                continue
            }
            if index % 20 == 0, try await !stillHeld(account) {
                result.stopped = true
                break
            }
            let size = sizes[message.number] ?? 0
            guard size <= ReceiveEmail.maxBytes else {
                result.failed += 1
                result.notes.append("\(message.uid): \(size) bytes is over the \(ReceiveEmail.maxBytes)-byte limit; left on the server")
                try await note(account, message.uid, applied: false)
                continue
            }
            let raw = POP3Text.body(try await connection.multiline("RETR \(message.number)", step: "fetching mail"))
            round.append((POP3Message(number: message.number, uid: message.uid), Data(raw)))
            roundBytes += raw.count
            if round.count >= MailboxFetch.chunkCount || roundBytes >= MailboxFetch.chunkBytes {
                try await take(round, of: account, on: connection, into: &result)
                (round, roundBytes) = ([], 0)
            }
        }
        if !round.isEmpty { try await take(round, of: account, on: connection, into: &result) }
        try await connection.quit()
        let now = services.clock()
        let store = services.store
        let kept = Set(listed.map(\.uid))
        let owner = owner
        // POP3 has no UIDVALIDITY; a non-nil value marks the first fetch as done.
        _ = try await store.write { db in
            try await MailAccountRepository.forgetUIDs(of: account.id, except: kept, on: store.sql(db))
            return try await MailAccountRepository.advance(account.id, owner: owner, uidValidity: 1, lastUID: 0, now: now, on: store.sql(db))
        }
        return result
    }

    /// One message as POP3 names it: its number in this session and its lasting unique id.
    private struct POP3Message: Hashable, Sendable {
        let number: Int
        let uid: String
    }

    /// Stores and applies one round, records each id as taken, and marks the applied ones for deletion when asked.
    private func take(_ round: [(key: POP3Message, raw: Data)], of account: MailAccount, on connection: POP3Connection,
                      into result: inout MailboxFetch.Result) async throws {
        let outcomes = try await MailboxIntake(services: services, runner: runner).take(round, mailAccount: account.id)
        for (message, _) in round {
            var applied = false
            switch outcomes[message] {
            case .applied(let duplicate)?:
                applied = true
                if duplicate { result.duplicates += 1 } else { result.imported += 1 }
            case .failed(let reason)?:
                result.failed += 1
                result.notes.append("\(message.uid): \(reason); left on the server")
            case nil:
                continue
            }
            try await note(account, message.uid, applied: applied)
            if applied, account.afterImport == .delete { try await connection.command("DELE \(message.number)", step: "deleting mail") }
        }
    }

    private func note(_ account: MailAccount, _ uid: String, applied: Bool) async throws {
        let now = services.clock()
        let store = services.store
        try await store.write { db in try await MailAccountRepository.noteTaken(account.id, uid: uid, applied: applied, now: now, on: store.sql(db)) }
    }

    private func stillHeld(_ account: MailAccount) async throws -> Bool {
        let now = services.clock()
        let store = services.store
        let owner = owner
        return try await store.write { db in
            try await MailAccountRepository.lease(account.id, owner: owner, now: now, until: now.addingTimeInterval(MailboxWatcher.leaseLength), on: store.sql(db))
        }
    }
}
