import CasebookMail
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// The built-in SMTP listener: accepts mail for our addresses and hands each message to `deliver`.
final class SMTPListener: Sendable {
    private let channel: any Channel
    private let connections: OpenConnections

    private init(channel: any Channel, connections: OpenConnections) {
        self.channel = channel
        self.connections = connections
    }

    /// The port actually bound (useful when asked for port 0).
    var port: Int? { channel.localAddress?.port }

    /// Binds the listener; fails when the address is taken or the certificate cannot be read.
    static func start(host: String, port: Int, policy: SMTPServerSession.Policy, tls: NIOSSLContext?,
                      group: any EventLoopGroup, idleTimeout: TimeAmount = .minutes(5),
                      deliver: @escaping SMTPDelivery) async throws -> SMTPListener {
        let connections = OpenConnections()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                connections.add(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                    try channel.pipeline.syncOperations.addHandler(SMTPConnectionHandler(policy: policy, tls: tls, deliver: deliver))
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        return SMTPListener(channel: channel, connections: connections)
    }

    /// Builds the TLS context STARTTLS uses from PEM files.
    static func tlsContext(certificatePath: String, keyPath: String) throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        return try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
    }

    /// Stops accepting connections, lets every transaction under way finish (its message stored and answered 250) and
    /// says 421 to every connection between transactions; after `grace` it cuts what is left, whose sender, never
    /// having had its 250, delivers the message again, to this instance or another.
    func stop(grace: Duration = .zero) async {
        try? await channel.close()
        for connection in connections.open {
            connection.pipeline.fireUserInboundEventTriggered(SMTPConnectionHandler.Stopping())
        }
        let deadline = ContinuousClock.now + grace
        while !connections.open.isEmpty, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        for connection in connections.open {
            try? await connection.close()
        }
    }
}

/// The listener's open connections, so a stop can tell each one and wait for them.
private final class OpenConnections: Sendable {
    private let channels = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])

    var open: [any Channel] { channels.withLockedValue { Array($0.values) } }

    func add(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        channels.withLockedValue { $0[id] = channel }
        channel.closeFuture.whenComplete { _ in
            self.channels.withLockedValue { $0[id] = nil }
        }
    }
}
