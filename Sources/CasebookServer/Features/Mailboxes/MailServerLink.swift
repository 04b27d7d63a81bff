import CasebookMail
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// How a connection to a mail server is secured.
enum MailSecurity: String, Sendable, Codable, CaseIterable {
    /// TLS from the first byte (IMAPS 993, POP3S 995).
    case tls
    /// Plain, then upgraded with STARTTLS (IMAP 143); refused when the server does not offer it.
    case starttls
    /// No encryption: only for a server on this machine.
    case none
}

/// Where and how to reach a mail server.
struct MailServerSettings: Sendable {
    var host: String
    var port: Int
    var security: MailSecurity
    var verifyCertificates: Bool
    /// Extra roots to trust (a company's own CA), PEM.
    var caCertificates: String?
    /// How long to wait for any one answer.
    var timeout: TimeAmount = .seconds(60)

    func tlsHandler() throws -> NIOSSLClientHandler {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !verifyCertificates { configuration.certificateVerification = .none }
        if let pem = caCertificates, !pem.isEmpty {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)))
        }
        let hostname = host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" } ? nil : host
        return try NIOSSLClientHandler(context: NIOSSLContext(configuration: configuration), serverHostname: hostname)
    }
}

/// Why talking to a mail server failed, in words an admin can act on.
enum MailServerError: Error, CustomStringConvertible, Sendable {
    case timeout(String)
    case closed
    case refused(step: String, answer: String)
    case unexpected(String)
    case tlsUnavailable
    case unreachable(String)
    case secureConnection(String)

    var description: String {
        switch self {
        case .timeout(let step): "the server did not answer \(step) in time"
        case .closed: "the server closed the connection"
        case .refused(let step, let answer): "the server refused \(step): \(answer)"
        case .unexpected(let what): "the server sent something unexpected: \(what)"
        case .tlsUnavailable: "the server does not offer STARTTLS, so the password would cross the network in the clear"
        case .unreachable(let what): "could not reach \(what)"
        case .secureConnection(let what): "could not set up a secure connection: \(what)"
        }
    }
}

/// Opens a TCP connection (with TLS when asked) whose incoming bytes feed `feed`, and whose loss or failure calls `fail`.
enum MailServerLink {
    static func connect(_ settings: MailServerSettings, group: any EventLoopGroup, feed: @escaping @Sendable ([UInt8]) -> Void,
                        fail: @escaping @Sendable (any Error) -> Void) async throws -> any Channel {
        do {
            return try await ClientBootstrap(group: group)
                .connectTimeout(settings.timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if settings.security == .tls { try channel.pipeline.syncOperations.addHandler(try settings.tlsHandler()) }
                        try channel.pipeline.syncOperations.addHandler(ByteFeeder(feed: feed, fail: fail))
                    }
                }
                .connect(host: settings.host, port: settings.port).get()
        } catch {
            throw MailServerError.unreachable("\(settings.host):\(settings.port) (\(error))")
        }
    }

    /// Connects, and hands what `reader` makes of the incoming bytes (responses, lines) to the inbox it answers.
    static func open<Reader: MailStreamReader>(_ settings: MailServerSettings, group: any EventLoopGroup,
                                               reader: Reader) async throws -> (any Channel, MailInbox<Reader.Item>) {
        let loop = group.next()
        let inbox = MailInbox<Reader.Item>(loop: loop)
        let state = NIOLockedValueBox(reader)
        let channel = try await connect(settings, group: loop, feed: { bytes in
            do {
                let items = try state.withLockedValue { reader -> [Reader.Item] in
                    reader.add(bytes)
                    var found: [Reader.Item] = []
                    while let item = try reader.nextItem() { found.append(item) }
                    return found
                }
                inbox.deliver(items)
            } catch {
                inbox.fail(error)
            }
        }, fail: { inbox.fail($0) })
        return (channel, inbox)
    }

    /// Puts TLS under an open connection (after STARTTLS was accepted).
    static func startTLS(on channel: any Channel, _ settings: MailServerSettings) async throws {
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(try settings.tlsHandler(), position: .first)
        }.get()
    }

    static func write(_ text: String, to channel: any Channel) async throws {
        try await channel.writeAndFlush(channel.allocator.buffer(string: text)).get()
    }
}

