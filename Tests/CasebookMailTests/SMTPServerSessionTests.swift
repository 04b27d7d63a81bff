import CasebookMail
import Testing

@Suite("SMTP server session")
struct SMTPServerSessionTests {
    static func session(maxBytes: Int = 1000, tls: Bool = false, requireTLS: Bool = false) -> SMTPServerSession {
        SMTPServerSession(policy: .init(hostname: "mx.cb.example", maxMessageBytes: maxBytes, maxRecipients: 3, offersTLS: tls,
                                        requiresTLS: requireTLS, acceptsRecipient: { $0 == "support@cb.example" || $0.hasSuffix("@help.example") }))
    }

    static func code(_ action: SMTPServerSession.Action) -> Int? {
        switch action {
        case let .reply(reply), let .close(reply), let .startTLS(reply): reply.code
        case .deliver, .none: nil
        }
    }

    static func say(_ session: inout SMTPServerSession, _ line: String) -> SMTPServerSession.Action {
        session.receive(line: Array(line.utf8)[...])
    }

    @Test("a whole conversation: EHLO lists the extensions, MAIL, RCPT, DATA with dot-stuffing, then QUIT")
    func conversation() {
        var s = Self.session()
        guard case let .reply(ehlo) = Self.say(&s, "EHLO client.example") else { Issue.record("no EHLO reply"); return }
        #expect(ehlo.code == 250 && ehlo.lines.contains("SIZE 1000") && ehlo.lines.contains("8BITMIME") && ehlo.lines.contains("PIPELINING"))
        #expect(!ehlo.lines.contains("STARTTLS"), "no certificate, no STARTTLS")
        #expect(ehlo.wire.hasPrefix("250-mx.cb.example greets client.example\r\n") && ehlo.wire.hasSuffix("250 ENHANCEDSTATUSCODES\r\n"))
        #expect(Self.code(Self.say(&s, "MAIL FROM:<dana@acme.example> SIZE=200 BODY=8BITMIME")) == 250)
        #expect(Self.code(Self.say(&s, "RCPT TO:<Support@CB.example>")) == 250)
        #expect(Self.code(Self.say(&s, "RCPT TO:<other@help.example>")) == 250)
        #expect(Self.code(Self.say(&s, "DATA")) == 354)
        for line in ["Subject: hi", "", "..leading dot"] { #expect(Self.say(&s, line) == .none) }
        guard case let .deliver(envelope, bytes) = Self.say(&s, ".") else { Issue.record("no delivery"); return }
        #expect(envelope == SMTPEnvelope(sender: "dana@acme.example", recipients: ["support@cb.example", "other@help.example"], clientName: "client.example"))
        #expect(String(decoding: bytes, as: UTF8.self) == "Subject: hi\r\n\r\n.leading dot\r\n")
        #expect(s.delivered("abc").code == 250)
        #expect(Self.code(Self.say(&s, "MAIL FROM:<>")) == 250, "a bounce has an empty sender; a second transaction may follow")
        #expect(Self.code(Self.say(&s, "QUIT")) == 221)
    }

    @Test("only CRLF.CRLF ends the data: a dot after or before a bare LF is data, so no second message can be smuggled in")
    func smuggling() {
        for (dotBefore, dotLine) in [(false, true), (true, false), (false, false)] {
            var s = Self.session(maxBytes: 10_000)
            _ = Self.say(&s, "EHLO client.example")
            _ = Self.say(&s, "MAIL FROM:<dana@acme.example>")
            _ = Self.say(&s, "RCPT TO:<support@cb.example>")
            _ = Self.say(&s, "DATA")
            #expect(s.receive(line: Array("Subject: one".utf8)[...]) == .none)
            #expect(s.receive(line: Array("body".utf8)[...], endedWithCRLF: dotBefore) == .none)
            #expect(s.receive(line: Array(".".utf8)[...], endedWithCRLF: dotLine) == .none, "the dot is data")
            for forged in ["MAIL FROM:<ceo@cb.example>", "RCPT TO:<support@cb.example>", "DATA", "Subject: forged"] {
                #expect(Self.say(&s, forged) == .none, "\(forged) is still data")
            }
            guard case let .deliver(_, bytes) = Self.say(&s, ".") else { Issue.record("no delivery"); return }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.hasPrefix("Subject: one\r\nbody\r\n.\r\nMAIL FROM:<ceo@cb.example>") && text.contains("Subject: forged"))
            #expect(s.isReadingData == false)
        }
    }

    @Test("commands out of order are refused with 503; syntax errors with 501; unknown commands with 500")
    func order() {
        var s = Self.session()
        #expect(Self.code(Self.say(&s, "MAIL FROM:<a@b.example>")) == 503)
        #expect(Self.code(Self.say(&s, "HELO")) == 501)
        #expect(Self.code(Self.say(&s, "HELO client")) == 250)
        #expect(Self.code(Self.say(&s, "RCPT TO:<support@cb.example>")) == 503)
        #expect(Self.code(Self.say(&s, "DATA")) == 503)
        #expect(Self.code(Self.say(&s, "MAIL FROM a@b.example")) == 501)
        #expect(Self.code(Self.say(&s, "MAIL FROM:<a@b.example>")) == 250)
        #expect(Self.code(Self.say(&s, "MAIL FROM:<a@b.example>")) == 503)
        #expect(Self.code(Self.say(&s, "DATA")) == 554, "no recipient accepted yet")
        #expect(Self.code(Self.say(&s, "RCPT TO:<nobody@elsewhere.example>")) == 550)
        #expect(Self.code(Self.say(&s, "RCPT TO:not-an-address")) == 501)
        #expect(Self.code(Self.say(&s, "XYZZY")) == 500)
        #expect(Self.code(Self.say(&s, "NOOP")) == 250)
        #expect(Self.code(Self.say(&s, "VRFY someone")) == 252)
        #expect(Self.code(Self.say(&s, "RSET")) == 250)
        #expect(Self.code(Self.say(&s, "RCPT TO:<support@cb.example>")) == 503, "RSET ended the transaction")
        #expect(Self.code(Self.say(&s, "STARTTLS")) == 502)
    }

