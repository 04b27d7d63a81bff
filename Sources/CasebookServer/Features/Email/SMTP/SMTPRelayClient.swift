import CasebookMail
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Sends one message to a relay over SMTP: EHLO, STARTTLS when offered (or required), AUTH PLAIN
/// or LOGIN when credentials are set, then MAIL, RCPT, DATA and QUIT.
struct SMTPRelayClient: Sendable {
    /// How STARTTLS is used.
    enum TLSMode: String, Sendable { case required, opportunistic, off }

    let host: String
    let port: Int
    let heloName: String
    let tls: TLSMode
    let verifyCertificates: Bool
    let username: String?
    let password: String?
    let group: any EventLoopGroup
    var timeout: TimeAmount = .seconds(30)
    /// Signs in with SASL XOAUTH2 instead of a password: the user and an access token (`fresh`: not the cached one).
    var oauth: (@Sendable (_ fresh: Bool) async throws -> (user: String, token: String))?

    func send(_ message: Data, from sender: String, to recipients: [String]) async throws {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let underlying = channel.channel
        try await channel.executeThenClose { inbound, outbound in
            var conversation = Conversation(iterator: inbound.makeAsyncIterator(), outbound: outbound)
            try await conversation.expect(220, step: "greeting")
            var ehlo = try await conversation.command("EHLO \(heloName)", expect: 250, step: "EHLO")
            if tls != .off, SMTPClientProtocol.offers("STARTTLS", in: ehlo) {
                try await conversation.command("STARTTLS", expect: 220, step: "STARTTLS")
                var configuration = TLSConfiguration.makeClientConfiguration()
                if !verifyCertificates { configuration.certificateVerification = .none }
                let context = try NIOSSLContext(configuration: configuration)
                let serverName = verifyCertificates ? host : nil
                // The handler is made on the channel's own loop: it is not Sendable and must not cross threads.
                try await underlying.eventLoop.submit {
                    try underlying.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName),
                                                                      position: .first)
                }.get()
                ehlo = try await conversation.command("EHLO \(heloName)", expect: 250, step: "EHLO after STARTTLS")
            } else if tls == .required {
                throw SMTPClientError.tlsUnavailable
            }
            if let oauth {
                guard SMTPClientProtocol.authMechanisms(in: ehlo).contains("XOAUTH2") else { throw SMTPClientError.authenticationUnavailable }
                // A cached token the relay refuses (revoked early) is replaced by a fresh one, once.
                if try await !conversation.xoauth2(try await oauth(false)) {
                    let fresh = try await oauth(true)
                    guard try await conversation.xoauth2(fresh) else { throw SMTPClientError.rejected(step: "AUTH XOAUTH2", reply: conversation.lastReply) }
                }
            } else if let username, let password {
                let mechanisms = SMTPClientProtocol.authMechanisms(in: ehlo)
                if mechanisms.contains("PLAIN") {
                    try await conversation.command("AUTH PLAIN \(SMTPClientProtocol.authPlain(username: username, password: password))",
                                                   expect: 235, step: "AUTH PLAIN", secret: true)
                } else if mechanisms.contains("LOGIN") {
                    try await conversation.command("AUTH LOGIN", expect: 334, step: "AUTH LOGIN")
                    try await conversation.command(Data(username.utf8).base64EncodedString(), expect: 334, step: "AUTH LOGIN user", secret: true)
                    try await conversation.command(Data(password.utf8).base64EncodedString(), expect: 235, step: "AUTH LOGIN password", secret: true)
                } else {
                    throw SMTPClientError.authenticationUnavailable
                }
            }
            try await conversation.command("MAIL FROM:<\(sender)>", expect: 250, step: "MAIL FROM")
            for recipient in recipients {
                try await conversation.command("RCPT TO:<\(recipient)>", expect: 250, step: "RCPT TO <\(recipient)>", accept: [251])
            }
            try await conversation.command("DATA", expect: 354, step: "DATA")
            try await outbound.write(ByteBuffer(bytes: SMTPClientProtocol.dataPayload(message)))
            try await conversation.expect(250, step: "message")
            _ = try? await conversation.command("QUIT", expect: 221, step: "QUIT")
        }
    }

    /// One side of the dialogue: writes commands, reads whole replies.
    private struct Conversation {
        var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        var pending = ByteBuffer()
        var reader = SMTPClientProtocol.ReplyReader()
        var lastReply = SMTPReply(0)

        /// One XOAUTH2 exchange: true when signed in; false when refused (the server's JSON challenge is answered with
        /// an empty line, as the mechanism asks, so the refusal arrives).
        mutating func xoauth2(_ credentials: (user: String, token: String)) async throws -> Bool {
            try await outbound.write(ByteBuffer(string: "AUTH XOAUTH2 " + IMAPCommandText.xoauth2(user: credentials.user, accessToken: credentials.token) + "\r\n"))
            var reply = try await nextReply()
            if reply.code == 334 {
                try await outbound.write(ByteBuffer(string: "\r\n"))
                reply = try await nextReply()
            }
            lastReply = reply
            return reply.code == 235
        }

        @discardableResult
        mutating func command(_ line: String, expect code: Int, step: String, secret: Bool = false, accept: [Int] = []) async throws -> SMTPReply {
            try await outbound.write(ByteBuffer(string: line + "\r\n"))
            return try await expect(code, step: step, accept: accept)
        }

        @discardableResult
        mutating func expect(_ code: Int, step: String, accept: [Int] = []) async throws -> SMTPReply {
            let reply = try await nextReply()
            guard reply.code == code || accept.contains(reply.code) else { throw SMTPClientError.rejected(step: step, reply: reply) }
            return reply
        }

        private mutating func nextReply() async throws -> SMTPReply {
            while true {
                while let newline = pending.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                    var line = pending.readString(length: newline - pending.readerIndex) ?? ""
                    pending.moveReaderIndex(forwardBy: 1)
                    if line.hasSuffix("\r") { line.removeLast() }
                    if let reply = try reader.add(line) { return reply }
                }
                guard pending.readableBytes < 64 * 1024 else { throw SMTPClientError.protocolViolation("reply line too long") }
                guard var more = try await iterator.next() else { throw SMTPClientError.protocolViolation("connection closed mid-reply") }
                pending.discardReadBytes()
                pending.writeBuffer(&more)
            }
        }
    }
}
