import CasebookCore
import Foundation
import Vapor

/// A mail account as created or changed; absent members keep their value, an empty password keeps the one in place.
struct MailAccountWrite: Content {
    var name: String?
    /// Only when created: another protocol is another account.
    var mailProtocol: String?
    var host: String?
    var port: Int?
    var security: String?
    var verifyCertificates: Bool?
    var caCertificates: String?
    var username: String?
    var password: String?
    var authentication: String?
    var oauthTokenURL: String?
    var oauthClientID: String?
    var oauthClientSecret: String?
    var oauthScope: String?
    var oauthRefreshToken: String?
    var folder: String?
    var afterImport: String?
    var moveTo: String?
    var firstImport: String?
    var pollSeconds: Int?
    var active: Bool?
    /// Checked against the addresses here by the controller (it needs the database); empty clears it.
    var mailAddressID: String?

    enum CodingKeys: String, CodingKey {
        case name, host, port, security, username, password, folder, active
        case verifyCertificates = "verify_certificates", caCertificates = "ca_certificates", afterImport = "after_import"
        case moveTo = "move_to", firstImport = "first_import", pollSeconds = "poll_seconds", mailProtocol = "protocol", mailAddressID = "mail_address_id"
        case authentication = "auth", oauthTokenURL = "oauth_token_url", oauthClientID = "oauth_client_id"
        case oauthClientSecret = "oauth_client_secret", oauthScope = "oauth_scope", oauthRefreshToken = "oauth_refresh_token"
    }

    func applied(to account: MailAccount) throws -> MailAccount {
        var result = account
        if let mailProtocol, mailProtocol != account.mailProtocol.rawValue {
            guard MailAccount.MailProtocol(rawValue: mailProtocol) != nil else { throw DomainError.invalid("protocol", "must be imap or pop3") }
            throw DomainError.invalid("protocol", "cannot change: add another account for the other protocol")
        }
        if let name { result.name = try Validate.name(name, field: "name") }
        if let host { result.host = try Self.host(host) }
        if let security {
            guard let chosen = MailSecurity(rawValue: security) else { throw DomainError.invalid("security", "must be tls, starttls or none") }
            if port == nil, result.security != chosen, result.port == MailAccount.defaultPort(result.mailProtocol, result.security) {
                result.port = MailAccount.defaultPort(result.mailProtocol, chosen)
            }
            result.security = chosen
        }
        if let port {
            guard (1...65_535).contains(port) else { throw DomainError.invalid("port", "must be between 1 and 65535") }
            result.port = port
        }
        if let verifyCertificates { result.verifyCertificates = verifyCertificates }
        if let caCertificates { result.caCertificates = try DirectoryWrite.certificates(caCertificates) }
        if let username { result.username = try Self.text(username, field: "username", max: 320) }
        if let password, !password.isEmpty {
            guard password.count <= 1_000, !password.contains("\0") else { throw DomainError.invalid("password", "must be at most 1000 characters") }
            result.password = password
        }
        try applyAuthentication(to: &result)
        if let folder { result.folder = try Self.folder(folder, field: "folder") ?? "INBOX" }
        if let afterImport {
            guard let chosen = MailAccount.AfterImport(rawValue: afterImport) else { throw DomainError.invalid("after_import", "must be seen, move or delete") }
            result.afterImport = chosen
        }
        if let moveTo { result.moveTo = try Self.folder(moveTo, field: "move_to") }
        if let firstImport {
            guard let chosen = MailAccount.FirstImport(rawValue: firstImport) else { throw DomainError.invalid("first_import", "must be unseen, all or new") }
            result.firstImport = chosen
        }
        if let pollSeconds {
            guard (10...3_600).contains(pollSeconds) else { throw DomainError.invalid("poll_seconds", "must be between 10 and 3600") }
            result.pollSeconds = pollSeconds
        }
        if let active { result.active = active }
        if let mailAddressID {
            guard mailAddressID.isEmpty || UUID(uuidString: mailAddressID) != nil else { throw DomainError.invalid("mail_address_id", "must be an address's id") }
            result.mailAddressID = UUID(uuidString: mailAddressID)
        }
        try Self.check(result)
        return result
    }

