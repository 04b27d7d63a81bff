import CasebookCore
import Fluent
import Foundation

/// The person an email comes from: a known person, or a new customer (in the organisation that
/// owns the sender's domain, when one does).
struct ContactForSender {
    let services: CasebookServices

    /// The actor automatic notes are written as: the first active admin (mail comes in with an admin token).
    static func systemActor(on db: any Database) async throws -> CurrentActor {
        guard let admin = try await SenderRepository.firstActiveAdmin(on: db) else { throw DomainError.conflict("No active admin exists to record automatic mail.") }
        return try await CurrentActor.load(admin, on: db, channel: .email)
    }

    /// The sender as a contact, made when new (in `language` when the address they wrote to has one).
    func find(_ address: String, name: String?, language: String? = nil, on db: any Database) async throws -> CurrentActor {
        let email = try Validate.email(address, field: "from")
        var user = try await SenderRepository.person(email: email, on: db)
        if user == nil {
            let domain = String(email.split(separator: "@").last ?? "")
            let organisation = try await SenderRepository.organisation(domain: domain, on: db)
            let displayName = name.flatMap { $0.isEmpty ? nil : String($0.prefix(200)) } ?? String(email.split(separator: "@")[0])
            let created = UserModel(email: email, name: displayName, role: Role.customer.rawValue, phone: nil, language: language ?? "en",
                                    timeZone: "UTC", organisationID: organisation?.id, tier: nil, passwordHash: nil, active: true,
                                    createdAt: services.clock())
            try await created.create(on: db)
            user = created
        }
        guard let user, user.active else { throw DomainError.forbidden("The sender \(email) is deactivated.") }
        return try await CurrentActor.load(user, on: db, channel: .email)
    }
}
