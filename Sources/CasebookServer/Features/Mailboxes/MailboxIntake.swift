import CasebookCore
import CasebookMail
import Foundation

/// Stores one round of fetched messages in one commit, then applies them: one sender's in the order they arrived (a
/// reply after what it answers), different senders' side by side so their writes share commits.
struct MailboxIntake {
    let services: CasebookServices
    let runner: JobRunner

    /// What became of one message.
    enum Outcome: Sendable {
        /// Applied now, or (`duplicate`) stored by an earlier fetch.
        case applied(duplicate: Bool)
        /// Not applied: why, for the account's notes. The message stays on the server.
        case failed(String)
    }

    func take<Key: Hashable & Sendable>(_ messages: [(key: Key, raw: Data)], mailAccount: UUID) async throws -> [Key: Outcome] {
        let receive = ReceiveEmail(services: services)
        let accepted = try await receive.acceptMany(messages.map(\.raw), mailAccount: mailAccount)
        var outcomes: [Key: Outcome] = [:]
        var lanes: [String: [(key: Key, stored: ReceiveEmail.Accepted)]] = [:]
        for (message, answer) in zip(messages, accepted) {
            switch answer {
            case .failure(let error): outcomes[message.key] = .failed("\(error)")
            case .success(let stored): lanes[Self.sender(of: message.raw), default: []].append((message.key, stored))
            }
        }
        let runner = runner
        let applied = await withTaskGroup(of: [(Key, Outcome)].self) { group in
            for lane in lanes.values {
                group.addTask {
                    var done: [(Key, Outcome)] = []
                    for (key, stored) in lane {
                        if let job = stored.jobID { _ = await runner.runNow(job) }
                        guard let outcome = try? await receive.outcome(of: stored.id, duplicate: stored.duplicate) else {
                            done.append((key, .failed("its stored row could not be read back")))
                            continue
                        }
                        let waiting = outcome.status == InboundStatus.failed.rawValue || outcome.status == InboundStatus.received.rawValue
                        done.append((key, waiting ? .failed(outcome.error ?? "not applied yet") : .applied(duplicate: outcome.duplicate)))
                    }
                    return done
                }
            }
            var all: [(Key, Outcome)] = []
            for await done in group { all += done }
            return all
        }
        for (key, outcome) in applied { outcomes[key] = outcome }
        return outcomes
    }

    /// Who sent a message, for keeping one sender's messages in order.
    private static func sender(of raw: Data) -> String {
        MailParser.parse(Data(raw.prefix(64 * 1024))).author?.address.lowercased() ?? ""
    }
}
