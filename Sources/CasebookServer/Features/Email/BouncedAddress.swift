import CasebookCore
import Foundation

/// An address that bounced for good, as agents see it.
struct BouncedAddress: Codable, Sendable {
    var id: UUID
    var address: String
    var status: String
    var reason: String
    var bouncedAt: Date

    enum CodingKeys: String, CodingKey { case id, address, status, reason, bouncedAt = "bounced_at" }
}
