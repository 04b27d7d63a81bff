import CasebookMail
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Starts and stops the work that runs beside the HTTP server: the job loop and the SMTP listener.
final class BackgroundWork: LifecycleHandler {
    private let listener = NIOLockedValueBox<SMTPListener?>(nil)

    /// The SMTP listener's bound port, once it runs.
    var smtpPort: Int? { listener.withLockedValue { $0?.port } }

    func didBootAsync(_ application: Application) async throws {
        let services = application.casebook
        if services.configuration.runsJobs {
            try await application.jobs.recoverAfterRestart()
            application.jobs.start()
        }
        guard let settings = services.configuration.smtp else { return }
        let tls = try settings.tlsCertificatePath.map { certificate in
            try SMTPListener.tlsContext(certificatePath: certificate, keyPath: settings.tlsKeyPath ?? "")
        }
        let policy = SMTPServerSession.Policy(
            hostname: settings.hostname, maxMessageBytes: ReceiveEmail.maxBytes, offersTLS: tls != nil,
            requiresTLS: settings.requiresTLS, acceptsRecipient: { settings.accepts($0) })
        let runner = application.jobs
        let started = try await SMTPListener.start(
            host: settings.host, port: settings.port, policy: policy, tls: tls, group: application.eventLoopGroup
        ) { envelope, bytes, peer in
            try await Self.store(envelope, bytes, from: peer, services: services, settings: settings, runner: runner)
        }
        listener.withLockedValue { $0 = started }
        application.logger.notice("SMTP listener started", metadata: ["address": "\(settings.host):\(started.port ?? settings.port)"])
    }

    func shutdownAsync(_ application: Application) async {
        let running = listener.withLockedValue { value -> SMTPListener? in
            defer { value = nil }
            return value
        }
        await running?.stop()
        await application.jobs.stop()
    }

    /// Stores one message received over SMTP, with our trace line on top, and wakes the job loop.
    private static func store(_ envelope: SMTPEnvelope, _ bytes: [UInt8], from peer: SMTPPeer, services: CasebookServices,
                              settings: CasebookConfiguration.SMTPSettings, runner: JobRunner) async throws -> String {
        let traceID = String(UUID().uuidString.prefix(8)).lowercased()
        // Return-Path keeps the envelope sender with the message, as a final delivery does (RFC 5321 4.4).
        var raw = Data("Return-Path: <\(envelope.sender)>\r\n".utf8)
        raw.append(contentsOf: ReceivedHeader.line(envelope: envelope, peer: peer.address, by: settings.hostname, tls: peer.tls,
                                           id: traceID, at: services.clock()).utf8)
        raw.append(contentsOf: bytes)
        let accepted = try await ReceiveEmail(services: services).accept(raw)
        runner.nudge()
        return accepted.id.uuidString.lowercased()
    }
}
