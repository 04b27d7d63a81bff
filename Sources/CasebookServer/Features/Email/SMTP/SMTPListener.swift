import CasebookMail
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// The built-in SMTP listener: accepts mail for our addresses and hands each message to `deliver`.
final class SMTPListener: Sendable {
    private let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// The port actually bound (useful when asked for port 0).
    var port: Int? { channel.localAddress?.port }

    /// Binds the listener; fails when the address is taken or the certificate cannot be read.
    static func start(host: String, port: Int, policy: SMTPServerSession.Policy, tls: NIOSSLContext?,
                      group: any EventLoopGroup, idleTimeout: TimeAmount = .minutes(5),
                      deliver: @escaping SMTPDelivery) async throws -> SMTPListener {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                    try channel.pipeline.syncOperations.addHandler(SMTPConnectionHandler(policy: policy, tls: tls, deliver: deliver))
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        return SMTPListener(channel: channel)
    }

    /// Builds the TLS context STARTTLS uses from PEM files.
    static func tlsContext(certificatePath: String, keyPath: String) throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        return try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
    }

    /// Stops accepting connections.
    func stop() async {
        try? await channel.close()
    }
}
