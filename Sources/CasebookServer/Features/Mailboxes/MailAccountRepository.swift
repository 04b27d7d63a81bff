import CasebookCore
import Foundation
import SQLKit

/// The `mail_accounts` table: settings, where fetching left off, and the lease that keeps one fetcher per account.
enum MailAccountRepository {
    static func all(activeOnly: Bool = false, on sql: any SQLDatabase) async throws -> [MailAccount] {
        let filter: SQLQueryString = activeOnly ? "WHERE a.active = \(bind: true)" : ""
        return try await sql.raw("\(unsafeRaw: selection) \(filter) ORDER BY a.name").all().map(decode)
    }

    static func find(_ id: UUID, on sql: any SQLDatabase) async throws -> MailAccount? {
        try await sql.raw("\(unsafeRaw: selection) WHERE a.id = \(bind: id)").first().map(decode)
    }

    /// Every column, with the figures counted from the messages stored from each account.
    private static var selection: String {
        "SELECT " + columns.map { "a.\($0)" }.joined(separator: ", ") + """
            , COALESCE(f.stored, 0) AS imported_count, COALESCE(f.failed, 0) AS failed_count FROM mail_accounts a LEFT JOIN (
              SELECT mail_account_id, COUNT(*) AS stored, CAST(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS BIGINT) AS failed
              FROM inbound_messages WHERE mail_account_id IS NOT NULL GROUP BY mail_account_id) f ON f.mail_account_id = a.id
            """
    }