/// Something that cuts a byte stream into items: IMAP responses, POP3 lines.
protocol MailStreamReader: Sendable {
    associatedtype Item: Sendable
    mutating func add(_ bytes: [UInt8])
    mutating func nextItem() throws -> Item?
}

extension IMAPResponseReader: MailStreamReader {
    mutating func add(_ bytes: [UInt8]) { add(bytes[...]) }
    mutating func nextItem() throws -> IMAPResponse? { try next() }
}

extension MailLineReader: MailStreamReader {
    mutating func add(_ bytes: [UInt8]) { add(bytes[...]) }
    mutating func nextItem() throws -> [UInt8]? { try next() }
}

/// Hands each read's bytes on, and reports the connection's end.
private final class ByteFeeder: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private let feed: @Sendable ([UInt8]) -> Void
    private let fail: @Sendable (any Error) -> Void

    init(feed: @escaping @Sendable ([UInt8]) -> Void, fail: @escaping @Sendable (any Error) -> Void) {
        self.feed = feed
        self.fail = fail
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        feed(buffer.readBytes(length: buffer.readableBytes) ?? [])
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(MailServerError.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }
}

/// Answers read from a connection, waited for one at a time with a time limit.
final class MailInbox<Item: Sendable>: Sendable {
    private struct Waiter {
        var id: Int
        var continuation: CheckedContinuation<Item?, any Error>
        var timer: Scheduled<Void>?
    }

    private struct State {
        var queue = CircularBuffer<Item>()
        var error: (any Error)?
        var waiter: Waiter?
        var nextWaiter = 0
    }

    private let state = NIOLockedValueBox(State())
    private let loop: any EventLoop

    init(loop: any EventLoop) {
        self.loop = loop
    }

    func deliver(_ items: [Item]) {
        guard !items.isEmpty else { return }
        let waiter = state.withLockedValue { state -> Waiter? in
            state.queue.append(contentsOf: items)
            guard let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        guard let waiter else { return }
        waiter.timer?.cancel()
        let item = state.withLockedValue { $0.queue.popFirst() }
        waiter.continuation.resume(returning: item)
    }

    func fail(_ error: any Error) {
        let waiter = state.withLockedValue { state -> Waiter? in
            if state.error == nil { state.error = error }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.timer?.cancel()
        waiter?.continuation.resume(throwing: error)
    }

    /// The next item, nil when none came within `timeout`, or the connection's error once every item was read.
    func next(timeout: TimeAmount) async throws -> Item? {
        try await withCheckedThrowingContinuation { continuation in
            let outcome = state.withLockedValue { state -> Result<Item?, any Error>? in
                if let item = state.queue.popFirst() { return .success(item) }
                if let error = state.error { return .failure(error) }
                state.nextWaiter += 1
                state.waiter = Waiter(id: state.nextWaiter, continuation: continuation)
                return nil
            }
            if let outcome {
                continuation.resume(with: outcome)
                return
            }
            let id = state.withLockedValue { $0.nextWaiter }
            let timer = loop.scheduleTask(in: timeout) { [self] in expire(id) }
            let stillWaiting = state.withLockedValue { state -> Bool in
                guard state.waiter?.id == id else { return false }
                state.waiter?.timer = timer
                return true
            }
            if !stillWaiting { timer.cancel() }
        }
    }

    private func expire(_ id: Int) {
        let waiter = state.withLockedValue { state -> Waiter? in
            guard let waiter = state.waiter, waiter.id == id else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.continuation.resume(returning: nil)
    }
}
