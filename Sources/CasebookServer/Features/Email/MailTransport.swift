import CasebookCore
import CasebookMail
import Foundation
import NIOCore

/// Where composed mail goes: a relay over SMTP, .eml files for development and tests, or nowhere.
enum MailTransport: Sendable {
    case smtp(SMTPRelayClient)
    /// Writes each message as `<outbound id>.eml` in the directory.
    case file(directory: String)
    /// Sending is switched off; messages stay in the outbox as queued.
    case none

    func send(_ raw: Data, id: UUID, from sender: String, to recipients: [String]) async throws {
        switch self {
        case let .smtp(client):
            try await client.send(raw, from: sender, to: recipients)
        case let .file(directory):
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = (directory as NSString).appendingPathComponent("\(id.uuidString.lowercased()).eml")
            // Written beside and renamed, so a reader never sees half a message.
            let temporary = path + ".part"
            try raw.write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else { throw DomainError.conflict("Could not write \(path) (errno \(errno)).") }
        case .none:
            throw DomainError.conflict("Outbound mail is switched off (CASEBOOK_MAIL_TRANSPORT=none).")
        }
    }

    /// The transport the configuration names.
    /// The user and an access token for the relay (`fresh`: not the cached one), when it signs in with OAuth2.
    typealias RelayTokens = @Sendable (_ fresh: Bool) async throws -> (user: String, token: String)

    static func make(_ settings: CasebookConfiguration.OutboundSettings, dataDirectory: String, group: any EventLoopGroup,
                     relayTokens: RelayTokens? = nil) -> MailTransport {
        switch settings.transport {
        case .file:
            return .file(directory: settings.fileDirectory ?? (dataDirectory as NSString).appendingPathComponent("outbox"))
        case .none:
            return .none
        case .smtp:
            var client = SMTPRelayClient(host: settings.relayHost, port: settings.relayPort, heloName: settings.heloName,
                                         tls: settings.relayTLS, verifyCertificates: settings.verifyCertificates,
                                         username: settings.relayUsername, password: settings.relayPassword, group: group)
            client.oauth = relayTokens
            return .smtp(client)
        }
    }
}