    static func insert(_ account: MailAccount, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "mail_accounts").columns(columns).values(values(account)).run()
    }

    /// Saves the settings an admin changes; where fetching left off and the lease are the fetcher's own.
    static func updateSettings(_ account: MailAccount, resetPosition: Bool, on sql: any SQLDatabase) async throws {
        var update = sql.update("mail_accounts")
        for (column, value) in zip(columns, values(account)) where settingColumns.contains(column) { update = update.set(SQLColumn(column), to: value) }
        if resetPosition {
            update = update.set("uid_validity", to: SQLLiteral.null).set("last_uid", to: SQLBind(Int64(0)))
        }
        try await update.where("id", .equal, account.id).run()
    }

    static func delete(_ id: UUID, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "mail_account_uids").where("account_id", .equal, id).run()
        try await sql.delete(from: "mail_accounts").where("id", .equal, id).run()
    }

    /// The POP3 unique ids already taken from an account, each with whether it was applied.
    static func takenUIDs(of id: UUID, on sql: any SQLDatabase) async throws -> [String: Bool] {
        var taken: [String: Bool] = [:]
        for row in try await sql.select().columns("uid", "applied").from("mail_account_uids").where("account_id", .equal, id).all() {
            taken[try row.decode(column: "uid", as: String.self)] = try row.decode(column: "applied", as: Bool.self)
        }
        return taken
    }

    static func noteTaken(_ id: UUID, uid: String, applied: Bool, now: Date, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "mail_account_uids").where("account_id", .equal, id).where("uid", .equal, uid).run()
        try await sql.insert(into: "mail_account_uids").columns("account_id", "uid", "applied", "taken_at")
            .values(SQLBind(id), SQLBind(uid), SQLBind(applied), SQLBind(now)).run()
    }

    /// Forgets unique ids the server no longer lists (deleted there), so the table stays the size of the mailbox.
    static func forgetUIDs(of id: UUID, except kept: Set<String>, on sql: any SQLDatabase) async throws {
        let gone = try await takenUIDs(of: id, on: sql).keys.filter { !kept.contains($0) }
        for chunk in stride(from: 0, to: gone.count, by: 500).map({ Array(gone[$0..<min($0 + 500, gone.count)]) }) {
            try await sql.delete(from: "mail_account_uids").where("account_id", .equal, id).where("uid", .in, chunk).run()
        }
    }

    /// Takes or renews the account's lease for `owner` until `until`; false when another owner holds an unexpired one.
    /// Asks whichever instance fetches the account to look now.
    static func requestFetch(_ id: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("mail_accounts").set("fetch_requested_at", to: now).where("id", .equal, id).run()
    }

    /// When someone last asked for a look now, if they did.
    static func fetchRequested(_ id: UUID, on sql: any SQLDatabase) async throws -> Date? {
        try await sql.select().column("fetch_requested_at").from("mail_accounts").where("id", .equal, id).first()?
            .decode(column: "fetch_requested_at", as: Date?.self)
    }

    static func lease(_ id: UUID, owner: String, now: Date, until: Date, on sql: any SQLDatabase) async throws -> Bool {
        let rows = try await sql.update("mail_accounts").set("lease_owner", to: owner).set("lease_until", to: until)
            .where("id", .equal, id).where("active", .equal, true)
            .where { group in
                group.where("lease_owner", .is, SQLLiteral.null).orWhere("lease_owner", .equal, owner).orWhere("lease_until", .lessThan, now)
            }
            .returning("id").all()
        return !rows.isEmpty
    }

    /// Gives the lease up, if `owner` still holds it.
    static func release(_ id: UUID, owner: String, on sql: any SQLDatabase) async throws {
        try await sql.update("mail_accounts").set("lease_owner", to: SQLLiteral.null).set("lease_until", to: SQLLiteral.null)
            .where("id", .equal, id).where("lease_owner", .equal, owner).run()
    }

    /// Records where fetching got to, only while `owner` holds the lease (false otherwise: someone else fetches now).
    static func advance(_ id: UUID, owner: String, uidValidity: Int64?, lastUID: Int64, now: Date, on sql: any SQLDatabase) async throws -> Bool {
        let rows = try await sql.update("mail_accounts").set("uid_validity", to: uidValidity).set("last_uid", to: lastUID)
            .set("last_fetch_at", to: now)
            .where("id", .equal, id).where("lease_owner", .equal, owner).returning("id").all()
        return !rows.isEmpty
    }

    /// Keeps a fresh access token (and the refresh token, which some providers replace at every use).
    static func noteTokens(_ id: UUID, access: String?, expiresAt: Date?, refresh: String, on sql: any SQLDatabase) async throws {
        try await sql.update("mail_accounts").set("oauth_access_token", to: access).set("oauth_expires_at", to: expiresAt)
            .set("oauth_refresh_token", to: refresh).where("id", .equal, id).run()
    }

    /// Records how the last pass ended (`error`: what it left on the server, or nil); the server was reached.
    static func noteOutcome(_ id: UUID, error: String?, now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("mail_accounts").set("last_error", to: error.map { String($0.prefix(500)) }).set("last_fetch_at", to: now)
            .set("failing_since", to: SQLLiteral.null).set("alerted_at", to: SQLLiteral.null)
            .where("id", .equal, id).run()
    }

    /// Records an attempt that could not reach, sign in to or read the server; answers since when attempts fail and
    /// whether admins were told already.
    static func noteFailure(_ id: UUID, error: String, now: Date, on sql: any SQLDatabase) async throws -> (since: Date, alerted: Bool) {
        try await sql.update("mail_accounts").set("last_error", to: String(error.prefix(500))).set("last_fetch_at", to: now)
            .set(SQLIdentifier("failing_since"), to: SQLFunction("COALESCE", args: SQLIdentifier("failing_since"), SQLBind(now)))
            .where("id", .equal, id).run()
        guard let row = try await sql.select().columns("failing_since", "alerted_at").from("mail_accounts").where("id", .equal, id).first() else {
            return (now, true)
        }
        return (try row.decode(column: "failing_since", as: Date?.self) ?? now, try row.decode(column: "alerted_at", as: Date?.self) != nil)
    }

    static func noteAlerted(_ id: UUID, now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("mail_accounts").set("alerted_at", to: now).where("id", .equal, id).run()
    }

    private static let settingColumns: Set<String> = ["name", "protocol", "host", "port", "security", "verify_certificates", "ca_certificates",
                                                      "username", "password", "auth", "oauth_token_url", "oauth_client_id", "oauth_client_secret",
                                                      "oauth_scope", "oauth_refresh_token", "oauth_access_token", "oauth_expires_at", "folder", "after_import", "move_to", "first_import",
                                                      "poll_seconds", "active", "mail_address_id", "updated_at"]

    private static let columns = ["id", "name", "protocol", "host", "port", "security", "verify_certificates", "ca_certificates", "username",
                                  "password", "auth", "oauth_token_url", "oauth_client_id", "oauth_client_secret", "oauth_scope", "oauth_refresh_token",
                                  "oauth_access_token", "oauth_expires_at", "folder", "after_import", "move_to", "first_import", "poll_seconds", "active", "mail_address_id", "uid_validity",
                                  "last_uid", "last_fetch_at", "last_error", "lease_owner", "lease_until",
                                  "created_at", "updated_at"]

    private static func values(_ a: MailAccount) -> [any SQLExpression] {
        [SQLBind(a.id), SQLBind(a.name), SQLBind(a.mailProtocol.rawValue), SQLBind(a.host), SQLBind(a.port), SQLBind(a.security.rawValue),
         SQLBind(a.verifyCertificates), SQLBind(a.caCertificates), SQLBind(a.username), SQLBind(a.password), SQLBind(a.authentication.rawValue),
         SQLBind(a.oauth?.tokenURL), SQLBind(a.oauth?.clientID), SQLBind(a.oauth?.clientSecret), SQLBind(a.oauth?.scope),
         SQLBind(a.oauth?.refreshToken), SQLBind(a.oauth?.accessToken), SQLBind(a.oauth?.expiresAt), SQLBind(a.folder),
         SQLBind(a.afterImport.rawValue), SQLBind(a.moveTo), SQLBind(a.firstImport.rawValue), SQLBind(a.pollSeconds), SQLBind(a.active), SQLBind(a.mailAddressID),
         SQLBind(a.uidValidity), SQLBind(a.lastUID), SQLBind(a.lastFetchAt),
         SQLBind(a.lastError), SQLBind(a.leaseOwner), SQLBind(a.leaseUntil), SQLBind(a.createdAt), SQLBind(a.updatedAt)]
    }

    private static func decode(_ row: any SQLRow) throws -> MailAccount {
        var account = try decodeSettings(row)
        account.mailAddressID = try row.decode(column: "mail_address_id", as: UUID?.self)
        account.authentication = MailAccount.Authentication(rawValue: try row.decode(column: "auth", as: String.self)) ?? .password
        if let tokenURL = try row.decode(column: "oauth_token_url", as: String?.self),
           let refreshToken = try row.decode(column: "oauth_refresh_token", as: String?.self) {
            account.oauth = MailAccount.OAuth(
                tokenURL: tokenURL, clientID: try row.decode(column: "oauth_client_id", as: String?.self) ?? "",
                clientSecret: try row.decode(column: "oauth_client_secret", as: String?.self), scope: try row.decode(column: "oauth_scope", as: String?.self),
                refreshToken: refreshToken, accessToken: try row.decode(column: "oauth_access_token", as: String?.self),
                expiresAt: try row.decode(column: "oauth_expires_at", as: Date?.self))
        }
        return account
    }

    private static func decodeSettings(_ row: any SQLRow) throws -> MailAccount {
        MailAccount(
            id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
            mailProtocol: MailAccount.MailProtocol(rawValue: try row.decode(column: "protocol", as: String.self)) ?? .imap,
            host: try row.decode(column: "host", as: String.self), port: try row.decode(column: "port", as: Int.self),
            security: MailSecurity(rawValue: try row.decode(column: "security", as: String.self)) ?? .tls,
            verifyCertificates: try row.decode(column: "verify_certificates", as: Bool.self),
            caCertificates: try row.decode(column: "ca_certificates", as: String?.self), username: try row.decode(column: "username", as: String.self),
            password: try row.decode(column: "password", as: String?.self), folder: try row.decode(column: "folder", as: String.self),
            afterImport: MailAccount.AfterImport(rawValue: try row.decode(column: "after_import", as: String.self)) ?? .seen,
            moveTo: try row.decode(column: "move_to", as: String?.self),
            firstImport: MailAccount.FirstImport(rawValue: try row.decode(column: "first_import", as: String.self)) ?? .unseen,
            pollSeconds: try row.decode(column: "poll_seconds", as: Int.self), active: try row.decode(column: "active", as: Bool.self),
            uidValidity: try row.decode(column: "uid_validity", as: Int64?.self), lastUID: try row.decode(column: "last_uid", as: Int64.self),
            importedCount: try row.decode(column: "imported_count", as: Int64.self), failedCount: try row.decode(column: "failed_count", as: Int64.self),
            lastFetchAt: try row.decode(column: "last_fetch_at", as: Date?.self), lastError: try row.decode(column: "last_error", as: String?.self),
            leaseOwner: try row.decode(column: "lease_owner", as: String?.self), leaseUntil: try row.decode(column: "lease_until", as: Date?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }
}
