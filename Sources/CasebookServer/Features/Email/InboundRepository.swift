import CasebookCore
import Foundation
import SQLKit

/// Reads of stored inbound mail that decide whether it still needs work.
enum InboundRepository {
    /// Whether a stored message is still to be applied: not yet processed, and not held unless it is being released.
    static func needsApplying(_ id: UUID, releasing: Bool, on sql: any SQLDatabase) async throws -> Bool {
        guard let row = try await sql.select().column("status").from("inbound_messages").where("id", .equal, id).first() else {
            throw DomainError.notFound("The inbound message")
        }
        let status = try row.decode(column: "status", as: String.self)
        return status != InboundStatus.processed.rawValue && (status != InboundStatus.held.rawValue || releasing)
    }
}
