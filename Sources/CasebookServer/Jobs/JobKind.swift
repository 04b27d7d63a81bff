import Foundation

/// Every kind of background work Casebook does; the raw value is what the `jobs` table stores.
enum JobKind: String, Sendable, CaseIterable, Codable {
    /// Apply one stored inbound email (payload: `InboundPayload`).
    case processEmail = "email.process"
}

/// The payload of a job about one inbound message.
struct InboundPayload: Codable, Sendable {
    let inboundID: UUID

    enum CodingKeys: String, CodingKey { case inboundID = "inbound_id" }
}
