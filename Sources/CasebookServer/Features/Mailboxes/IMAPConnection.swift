import CasebookMail
import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// One IMAP session (RFC 9051, RFC 3501): one command at a time, the untagged data each one brought, and IDLE.
final class IMAPConnection: Sendable {
    /// What SELECT told about a folder.
    struct Folder: Sendable {
        var uidValidity: UInt32
        var uidNext: UInt32?
        var exists: UInt32
    }

    private let channel: any Channel
    private let inbox: MailInbox<IMAPResponse>
    private let settings: MailServerSettings
    private let nextTag = NIOLockedValueBox(0)
    private let known = NIOLockedValueBox<Set<String>>([])

    private init(channel: any Channel, inbox: MailInbox<IMAPResponse>, settings: MailServerSettings) {
        self.channel = channel
        self.inbox = inbox
        self.settings = settings
    }

    /// What the server said it can do, as of the last CAPABILITY.
    var capabilities: Set<String> { known.withLockedValue { $0 } }

    /// Connects, reads the greeting, and secures the connection as `settings` ask.
    static func connect(_ settings: MailServerSettings, group: any EventLoopGroup) async throws -> IMAPConnection {
        let (channel, inbox) = try await MailServerLink.open(settings, group: group, reader: IMAPResponseReader())
        let connection = IMAPConnection(channel: channel, inbox: inbox, settings: settings)
        do {
            guard let greeting = try await inbox.next(timeout: settings.timeout) else { throw MailServerError.timeout("with a greeting") }
            guard greeting.kind == .untagged, greeting.status == "OK" || greeting.status == "PREAUTH" else {
                throw MailServerError.refused(step: "the connection", answer: greeting.text)
            }
            try await connection.refreshCapabilities()
            if settings.security == .starttls {
                guard connection.capabilities.contains("STARTTLS") else { throw MailServerError.tlsUnavailable }
                try await connection.run("STARTTLS", step: "STARTTLS")
                try await MailServerLink.startTLS(on: channel, settings)
                try await connection.refreshCapabilities()
            }
        } catch let error as MailServerError {
            try? await channel.close()
            throw error
        } catch {
            // Anything else while greeting or upgrading is the TLS layer's: an unknown CA, a wrong name, an old protocol.
            try? await channel.close()
            throw MailServerError.secureConnection("\(error)")
        }
        return connection
    }

    func refreshCapabilities() async throws {
        let answer = try await run("CAPABILITY", step: "CAPABILITY")
        if let found = answer.lazy.compactMap(\.capabilities).first { known.withLockedValue { $0 = found } }
    }

    /// Signs in with SASL PLAIN (or LOGIN where PLAIN is not offered), or with an OAuth2 access token (XOAUTH2).
    func authenticate(user: String, password: String?, accessToken: String?) async throws {
        if let accessToken {
            try await authenticate(mechanism: "XOAUTH2", answer: IMAPCommandText.xoauth2(user: user, accessToken: accessToken))
        } else if capabilities.contains("AUTH=PLAIN") {
            try await authenticate(mechanism: "PLAIN", answer: IMAPCommandText.saslPlain(user: user, password: password ?? ""))
        } else {
            guard let name = IMAPCommandText.quoted(user), let secret = IMAPCommandText.quoted(password ?? "") else {
                throw MailServerError.unexpected("no AUTH=PLAIN, and the user name or password cannot be sent with LOGIN")
            }
            try await run("LOGIN \(name) \(secret)", step: "sign-in (LOGIN)", secret: true)
        }
        try await refreshCapabilities()
    }

