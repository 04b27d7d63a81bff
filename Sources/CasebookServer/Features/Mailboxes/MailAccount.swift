import CasebookCore
import Foundation

/// A mailbox at the team's mail server (Microsoft 365, Google Workspace, their own) that Casebook fetches mail from.
struct MailAccount: Sendable, Equatable {
    /// What becomes of a message on the server once it is stored here and turned into a case or reply.
    enum AfterImport: String, Sendable, CaseIterable {
        case seen, move, delete
    }

    /// Which messages already in the folder the first fetch takes.
    enum FirstImport: String, Sendable, CaseIterable {
        /// Those not yet read, then everything that arrives.
        case unseen
        /// Everything in the folder.
        case all
        /// Only what arrives from now on.
        case new
    }

    enum MailProtocol: String, Sendable, CaseIterable {
        case imap, pop3
    }

    /// How Casebook signs in to the mailbox.
    enum Authentication: String, Sendable, CaseIterable {
        case password
        /// SASL XOAUTH2 with an access token from the provider's token endpoint (Microsoft 365 and Gmail require it).
        case oauth2
    }

    /// Where and how access tokens are had: a refresh token, traded at the token endpoint for short-lived access tokens.
    struct OAuth: Sendable, Equatable {
        var tokenURL: String
        var clientID: String
        var clientSecret: String?
        var scope: String?
        var refreshToken: String
        var accessToken: String?
        var expiresAt: Date?
    }

    var id: UUID
    var name: String
    var mailProtocol: MailProtocol
    var host: String
    var port: Int
    var security: MailSecurity
    var verifyCertificates: Bool
    var caCertificates: String?
    var username: String
    var password: String?
    var authentication: Authentication = .password
    var oauth: OAuth?
    var folder: String
    var afterImport: AfterImport
    var moveTo: String?
    var firstImport: FirstImport
    /// How often to look for mail where the server offers no IDLE.
    var pollSeconds: Int
    var active: Bool
    /// The team's address its mail is to: new cases from it are on that address.
    var mailAddressID: UUID? = nil
    var uidValidity: Int64?
    var lastUID: Int64
    /// Messages stored from this account, and how many of those could not be applied (counted, not kept).
    var importedCount: Int64
    var failedCount: Int64
    var lastFetchAt: Date?
    var lastError: String?
    var leaseOwner: String?
    var leaseUntil: Date?
    var createdAt: Date
    var updatedAt: Date

    var serverSettings: MailServerSettings {
        MailServerSettings(host: host, port: port, security: security, verifyCertificates: verifyCertificates, caCertificates: caCertificates)
    }

    /// The standard port for a protocol and security.
    static func defaultPort(_ mailProtocol: MailProtocol, _ security: MailSecurity) -> Int {
        switch mailProtocol {
        case .imap: security == .tls ? 993 : 143
        case .pop3: security == .tls ? 995 : 110
        }
    }
}
