import CasebookCore
import CasebookMail
import Foundation

/// One of the team's addresses: mail about its cases goes out from it, signed with its signature.
struct MailAddressRecord: Sendable, Equatable {
    var id: UUID
    var address: String
    var displayName: String
    var signature: String?
    /// New cases that come in on this address go to this group.
    var groupID: UUID?
    /// New contacts who first write to this address get this language.
    var language: String?
    var createdAt: Date
    var updatedAt: Date

    var sender: MailAddress { MailAddress(name: displayName, address: address) }
}
