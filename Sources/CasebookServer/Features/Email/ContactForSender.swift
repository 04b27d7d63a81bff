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
        let sql = services.store.sql(db)
        var sender = try await SenderRepository.sender(email: email, on: sql)
        if sender == nil {
            let domain = String(email.split(separator: "@").last ?? "")
            let organisation = try await SenderRepository.organisation(domain: domain, on: sql)
            let displayName = name.flatMap { $0.isEmpty ? nil : String($0.prefix(200)) } ?? String(email.split(separator: "@")[0])
            let created = SenderRepository.Sender(id: RecordID.make(), email: email, name: displayName, role: .customer, active: true,
                                                  organisationID: organisation?.id, sharesCases: organisation?.sharesCases ?? false)
            try await SenderRepository.insertCustomer(created, language: language ?? "en", at: services.clock(), on: sql)
            sender = created
        }
        guard let sender, sender.active else { throw DomainError.forbidden("The sender \(email) is deactivated.") }
        return CurrentActor(id: sender.id, email: sender.email, name: sender.name, role: sender.role, organisationID: sender.organisationID,
                            sharesCases: sender.sharesCases, viaSession: false, channel: .email)
    }
}
