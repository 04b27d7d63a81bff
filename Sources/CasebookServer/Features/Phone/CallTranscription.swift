import CasebookCore
import Foundation
import SQLKit

/// The background job that transcribes a call and adds the transcript to the case as an internal, searchable note.
struct CallTranscription {
    let services: CasebookServices

    func run(_ callID: UUID, attempt: Int, maxAttempts: Int) async throws {
        guard let facts = try await CallRepository.transcriptionFacts(callID, on: services.store.sql) else { return }
        // Idempotent: a retried job whose first run finished does nothing.
        guard facts.status == "queued", let digest = facts.recordingSHA256 else { return }
        let settings = services.configuration.equipment
        guard let command = settings.transcriber else {
            try await mark(callID, status: "unavailable", error: "No transcriber is configured (CASEBOOK_TRANSCRIBER).")
            return
        }
        guard let recording = try await services.blobs.get(digest) else {
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
        let reference = Reference(prefix: services.configuration.referencePrefix, number: facts.caseNumber).description
        let direction = facts.direction, number = facts.number
        let services = self.services
        try await services.store.write { db in
            let sql = services.store.sql(db)
            // Another run may have finished in the meantime; only the first writes the note.
            guard try await CallRepository.finishTranscript(callID, text: text, on: sql) else { return }
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
            try await CallRepository.markTranscript(callID, status: status, error: error, on: services.store.sql(db))
        }
    }
}