    @Test("size limits: a declared SIZE over the limit is refused at MAIL; an oversize body at the final dot")
    func sizes() {
        var s = Self.session(maxBytes: 50)
        _ = Self.say(&s, "EHLO c")
        #expect(Self.code(Self.say(&s, "MAIL FROM:<a@b.example> SIZE=51")) == 552)
        #expect(Self.code(Self.say(&s, "MAIL FROM:<a@b.example> SIZE=ten")) == 501)
        #expect(Self.code(Self.say(&s, "MAIL FROM:<a@b.example> AUTH=<>")) == 555)
        #expect(Self.code(Self.say(&s, "MAIL FROM:<a@b.example>")) == 250)
        _ = Self.say(&s, "RCPT TO:<support@cb.example>")
        _ = Self.say(&s, "DATA")
        for _ in 0..<10 { _ = Self.say(&s, "0123456789") }
        #expect(Self.code(Self.say(&s, ".")) == 552)
        #expect(Self.code(Self.say(&s, "MAIL FROM:<a@b.example>")) == 250, "the session goes on after a refused message")
    }

    @Test("recipients are capped, and repeats are kept once")
    func recipients() {
        var s = Self.session()
        _ = Self.say(&s, "EHLO c")
        _ = Self.say(&s, "MAIL FROM:<a@b.example>")
        for name in ["a", "b", "c"] { #expect(Self.code(Self.say(&s, "RCPT TO:<\(name)@help.example>")) == 250) }
        #expect(Self.code(Self.say(&s, "RCPT TO:<d@help.example>")) == 452)
        var t = Self.session()
        _ = Self.say(&t, "EHLO c")
        _ = Self.say(&t, "MAIL FROM:<a@b.example>")
        _ = Self.say(&t, "RCPT TO:<support@cb.example>")
        _ = Self.say(&t, "RCPT TO: <SUPPORT@cb.example>")
        _ = Self.say(&t, "DATA")
        guard case let .deliver(envelope, _) = Self.say(&t, ".") else { Issue.record("no delivery"); return }
        #expect(envelope.recipients == ["support@cb.example"])
    }

    @Test("STARTTLS is offered with a certificate, resets the session, and can be required before mail")
    func startTLS() {
        var s = Self.session(tls: true, requireTLS: true)
        guard case let .reply(ehlo) = Self.say(&s, "EHLO c") else { Issue.record("no EHLO reply"); return }
        #expect(ehlo.lines.contains("STARTTLS"))
        #expect(Self.code(Self.say(&s, "MAIL FROM:<a@b.example>")) == 530)
        guard case .startTLS = Self.say(&s, "STARTTLS") else { Issue.record("no STARTTLS"); return }
        s.tlsStarted()
        #expect(Self.code(Self.say(&s, "MAIL FROM:<a@b.example>")) == 503, "the client must greet again over TLS")
        guard case let .reply(again) = Self.say(&s, "EHLO c") else { Issue.record("no EHLO reply"); return }
        #expect(!again.lines.contains("STARTTLS"))
        #expect(Self.code(Self.say(&s, "MAIL FROM:<a@b.example>")) == 250)
    }

    @Test("a failed store is a temporary failure, so the client keeps the message and retries")
    func failedStore() {
        var s = Self.session()
        _ = Self.say(&s, "EHLO c")
        _ = Self.say(&s, "MAIL FROM:<a@b.example>")
        _ = Self.say(&s, "RCPT TO:<support@cb.example>")
        _ = Self.say(&s, "DATA")
        _ = Self.say(&s, ".")
        #expect(s.deliveryFailed("disk full").code == 451)
    }

    @Test("too many errors close the connection")
    func errorsClose() {
        var s = Self.session()
        var last: SMTPServerSession.Action = .none
        for _ in 0..<20 { last = Self.say(&s, "BOGUS") }
        guard case let .close(reply) = last else { Issue.record("still open"); return }
        #expect(reply.code == 421)
    }

    @Test("paths: source routes, missing brackets, spaces after the colon")
    func paths() {
        #expect(SMTPServerSession.path(after: "FROM:", in: "FROM:<@relay.example:a@b.example>")?.0 == "a@b.example")
        #expect(SMTPServerSession.path(after: "FROM:", in: "from: a@b.example SIZE=1")?.0 == "a@b.example")
        #expect(SMTPServerSession.path(after: "FROM:", in: "FROM:<a b@c>") == nil)
        #expect(SMTPServerSession.path(after: "TO:", in: "TO:<unterminated") == nil)
    }
}