    private func applyAuthentication(to result: inout MailAccount) throws {
        if let authentication {
            guard let chosen = MailAccount.Authentication(rawValue: authentication) else { throw DomainError.invalid("auth", "must be password or oauth2") }
            result.authentication = chosen
        }
        var oauth = result.oauth ?? MailAccount.OAuth(tokenURL: "", clientID: "", refreshToken: "")
        let before = oauth
        if let oauthTokenURL {
            let trimmed = oauthTokenURL.trimmingCharacters(in: .whitespaces)
            guard ProviderURL.isAcceptable(trimmed), trimmed.count <= 1_000 else {
                throw DomainError.invalid("oauth_token_url", "must be an https address (http only on this machine), such as https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token")
            }
            oauth.tokenURL = trimmed
        }
        if let oauthClientID { oauth.clientID = try Self.text(oauthClientID, field: "oauth_client_id", max: 500) }
        if let oauthClientSecret, !oauthClientSecret.isEmpty { oauth.clientSecret = try Self.text(oauthClientSecret, field: "oauth_client_secret", max: 2_000) }
        if let oauthScope { oauth.scope = try Self.text(oauthScope, field: "oauth_scope", max: 1_000).nilIfEmpty }
        if let oauthRefreshToken, !oauthRefreshToken.isEmpty { oauth.refreshToken = try Self.text(oauthRefreshToken, field: "oauth_refresh_token", max: 8_000) }
        if oauth != before {
            // Other credentials: the token cached for the old ones is no use.
            oauth.accessToken = nil
            oauth.expiresAt = nil
            result.oauth = oauth
        }
    }

    private static func check(_ account: MailAccount) throws {
        if account.authentication == .oauth2 {
            guard let oauth = account.oauth, !oauth.tokenURL.isEmpty else { throw DomainError.invalid("oauth_token_url", "is required for OAuth2") }
            if oauth.clientID.isEmpty { throw DomainError.invalid("oauth_client_id", "is required for OAuth2") }
            if oauth.refreshToken.isEmpty { throw DomainError.invalid("oauth_refresh_token", "is required for OAuth2") }
        }
        if account.mailProtocol == .pop3, account.afterImport == .move {
            throw DomainError.invalid("after_import", "cannot be move for POP3, which has no folders: choose seen (leave it on the server) or delete")
        }
        if account.mailProtocol == .pop3, account.folder.uppercased() != "INBOX" {
            throw DomainError.invalid("folder", "must be INBOX for POP3, which reads only the inbox")
        }
        if account.afterImport == .move, account.moveTo == nil {
            throw DomainError.invalid("move_to", "is required when mail is moved after import")
        }
        if account.afterImport == .move, account.moveTo?.caseInsensitiveCompare(account.folder) == .orderedSame {
            throw DomainError.invalid("move_to", "must be another folder than the one fetched")
        }
        // Beyond this machine, the mailbox password must not cross the network in the clear.
        if account.security == .none, !["127.0.0.1", "::1", "localhost"].contains(account.host) {
            throw DomainError.invalid("security", "must be tls or starttls for a server beyond this machine: the password would cross the network in the clear")
        }
        if account.username.isEmpty { throw DomainError.invalid("username", "is required") }
        if account.authentication == .password, account.password?.isEmpty ?? true { throw DomainError.invalid("password", "is required") }
    }

    private static func host(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !trimmed.isEmpty, trimmed.count <= 253,
              trimmed.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":") })
        else { throw DomainError.invalid("host", "must be a host name or address, such as outlook.office365.com") }
        // The local link is where cloud metadata services answer; no mail server lives there.
        let scope = NetworkAddress.scope(of: trimmed)
        guard scope != .linkLocal, scope != .reserved else { throw DomainError.invalid("host", "must not be a link-local or reserved address") }
        return trimmed
    }

    private static func text(_ value: String, field: String, max: Int) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard trimmed.count <= max, !trimmed.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw DomainError.invalid(field, "must be one line of at most \(max) characters")
        }
        return trimmed
    }

    private static func folder(_ value: String, field: String) throws -> String? {
        let trimmed = try text(value, field: field, max: 200)
        return trimmed.isEmpty ? nil : trimmed
    }
}

