import Foundation
import SQLKit

/// Reading call rows.
enum CallRows {
    static func view(_ row: any SQLRow) throws -> CallView {
        var recording: CallView.Recording?
        if let digest = try row.decode(column: "recording_sha256", as: String?.self) {
            recording = CallView.Recording(sha256: digest, bytes: try row.decode(column: "recording_bytes", as: Int?.self) ?? 0)
        }
        return CallView(id: try row.decode(column: "id", as: UUID.self), direction: try row.decode(column: "direction", as: String.self),
                        number: try row.decode(column: "number", as: String.self), durationSeconds: try row.decode(column: "duration_seconds", as: Int.self),
                        startedAt: try row.decode(column: "started_at", as: Date.self), agentID: try row.decode(column: "agent_id", as: UUID.self),
                        notes: try row.decode(column: "notes", as: String?.self), recording: recording,
                        transcriptStatus: try row.decode(column: "transcript_status", as: String.self),
                        transcript: try row.decode(column: "transcript", as: String?.self),
                        transcriptError: try row.decode(column: "transcript_error", as: String?.self))
    }

    static func find(_ id: UUID, caseID: UUID, on sql: any SQLDatabase) async throws -> (any SQLRow)? {
        try await sql.select().columns("*").from("calls").where("id", .equal, id).where("case_id", .equal, caseID).first()
    }
}
