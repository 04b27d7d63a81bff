import CasebookCore
import Foundation
import Vapor

/// Body of `POST /cases/{reference}/calls`: a phone call logged on a case.
struct CallWrite: Decodable, Sendable {
    enum Direction: String, Codable, Sendable { case inbound, outbound }

    var direction: Direction
    var number: String
    var durationSeconds: Int
    var startedAt: Date?
    var notes: String?
    var agentID: UUID?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case direction, number, notes
        case durationSeconds = "duration_seconds", startedAt = "started_at", agentID = "agent_id"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        direction = try c.decode(Direction.self, forKey: .direction)
        number = try c.decode(String.self, forKey: .number)
        durationSeconds = try c.decode(Int.self, forKey: .durationSeconds)
        startedAt = try c.decodeIfPresent(Date.self, forKey: .startedAt)
        notes = try c.decodeIfPresent(String.self, forKey: .notes)
        agentID = try c.decodeIfPresent(UUID.self, forKey: .agentID)
    }
}

/// A logged call as the API shows it (staff only: calls are internal).
struct CallView: Content {
    var id: UUID
    var direction: String
    var number: String
    var durationSeconds: Int
    var startedAt: Date
    var agentID: UUID
    var notes: String?
    var recording: Recording?
    /// none (no recording), queued, done, failed or unavailable (no transcriber configured).
    var transcriptStatus: String
    var transcript: String?
    var transcriptError: String?

    struct Recording: Content {
        var sha256: String
        var bytes: Int
    }

    enum CodingKeys: String, CodingKey {
        case id, direction, number, notes, recording, transcript
        case durationSeconds = "duration_seconds", startedAt = "started_at", agentID = "agent_id"
        case transcriptStatus = "transcript_status", transcriptError = "transcript_error"
    }
}