/// A mail account as the API shows it: everything but its password, with where fetching stands.
struct MailAccountView: Content {
    var id: UUID
    var name: String
    var mailProtocol: String
    var host: String
    var port: Int
    var security: String
    var verifyCertificates: Bool
    var caCertificates: String?
    var username: String
    var passwordSet: Bool
    var authentication: String
    var oauthTokenURL: String?
    var oauthClientID: String?
    var oauthScope: String?
    var oauthClientSecretSet: Bool
    var oauthRefreshTokenSet: Bool
    /// When the access token in hand runs out (a new one is fetched a minute before).
    var oauthTokenExpiresAt: Date?
    var folder: String
    var afterImport: String
    var moveTo: String?
    var firstImport: String
    var pollSeconds: Int
    var active: Bool
    var mailAddressID: UUID?
    var uidValidity: Int64?
    var lastUID: Int64
    var importedCount: Int64
    var failedCount: Int64
    var lastFetchAt: Date?
    var lastError: String?
    /// Which instance fetches it now (nil: none).
    var fetchedBy: String?
    var createdAt: Date
    var updatedAt: Date

    init(_ a: MailAccount, now: Date) {
        (id, name, mailProtocol, host, port, security) = (a.id, a.name, a.mailProtocol.rawValue, a.host, a.port, a.security.rawValue)
        (verifyCertificates, caCertificates, username, passwordSet) = (a.verifyCertificates, a.caCertificates, a.username, !(a.password?.isEmpty ?? true))
        (folder, afterImport, moveTo, firstImport, pollSeconds, active) = (a.folder, a.afterImport.rawValue, a.moveTo, a.firstImport.rawValue, a.pollSeconds, a.active)
        (uidValidity, lastUID, importedCount, failedCount) = (a.uidValidity, a.lastUID, a.importedCount, a.failedCount)
        (lastFetchAt, lastError, createdAt, updatedAt) = (a.lastFetchAt, a.lastError, a.createdAt, a.updatedAt)
        fetchedBy = (a.leaseUntil ?? .distantPast) > now ? a.leaseOwner : nil
        mailAddressID = a.mailAddressID
        authentication = a.authentication.rawValue
        (oauthTokenURL, oauthClientID, oauthScope) = (a.oauth?.tokenURL, a.oauth?.clientID, a.oauth?.scope)
        oauthClientSecretSet = !(a.oauth?.clientSecret ?? "").isEmpty
        oauthRefreshTokenSet = !(a.oauth?.refreshToken ?? "").isEmpty
        oauthTokenExpiresAt = a.oauth?.accessToken == nil ? nil : a.oauth?.expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, host, port, security, username, folder, active
        case mailProtocol = "protocol", verifyCertificates = "verify_certificates", caCertificates = "ca_certificates"
        case passwordSet = "password_set", afterImport = "after_import", moveTo = "move_to", firstImport = "first_import"
        case pollSeconds = "poll_seconds", uidValidity = "uid_validity", lastUID = "last_uid", importedCount = "imported_count"
        case failedCount = "failed_count", lastFetchAt = "last_fetch_at", lastError = "last_error", fetchedBy = "fetched_by"
        case createdAt = "created_at", updatedAt = "updated_at", authentication = "auth", oauthTokenURL = "oauth_token_url"
        case oauthClientID = "oauth_client_id", oauthScope = "oauth_scope", oauthClientSecretSet = "oauth_client_secret_set"
        case oauthRefreshTokenSet = "oauth_refresh_token_set", oauthTokenExpiresAt = "oauth_token_expires_at"
        case mailAddressID = "mail_address_id"
    }
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
