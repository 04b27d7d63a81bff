import Foundation

/// What a delivery status notification (RFC 3464) says about each recipient: whether the mail failed for good
/// (a 5.x.x status), failed for now (4.x.x) or is only delayed, with the server's words.
public struct DeliveryReport: Sendable, Equatable {
    public enum Outcome: String, Sendable, Equatable {
        /// The address does not take mail (5.x.x): sending again will not help.
        case hard
        /// Failed for now (4.x.x: mailbox full, greylisted): worth another try later.
        case soft
        /// Still being tried by the remote server, or delivered: nothing to do.
        case none
    }

    public struct Recipient: Sendable, Equatable {
        public var address: String
        public var status: String
        public var outcome: Outcome
        public var diagnostic: String?
    }

    public var recipients: [Recipient]

    /// Reads the per-recipient fields of a report from the raw mail: `Final-Recipient` (or `Original-Recipient`),
    /// `Action` and `Status`, with `Diagnostic-Code`. Reports that only say "failed" without a status count as hard.
    public static func parse(_ raw: Data) -> DeliveryReport {
        let text = String(decoding: raw.prefix(512 * 1024), as: UTF8.self)
        var recipients: [Recipient] = []
        var fields: [String: String] = [:]
        func flush() {
            defer { fields = [:] }
            guard let target = fields["final-recipient"] ?? fields["original-recipient"] else { return }
            let address = target.split(separator: ";", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? target
            guard address.contains("@"), address.count <= 254 else { return }
            let action = fields["action"]?.lowercased() ?? ""
            let status = fields["status"].map { String($0.prefix(while: { $0.isNumber || $0 == "." })) } ?? ""
            let outcome: Outcome = switch (action, status.first) {
            case ("delayed", _), ("delivered", _), ("relayed", _), ("expanded", _): .none
            case (_, "5"): .hard
            case (_, "4"): .soft
            case ("failed", _): .hard
            default: .none
            }
            recipients.append(Recipient(address: address.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "<>")), status: status,
                                        outcome: outcome, diagnostic: fields["diagnostic-code"].map { String($0.prefix(500)) }))
        }
        // By Character: CRLF is one there, while splitting on newline scalars would make each CRLF an empty line too.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("--") { flush(); continue }
            guard let colon = trimmed.firstIndex(of: ":") else { continue }
            let name = trimmed[..<colon].lowercased()
            guard ["final-recipient", "original-recipient", "action", "status", "diagnostic-code"].contains(name) else { continue }
            if name == "final-recipient" || name == "original-recipient", fields["action"] != nil || fields["status"] != nil { flush() }
            fields[name] = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        flush()
        // Original-Recipient followed by Final-Recipient in one block names one recipient: keep the one with an outcome.
        var seen: [String: Int] = [:]
        var unique: [Recipient] = []
        for recipient in recipients {
            if let index = seen[recipient.address] {
                if unique[index].outcome == .none { unique[index] = recipient }
            } else {
                seen[recipient.address] = unique.count
                unique.append(recipient)
            }
        }
        return DeliveryReport(recipients: unique.filter { !$0.status.isEmpty || $0.outcome != .none })
    }
}
