import CasebookCore
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// One conversation with an LDAP server over TCP, plain, LDAPS or upgraded with StartTLS: one request at a time, each
/// answered with every message up to the one that ends it.
final class LDAPConnection: Sendable {
    struct Settings: Sendable {
        var host: String
        var port: Int
        /// `ldaps://`: TLS from the first byte.
        var implicitTLS: Bool
        var startTLS: Bool
        var verifyCertificates: Bool
        /// Extra roots to trust (a company's own CA), PEM.
        var caCertificates: String?
        var timeout: TimeAmount = .seconds(10)
    }

    private let channel: any Channel
    private let handler: LDAPFrameHandler
    private let nextID = NIOLockedValueBox(1)
    private let settings: Settings

    private init(channel: any Channel, handler: LDAPFrameHandler, settings: Settings) {
        self.channel = channel
        self.handler = handler
        self.settings = settings
    }

    static func connect(_ settings: Settings, group: any EventLoopGroup) async throws -> LDAPConnection {
        let handler = LDAPFrameHandler()
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(settings.timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if settings.implicitTLS { try channel.pipeline.syncOperations.addHandler(try makeTLSHandler(settings)) }
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .connect(host: settings.host, port: settings.port).get()
        let connection = LDAPConnection(channel: channel, handler: handler, settings: settings)
        if settings.startTLS && !settings.implicitTLS {
            let answer = try await connection.send(.startTLS)
            guard let done = answer.last, done.resultCode == 0 else {
                throw LDAPError.result(code: answer.last?.resultCode ?? -1, message: "StartTLS refused")
            }
            // TLS goes below the message framing, so everything after this answer is encrypted.
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(try makeTLSHandler(settings), position: .first)
            }.get()
        }
        return connection
    }

    private static func makeTLSHandler(_ settings: Settings) throws -> NIOSSLClientHandler {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !settings.verifyCertificates { configuration.certificateVerification = .none }
        if let pem = settings.caCertificates, !pem.isEmpty {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)))
        }
        let hostname = settings.host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" } ? nil : settings.host
        return try NIOSSLClientHandler(context: NIOSSLContext(configuration: configuration), serverHostname: hostname)
    }

    /// Sends one request and returns every message that answers it, the final one last.
    func send(_ request: LDAPRequest) async throws -> [LDAPResponse] {
        let id = nextID.withLockedValue { value -> Int in
            defer { value += 1 }
            return value
        }
        let bytes = try request.encoded(id: id)
        if case .unbind = request {
            try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes)).get()
            return []
        }
        let promise = channel.eventLoop.makePromise(of: [LDAPResponse].self)
        let seconds = settings.timeout.nanoseconds / 1_000_000_000
        let timeout = channel.eventLoop.scheduleTask(in: settings.timeout) {
            promise.fail(LDAPError.malformed("no answer within \(seconds) seconds"))
        }
        handler.expect(id: id, promise: promise, on: channel.eventLoop)
        channel.writeAndFlush(channel.allocator.buffer(bytes: bytes), promise: nil)
        defer { timeout.cancel() }
        return try await promise.futureResult.get()
    }

    /// Binds as `name`; false for wrong credentials (result 49), an error for anything else.
    func bind(_ name: String, password: String) async throws -> Bool {
        guard let done = try await send(.bind(name: name, password: password)).last else { return false }
        if done.resultCode == 49 { return false }
        guard done.resultCode == 0 else { throw LDAPError.result(code: done.resultCode, message: done.message) }
        return true
    }

    func search(base: String, scope: LDAPRequest.SearchScope = .subtree, filter: String, attributes: [String], sizeLimit: Int = 0) async throws -> [LDAPEntry] {
        let answer = try await send(.search(base: base, scope: scope, filter: filter, attributes: attributes, sizeLimit: sizeLimit))
        if let done = answer.last, done.resultCode != 0, done.resultCode != 4, done.resultCode != 32 {
            throw LDAPError.result(code: done.resultCode, message: done.message)
        }
        return answer.compactMap(\.entry)
    }

    func close() async {
        _ = try? await send(.unbind)
        try? await channel.close()
    }
}

/// Splits the byte stream into LDAP messages and hands each exchange's messages to the request waiting for them.
private final class LDAPFrameHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private struct Waiting {
        var id: Int
        var promise: EventLoopPromise<[LDAPResponse]>
        var collected: [LDAPResponse] = []
    }

    private struct State {
        var bytes: [UInt8] = []
        var waiting: Waiting?
    }

    private let state = NIOLockedValueBox(State())

    func expect(id: Int, promise: EventLoopPromise<[LDAPResponse]>, on loop: any EventLoop) {
        state.withLockedValue { $0.waiting = Waiting(id: id, promise: promise) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let incoming = buffer.readBytes(length: buffer.readableBytes) ?? []
        let finished: (EventLoopPromise<[LDAPResponse]>, Result<[LDAPResponse], any Error>)? = state.withLockedValue { state in
            state.bytes += incoming
            do {
                while let (element, used) = try BER.read(state.bytes) {
                    state.bytes.removeFirst(used)
                    let response = try LDAPResponse(element)
                    guard var waiting = state.waiting, waiting.id == response.id else { continue }
                    waiting.collected.append(response)
                    if response.isFinal {
                        state.waiting = nil
                        return (waiting.promise, .success(waiting.collected))
                    }
                    state.waiting = waiting
                }
            } catch {
                if let waiting = state.waiting {
                    state.waiting = nil
                    return (waiting.promise, .failure(error))
                }
            }
            return nil
        }
        if let (promise, result) = finished { promise.completeWith(result) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let waiting = state.withLockedValue { state -> Waiting? in
            defer { state.waiting = nil }
            return state.waiting
        }
        waiting?.promise.fail(LDAPError.malformed("a closed connection"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let waiting = state.withLockedValue { state -> Waiting? in
            defer { state.waiting = nil }
            return state.waiting
        }
        waiting?.promise.fail(error)
        context.close(promise: nil)
    }
}
