import CasebookCore
import Fluent
import SQLKit
import Vapor

/// Changes a person's details, role, organisation or active flag; deactivated people can no
/// longer sign in or use their tokens (authentication checks `active` on every request).
struct ChangeUser {
    let services: CasebookServices
    let hasher: any PasswordHasher

    /// A new password ends the person's other sessions and revokes their API tokens; `session` is the caller's own
    /// session, kept when they change their own password in the browser.
    func run(_ id: UUID, _ input: UserPatchRequest, by current: CurrentActor, session: SessionID? = nil,
             on db: any Database) async throws -> UserModel {
        guard let user = try await UserModel.find(id, on: db) else { throw DomainError.notFound("The person") }
        let currentRole = Role(rawValue: user.role) ?? .customer
        let isSelf = id == current.user.id
        if !(isSelf && input.onlyPersonalDetails) {
            // Changing someone else (or one's own role, tier, organisation or active flag) is people management,
            // judged for both the role they have and the role they would get.
            for role in [currentRole, input.role ?? currentRole] {
                switch AccessPolicy.decide(.managePeople(targetRole: role), for: current.actor) {
                case .allowed: continue
                case .forbidden: throw current.actor.role == .customer ? DomainError.notFound("The person") : DomainError.forbidden("You may not do this.")
                case .hidden: throw DomainError.notFound("The person")
                }
            }
        }
        if isSelf, input.active == false { throw DomainError.invalid("active", "cannot be set to false on your own account") }
        if let name = input.name { user.name = try Validate.name(name, field: "name") }
        if let role = input.role { user.role = role.rawValue }
        switch input.phone {
        case .absent: break
        case .null: user.phone = nil
        case let .value(phone): user.phone = try Validate.name(phone, field: "phone", max: 40)
        }
        if let language = input.language { user.language = try Validate.language(language) }
        if let timeZone = input.timeZone { user.timeZone = try Validate.timeZone(timeZone) }
        if let languages = input.writesLanguages { user.writesLanguages = ReplyReview.stored(try Validate.writtenLanguages(languages)) }
        switch input.organisationID {
        case .absent: break
        case .null: user.organisationID = nil
        case let .value(organisationID):
            guard try await OrganisationModel.find(organisationID, on: db) != nil else {
                throw DomainError.invalid("organisation_id", "names no known organisation")
            }
            user.organisationID = organisationID
        }
        if let tier = input.tier {
            guard (1...9).contains(tier) else { throw DomainError.invalid("tier", "must be between 1 and 9") }
            user.tier = tier
        }
        if let active = input.active { user.active = active }
        if let password = input.password {
            guard password.count >= 10, password.count <= 200 else { throw DomainError.invalid("password", "must be 10 to 200 characters") }
            user.passwordHash = try hasher.hash(password)
        }
        try await user.update(on: db)
        if input.password != nil {
            let sql = services.store.sql(db)
            try await WebSessions.end(of: id, keeping: isSelf ? session : nil, on: sql)
            try await sql.update(ApiTokenModel.schema).set("revoked_at", to: services.clock()).where("user_id", .equal, id)
                .where("revoked_at", .is, SQLLiteral.null).run()
        }
        return user
    }
}
