import Foundation
import Testing

/// A real Dovecot on loopback (tests/integration/imap/dovecot.sh): IMAP with STARTTLS, IMAPS and POP3S with its own CA,
/// users `support` and `sales` (password `mail-secret`) with Maildirs that a test delivers into as a mail server would.
struct TestMailServer {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("tests/integration/imap/dovecot.sh").path
    static let password = "mail-secret"

    let folder: String
    /// IMAP with STARTTLS; `port + 1` is IMAPS, `port + 2` POP3S.
    let port: Int
    let caPEM: String

    var imapsPort: Int { port + 1 }

    /// Starts one, or records an issue and answers nil when Dovecot is not installed (scripts/test.sh installs it).
    /// With `introspection`, it also takes OAuth2 access tokens (XOAUTH2), asking that address whether each is good.
    /// With `relay`, it also takes mail for sending on `port + 3` (SMTP submission) and hands it to that loopback port.
    static func start(introspection: String? = nil, relay: Int? = nil) throws -> TestMailServer? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/dovecot"),
              relay == nil || FileManager.default.fileExists(atPath: "/usr/lib/dovecot/submission") else {
            Issue.record("Dovecot is not installed (Debian's dovecot-imapd, dovecot-pop3d and dovecot-submissiond); scripts/test.sh installs them")
            return nil
        }
        var attempt = 0
        while true {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-mail-\(UUID().uuidString.prefix(8))").path
            let port = Int.random(in: 20_000...40_000)
            do {
                try run("/bin/bash", [script, "start", folder, String(port)] + (introspection.map { [$0] } ?? []) + (relay.map { [String($0)] } ?? []))
                return TestMailServer(folder: folder, port: port, caPEM: try String(contentsOfFile: folder + "/ca.pem", encoding: .utf8))
            } catch where attempt < 2 {
                attempt += 1
                _ = try? run("/bin/bash", [script, "stop", folder])
            }
        }
    }

    /// Delivers one message into a user's INBOX the way a local delivery agent does: written under tmp/, renamed into new/.
    func deliver(_ raw: String, to user: String = "support") throws {
        let name = "\(Int(Date().timeIntervalSince1970)).\(UUID().uuidString).casebook-test"
        let box = "\(folder)/mail/\(user)"
        let temporary = "\(box)/tmp/\(name)"
        try Data(raw.utf8).write(to: URL(fileURLWithPath: temporary))
        let owner = try FileManager.default.attributesOfItem(atPath: box)
        try FileManager.default.setAttributes([.ownerAccountID: owner[.ownerAccountID] as Any, .groupOwnerAccountID: owner[.groupOwnerAccountID] as Any],
                                              ofItemAtPath: temporary)
        try FileManager.default.moveItem(atPath: temporary, toPath: "\(box)/new/\(name)")
    }

    /// The messages in a user's folder (INBOX by default), with their Maildir flags (S for seen).
    func messages(of user: String = "support", folder name: String? = nil) throws -> [(flags: String, text: String)] {
        let box = "\(folder)/mail/\(user)" + (name.map { "/.\($0)" } ?? "")
        var found: [(String, String)] = []
        for part in ["new", "cur"] {
            let directory = "\(box)/\(part)"
            for file in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
                let flags = file.components(separatedBy: ":2,").dropFirst().first ?? ""
                found.append((flags, try String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8)))
            }
        }
        return found
    }

    /// Ends every IMAP session of a user, as a server restart or a network drop would.
    func kick(_ user: String = "support") throws {
        try Self.run("/usr/bin/doveadm", ["-c", "\(folder)/dovecot.conf", "kick", user])
    }

    func stop() {
        _ = try? Self.run("/bin/bash", [Self.script, "stop", folder])
        try? FileManager.default.removeItem(atPath: folder)
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw DirectoryServerError(description: "\(tool) \(arguments.first ?? ""): \(text)")
        }
    }
}
