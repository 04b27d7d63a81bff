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
        let receive = ReceiveEmail(services: services)
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
            var applied = false
            do {
                let accepted = try await receive.accept(Data(raw), mailAccount: account.id)
                if let job = accepted.jobID { _ = await runner.runNow(job) }
                let outcome = try await receive.outcome(of: accepted.id, duplicate: accepted.duplicate)
                applied = outcome.status != InboundStatus.failed.rawValue && outcome.status != InboundStatus.received.rawValue
                if applied {
                    if accepted.duplicate { result.duplicates += 1 } else { result.imported += 1 }
                } else {
                    result.failed += 1
                    result.notes.append("\(message.uid): \(outcome.error ?? "not applied yet"); left on the server")
                }
            } catch let error as DomainError {
                result.failed += 1
                result.notes.append("\(message.uid): \(error); left on the server")
            }
            try await note(account, message.uid, applied: applied)
            if applied, account.afterImport == .delete { try await connection.command("DELE \(message.number)", step: "deleting mail") }
        }
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
