import CasebookCore
import Foundation
import SQLKit

/// The background job that transcribes a call and adds the transcript to the case as an internal, searchable note.
struct CallTranscription {
    let services: CasebookServices

    func run(_ callID: UUID, attempt: Int, maxAttempts: Int) async throws {
        let sql = services.store.sql
        guard let row = try await sql.raw("""
            SELECT k.case_id, k.recording_sha256, k.transcript_status, k.direction, k.number, c.number AS case_number FROM calls k
            JOIN cases c ON c.id = k.case_id WHERE k.id = \(bind: callID)
            """).first() else { return }
        // Idempotent: a retried job whose first run finished does nothing.
        guard try row.decode(column: "transcript_status", as: String.self) == "queued",
              let digest = try row.decode(column: "recording_sha256", as: String?.self) else { return }
        let settings = services.configuration.equipment
        guard let command = settings.transcriber else {
            try await mark(callID, status: "unavailable", error: "No transcriber is configured (CASEBOOK_TRANSCRIBER).")
            return
        }
        guard let recording = services.attachments.get(digest) else {
            try await mark(callID, status: "failed", error: "The recording is missing from the content store.")
            return
        }
        let transcriber = Transcriber(command: command, grammar: settings.transcriptionGrammar, keywords: settings.transcriptionKeywords)
        let text: String
        do {
            text = try await services.blockingIO.runIfActive { try transcriber.transcribe(recording) }
        } catch {
            if attempt + 1 >= maxAttempts { try await mark(callID, status: "failed", error: "\(error)") }
            throw error
        }
        let reference = Reference(prefix: services.configuration.referencePrefix, number: try row.decode(column: "case_number", as: Int.self)).description
        let direction = try row.decode(column: "direction", as: String.self)
        let number = try row.decode(column: "number", as: String.self)
        let services = self.services
        try await services.store.write { db in
            let sql = services.store.sql(db)
            // Another run may have finished in the meantime; only the first writes the note.
            guard try await sql.raw("""
                UPDATE calls SET transcript_status = 'done', transcript = \(bind: text), transcript_error = NULL
                WHERE id = \(bind: callID) AND transcript_status = 'queued' RETURNING id
                """).first() != nil else { return }
            let system = try await ContactForSender.systemActor(on: db)
            let actor = CurrentActor(actor: system.actor, user: system.user, viaSession: false, channel: .phone)
            var note = MessageCreateRequest(text: "Transcript of the \(direction) call with \(number) (automatic, may contain errors):\n\n"
                                            + (text.isEmpty ? "(no speech recognised)" : text))
            note.visibility = .internal
            note.channel = .phone
            _ = try await AddMessage(services: services).run(reference: reference, input: note, by: actor, on: db)
        }
    }

    private func mark(_ callID: UUID, status: String, error: String) async throws {
        let services = self.services
        try await services.store.write { db in
            try await services.store.sql(db).update("calls").set("transcript_status", to: status).set("transcript_error", to: String(error.prefix(1_000)))
                .where("id", .equal, callID).run()
        }
    }
}
