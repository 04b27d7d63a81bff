import CasebookCore
import Fluent
import Vapor

/// Adds a person (customer, agent, account manager or admin); used by the API and the CLI.
struct RegisterUser {
    let services: CasebookServices
    let hasher: any PasswordHasher

    func run(_ input: UserCreateRequest, on db: any Database) async throws -> UserModel {
        let email = try Validate.email(input.email)
        let name = try Validate.name(input.name, field: "name")
        let language = try Validate.language(input.language ?? "en")
        let timeZone = try Validate.timeZone(input.timeZone ?? "UTC")
        let writes = try input.writesLanguages.map(Validate.writtenLanguages)
        if let tier = input.tier, !(1...9).contains(tier) { throw DomainError.invalid("tier", "must be between 1 and 9") }
        if let organisationID = input.organisationID, try await OrganisationModel.find(organisationID, on: db) == nil {
            throw DomainError.invalid("organisation_id", "names no known organisation")
        }
        if try await UserRepository.find(email: email, on: db) != nil {
            throw DomainError.conflict("Someone with the email address \(email) already exists.")
        }
        var hash: String?
        if let password = input.password {
            guard password.count >= 10, password.count <= 200 else {
                throw DomainError.invalid("password", "must be 10 to 200 characters")
            }
            hash = try hasher.hash(password)
        }
        let user = UserModel(
            email: email, name: name, role: input.role.rawValue, phone: input.phone, language: language, timeZone: timeZone,
            organisationID: input.organisationID, tier: input.role.isStaff ? (input.tier ?? 1) : nil, passwordHash: hash,
            active: true, createdAt: services.clock())
        user.writesLanguages = writes.map(ReplyReview.stored)
        try await user.create(on: db)
        for groupID in input.groupIDs ?? [] {
            guard try await GroupModel.find(groupID, on: db) != nil else { throw DomainError.invalid("group_ids", "names an unknown group") }
            try await GroupMembershipModel(groupID: groupID, userID: user.requireID()).create(on: db)
        }
        return user
    }
}
