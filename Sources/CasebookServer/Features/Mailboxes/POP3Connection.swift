import CasebookMail
import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// One POP3 session (RFC 1939, STLS from RFC 2595): a command at a time, single-line or multi-line answers.
final class POP3Connection: Sendable {
    private let channel: any Channel
    private let inbox: MailInbox<[UInt8]>
    private let settings: MailServerSettings

    private init(channel: any Channel, inbox: MailInbox<[UInt8]>, settings: MailServerSettings) {
        self.channel = channel
        self.inbox = inbox
        self.settings = settings
    }

    /// Connects, reads the greeting, and secures the connection as `settings` ask.
    static func connect(_ settings: MailServerSettings, group: any EventLoopGroup) async throws -> POP3Connection {
        let (channel, inbox) = try await MailServerLink.open(settings, group: group, reader: MailLineReader())
        let connection = POP3Connection(channel: channel, inbox: inbox, settings: settings)
        do {
            let greeting = POP3Text.status(try await connection.line(step: "the greeting"))
            guard greeting.ok else { throw MailServerError.refused(step: "the connection", answer: greeting.text) }
            if settings.security == .starttls {
                do {
                    try await connection.command("STLS", step: "STLS")
                } catch MailServerError.refused {
                    throw MailServerError.tlsUnavailable
                }
                try await MailServerLink.startTLS(on: channel, settings)
            }
        } catch let error as MailServerError {
            try? await channel.close()
            throw error
        } catch {
            try? await channel.close()
            throw MailServerError.secureConnection("\(error)")
        }
        return connection
    }

    /// Signs in with USER and PASS, or with an OAuth2 access token (AUTH XOAUTH2).
    func signIn(user: String, password: String?, accessToken: String?) async throws {
        if let accessToken {
            try await command("AUTH XOAUTH2 " + IMAPCommandText.xoauth2(user: user, accessToken: accessToken), step: "sign-in (XOAUTH2)", continuation: true)
            return
        }
        guard !user.contains(where: \.isNewline), !(password ?? "").contains(where: \.isNewline) else {
            throw MailServerError.unexpected("a user name or password with a line break cannot be sent")
        }
        try await command("USER \(user)", step: "sign-in (USER)")
        try await command("PASS \(password ?? "")", step: "sign-in")
    }

    /// Sends a command answered by one line; -ERR throws. With `continuation`, a server challenge is answered empty
    /// so that it ends with its error (as XOAUTH2 does on a bad token).
    @discardableResult
    func command(_ line: String, step: String, continuation: Bool = false) async throws -> String {
        try await MailServerLink.write(line + "\r\n", to: channel)
        var answer = try await self.line(step: step)
        if continuation, answer.first == UInt8(ascii: "+"), answer.starts(with: Array("+ ".utf8)) || answer == [UInt8(ascii: "+")] {
            try await MailServerLink.write("\r\n", to: channel)
            answer = try await self.line(step: step)
        }
        let status = POP3Text.status(answer)
        guard status.ok else { throw MailServerError.refused(step: step, answer: status.text) }
        return status.text
    }

    /// Sends a command answered by a status line and, on +OK, lines up to a lone dot.
    func multiline(_ line: String, step: String) async throws -> [[UInt8]] {
        try await command(line, step: step)
        var lines: [[UInt8]] = []
        while true {
            let next = try await self.line(step: step)
            if next == [UInt8(ascii: ".")] { return lines }
            lines.append(next)
        }
    }

    /// Ends the session; the server deletes what was marked with DELE only now.
    func quit() async throws {
        try await command("QUIT", step: "QUIT")
        try? await channel.close()
    }

    func closeNow() {
        channel.close(promise: nil)
    }

    private func line(step: String) async throws -> [UInt8] {
        guard let line = try await inbox.next(timeout: settings.timeout) else { throw MailServerError.timeout(step) }
        return line
    }
}