    private func authenticate(mechanism: String, answer: String) async throws {
        let step = "sign-in (\(mechanism))"
        let tag = makeTag()
        // With SASL-IR the answer goes with the command (RFC 4959); otherwise after the server's empty challenge.
        let initial = capabilities.contains("SASL-IR")
        try await MailServerLink.write("\(tag) AUTHENTICATE \(mechanism)\(initial ? " " + answer : "")\r\n", to: channel)
        var answered = initial
        while true {
            let response = try await nextResponse(step: step)
            switch response.kind {
            case .continuation:
                // A challenge after the answer is the server's error report (XOAUTH2); an empty line lets it finish with NO.
                try await MailServerLink.write((answered ? "" : answer) + "\r\n", to: channel)
                answered = true
            case .tagged(let got) where got == tag:
                guard response.status == "OK" else { throw MailServerError.refused(step: step, answer: response.statusText) }
                return
            default:
                continue
            }
        }
    }

    /// Opens a folder for reading and writing.
    func select(_ folder: String) async throws -> Folder {
        let answer = try await run("SELECT \(IMAPCommandText.mailbox(folder))", step: "opening the folder \(folder)")
        var result = Folder(uidValidity: 0, uidNext: nil, exists: 0)
        for response in answer {
            if let code = response.responseCode {
                if code.name == "UIDVALIDITY", let value = UInt32(code.value) { result.uidValidity = value }
                if code.name == "UIDNEXT", let value = UInt32(code.value) { result.uidNext = value }
            }
            if let numbered = response.numbered, numbered.name == "EXISTS" { result.exists = numbered.number }
        }
        guard result.uidValidity != 0 else { throw MailServerError.unexpected("no UIDVALIDITY for \(folder)") }
        return result
    }

    /// Sends one command and returns the untagged responses that came with its completion; NO or BAD throw.
    @discardableResult
    func run(_ command: String, step: String, secret: Bool = false) async throws -> [IMAPResponse] {
        let tag = makeTag()
        try await MailServerLink.write("\(tag) \(command)\r\n", to: channel)
        var untagged: [IMAPResponse] = []
        while true {
            let response = try await nextResponse(step: step)
            switch response.kind {
            case .tagged(let got) where got == tag:
                guard response.status == "OK" else { throw MailServerError.refused(step: step, answer: response.statusText) }
                return untagged
            case .untagged:
                if response.status == "BYE" { throw MailServerError.refused(step: step, answer: response.statusText) }
                untagged.append(response)
            default:
                throw MailServerError.unexpected("\(response.kind) during \(step)")
            }
        }
    }

    /// Waits in IDLE (RFC 2177) until the server reports new mail or `limit` passes; true when new mail came.
    func idle(limit: TimeAmount) async throws -> Bool {
        let tag = makeTag()
        try await MailServerLink.write("\(tag) IDLE\r\n", to: channel)
        var newMail = false
        var ending = false
        let deadline = NIODeadline.now() + limit
        while true {
            let left = deadline - NIODeadline.now()
            let response = try await inbox.next(timeout: ending ? settings.timeout : max(left, .milliseconds(1)))
            guard let response else {
                if ending { throw MailServerError.timeout("IDLE") }
                try await MailServerLink.write("DONE\r\n", to: channel)
                ending = true
                continue
            }
            switch response.kind {
            case .tagged(let got) where got == tag:
                guard response.status == "OK" else { throw MailServerError.refused(step: "IDLE", answer: response.statusText) }
                return newMail
            case .untagged:
                if response.status == "BYE" { throw MailServerError.closed }
                if let numbered = response.numbered, numbered.name == "EXISTS", !ending {
                    newMail = true
                    try await MailServerLink.write("DONE\r\n", to: channel)
                    ending = true
                }
            case .continuation, .tagged:
                continue
            }
        }
    }

    func logout() async {
        _ = try? await run("LOGOUT", step: "LOGOUT")
        try? await channel.close()
    }

    func close() async {
        try? await channel.close()
    }

    /// Closes without waiting: anyone waiting for an answer gets an error at once.
    func closeNow() {
        channel.close(promise: nil)
    }

    private func nextResponse(step: String) async throws -> IMAPResponse {
        guard let response = try await inbox.next(timeout: settings.timeout) else { throw MailServerError.timeout(step) }
        return response
    }

    private func makeTag() -> String {
        nextTag.withLockedValue { value in
            value += 1
            return "C\(value)"
        }
    }
}
