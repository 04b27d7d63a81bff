import Foundation
import SQLKit

/// Phone calls logged on cases: their rows, recordings and transcripts.
enum CallRepository {
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

    /// A case's calls, oldest first.
    static func list(caseID: UUID, limit: Int, on sql: any SQLDatabase) async throws -> [CallView] {
        try await sql.select().columns("*").from("calls").where("case_id", .equal, caseID).orderBy("started_at").limit(limit).all().map(view)
    }

    static func insert(_ call: CallView, caseID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "calls")
            .columns("id", "case_id", "direction", "number", "duration_seconds", "agent_id", "notes", "started_at", "transcript_status", "created_at")
            .values(SQLBind(call.id), SQLBind(caseID), SQLBind(call.direction), SQLBind(call.number), SQLBind(call.durationSeconds),
                    SQLBind(call.agentID), SQLBind(call.notes), SQLBind(call.startedAt), SQLBind(call.transcriptStatus), SQLBind(now))
            .run()
    }

    /// Attaches a recording; its transcript is queued, or marked unavailable with the reason.
    static func attachRecording(_ id: UUID, sha256: String, bytes: Int, unavailable reason: String?, on sql: any SQLDatabase) async throws {
        try await sql.update("calls").set("recording_sha256", to: sha256).set("recording_bytes", to: bytes)
            .set("transcript_status", to: reason == nil ? "queued" : "unavailable").set("transcript", to: SQLLiteral.null)
            .set("transcript_error", to: reason).where("id", .equal, id).run()
    }

    /// What transcribing a call needs to know.
    struct TranscriptionFacts: Sendable {
        let status: String
        let recordingSHA256: String?
        let direction: String
        let number: String
        let caseNumber: Int
    }

    static func transcriptionFacts(_ id: UUID, on sql: any SQLDatabase) async throws -> TranscriptionFacts? {
        try await sql.raw("""
            SELECT k.recording_sha256, k.transcript_status, k.direction, k.number, c.number AS case_number FROM calls k
            JOIN cases c ON c.id = k.case_id WHERE k.id = \(bind: id)
            """).first().map { row in
                TranscriptionFacts(status: try row.decode(column: "transcript_status", as: String.self),
                                   recordingSHA256: try row.decode(column: "recording_sha256", as: String?.self),
                                   direction: try row.decode(column: "direction", as: String.self),
                                   number: try row.decode(column: "number", as: String.self),
                                   caseNumber: try row.decode(column: "case_number", as: Int.self))
            }
    }

    /// Stores a transcript if the call still waits for one; false when another run got there first.
    static func finishTranscript(_ id: UUID, text: String, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            UPDATE calls SET transcript_status = 'done', transcript = \(bind: text), transcript_error = NULL
            WHERE id = \(bind: id) AND transcript_status = 'queued' RETURNING id
            """).first() != nil
    }

    static func markTranscript(_ id: UUID, status: String, error: String, on sql: any SQLDatabase) async throws {
        try await sql.update("calls").set("transcript_status", to: status).set("transcript_error", to: String(error.prefix(1_000)))
            .where("id", .equal, id).run()
    }
}
