import CasebookCore
import Foundation
import SQLKit

/// Who a request acts as: the active person behind an API token or a session, with what authorisation needs of them,
/// in one query because every request asks it.
enum ActorRepository {
    /// The person found, and for a token its id and when it was last used.
    struct Found: Sendable {
        var actor: CurrentActor
        var tokenID: UUID?
        var tokenUsedAt: Date?
    }

    private static let columns = """
        users.id AS id, users.email AS email, users.name AS name, users.role AS role,
        users.organisation_id AS organisation_id, users.language AS language, users.time_zone AS time_zone,
        organisations.shares_cases AS shares
        """
    private static let from = "FROM users LEFT JOIN organisations ON organisations.id = users.organisation_id"

    /// The active holder of an unrevoked token with this hash.
    static func holder(ofTokenHash hash: String, on sql: any SQLDatabase) async throws -> Found? {
        guard let row = try await sql.raw("""
            SELECT \(unsafeRaw: columns), api_tokens.id AS token_id, api_tokens.last_used_at AS token_used \(unsafeRaw: from)
            JOIN api_tokens ON api_tokens.user_id = users.id
            WHERE api_tokens.token_hash = \(bind: hash) AND api_tokens.revoked_at IS NULL AND users.active = \(bind: true)
            """).first() else { return nil }
        return Found(actor: try actor(row, viaSession: false), tokenID: try row.decode(column: "token_id", as: UUID.self),
                     tokenUsedAt: try row.decode(column: "token_used", as: Date?.self))
    }

    /// The person a session names, while their account is active.
    static func activePerson(_ id: UUID, on sql: any SQLDatabase) async throws -> Found? {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: columns) \(unsafeRaw: from) WHERE users.id = \(bind: id) AND users.active = \(bind: true)")
            .first() else { return nil }
        return Found(actor: try actor(row, viaSession: true))
    }

    /// Notes when and from where a token was last used.
    static func noteTokenUse(_ id: UUID, at now: Date, client: String?, on sql: any SQLDatabase) async throws {
        try await sql.update("api_tokens").set("last_used_at", to: now).set("last_used_client", to: client).where("id", .equal, id).run()
    }

    private static func actor(_ row: any SQLRow, viaSession: Bool) throws -> CurrentActor {
        var current = CurrentActor(
            id: try row.decode(column: "id", as: UUID.self), email: try row.decode(column: "email", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .customer,
            organisationID: try row.decode(column: "organisation_id", as: UUID?.self),
            sharesCases: try row.decode(column: "shares", as: Bool?.self) ?? false, viaSession: viaSession)
        current.language = try row.decode(column: "language", as: String?.self)
        current.timeZone = try row.decode(column: "time_zone", as: String?.self)
        return current
    }
}
