import CasebookCore
import CasebookMail
import Foundation
import NIOCore
import NIOSSL

/// Stores one message durably and returns the id it is queued under; throws when it was not stored.
typealias SMTPDelivery = @Sendable (SMTPEnvelope, [UInt8], SMTPPeer) async throws -> String

/// Who delivered a message, for its `Received:` line.
struct SMTPPeer: Sendable {
    let address: String
    let tls: Bool
}

/// One SMTP connection: frames lines, feeds them to an `SMTPServerSession`, and carries out its actions.
///
/// Replies to pipelined commands are written as they are produced and flushed once the input in
/// hand is used up (RFC 2920). While a message is being stored, reading stops being acted on:
/// later lines wait in the buffer, so nothing is answered out of order and the 250 goes out only
/// after the bytes are durable.
final class SMTPConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Longest command line we read (RFC 5321 allows 512; some clients send long EHLO names).
    static let maxCommandLine = 4096
    /// Longest message line we buffer; longer ones make the message too big rather than eat memory.
    static let maxDataLine = 1024 * 1024

    private var session: SMTPServerSession
    private let tls: NIOSSLContext?
    private let deliver: SMTPDelivery
    private var buffer = ByteBuffer()
    private var busy = false
    private var discardingLongLine = false
    private var closing = false
    private var stopping = false

    /// Sent to every open connection when the listener stops.
    struct Stopping: Sendable {}
    static let shuttingDown = SMTPReply(421, "4.3.2 Service shutting down, please try again later")

    init(policy: SMTPServerSession.Policy, tls: NIOSSLContext?, deliver: @escaping SMTPDelivery) {
        self.session = SMTPServerSession(policy: policy)
        self.tls = tls
        self.deliver = deliver
    }

    func channelActive(context: ChannelHandlerContext) {
        send(session.greeting, context: context)
        context.flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        processLines(context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            close(with: SMTPReply(421, "4.4.2 Idle too long, closing"), context: context)
        } else if event is Stopping {
            stopping = true
            processLines(context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func processLines(context: ChannelHandlerContext) {
        var wrote = false
        defer { if wrote { context.flush() } }
        while !busy && !closing {
            // A stopping listener lets the transaction under way finish and starts no new one.
            if stopping && !session.isInTransaction {
                close(with: Self.shuttingDown, context: context)
                return
            }
            let limit = session.isReadingData ? Self.maxDataLine : Self.maxCommandLine
            guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
                if buffer.readableBytes > limit {
                    // Too long to be a line: drop it up to its end, and say so once.
                    buffer.clear()
                    if !discardingLongLine { wrote = perform(session.lineTooLong(), context: context) || wrote }
                    discardingLongLine = true
                }
                buffer.discardReadBytes()
                return
            }
            let length = newline - buffer.readerIndex
            var line = buffer.readBytes(length: length) ?? []
            buffer.moveReaderIndex(forwardBy: 1)
            if discardingLongLine {
                discardingLongLine = false
                continue
            }
            let endedWithCRLF = line.last == 13
            if endedWithCRLF { line.removeLast() }
            wrote = perform(session.receive(line: line[...], endedWithCRLF: endedWithCRLF), context: context) || wrote
        }
    }

    /// Carries out one action; returns whether something was written.
    private func perform(_ action: SMTPServerSession.Action, context: ChannelHandlerContext) -> Bool {
        switch action {
        case .none:
            return false
        case let .reply(reply):
            send(reply, context: context)
            return true
        case let .close(reply):
            close(with: reply, context: context)
            return false
        case let .startTLS(reply):
            guard let tls else { return false }
            send(reply, context: context)
            context.flush()
            // Anything the client sent after STARTTLS in plain text is discarded (RFC 3207 §6: no command injection).
            buffer.clear()
            do {
                try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
                session.tlsStarted()
            } catch {
                context.close(promise: nil)
            }
            return false
        case let .deliver(envelope, bytes):
            busy = true
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let deliver = self.deliver
            let loop = context.eventLoop
            let peer = SMTPPeer(address: context.channel.remoteAddress?.ipAddress ?? "unknown", tls: session.isTLSActive)
            Task {
                let result: Result<String, any Error>
                do { result = .success(try await deliver(envelope, bytes, peer)) } catch { result = .failure(error) }
                loop.execute {
                    let (handler, context) = bound.value
                    handler.finishDelivery(result, context: context)
                }
            }
            return false
        }
    }

    /// A refusal by a rule is final and said in its words; anything else is ours to fix, so the client tries again later.
    static func reply(to error: any Error, session: inout SMTPServerSession) -> SMTPReply {
        switch error {
        case let DomainError.tooLarge(reason, _): session.deliveryRefused(reason, tooLarge: true)
        case let refusal as DomainError: session.deliveryRefused(refusal.description, tooLarge: false)
        default: session.deliveryFailed("storage unavailable")
        }
    }

    private func finishDelivery(_ result: Result<String, any Error>, context: ChannelHandlerContext) {
        busy = false
        guard context.channel.isActive else { return }
        switch result {
        case let .success(id): send(session.delivered(id), context: context)
        case let .failure(error): send(Self.reply(to: error, session: &session), context: context)
        }
        context.flush()
        processLines(context: context)
    }

    private func send(_ reply: SMTPReply, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(ByteBuffer(string: reply.wire)), promise: nil)
    }

    private func close(with reply: SMTPReply, context: ChannelHandlerContext) {
        closing = true
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: reply.wire))).whenComplete { _ in
            bound.value.close(promise: nil)
        }
    }
}
