import CasebookCore
import SQLKit
import Vapor

/// `/cases/{reference}/calls`: phone calls logged on a case, their recordings and transcripts (internal to staff).
struct CallController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let calls = routes.grouped("cases", ":reference", "calls")
        calls.get(use: list)
        calls.post(use: create)
        calls.on(.PUT, ":id", "recording", body: .stream, use: upload)
        calls.get(":id", "recording", use: download)
    }

    /// The case, when the caller is staff who may see internal records.
    private func staffCase(_ req: Request) async throws -> CaseRecord {
        let record = try await req.readableCase()
        try req.authorize(.readInternal)
        return record
    }

    @Sendable func list(req: Request) async throws -> [CallView] {
        let record = try await staffCase(req)
        return try await CallRepository.list(caseID: record.id, limit: 1_000, on: req.store.sql)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let record = try await staffCase(req)
        // A logged call becomes an internal note: only those who may write one may log it.
        try req.authorize(.addMessage(CaseLookup.facts(record), .internal))
        let current = try req.current
        let input = try req.content.decode(CallWrite.self)
        let number = input.number.trimmingCharacters(in: .whitespaces)
        guard (3...32).contains(number.count), number.allSatisfy({ $0.isNumber || "+-(). ".contains($0) }), number.contains(where: \.isNumber) else {
            throw Problem.invalid("number", "must be a phone number such as +34 600 123 456")
        }
        guard (0...86_400).contains(input.durationSeconds) else { throw Problem.invalid("duration_seconds", "must be 0 to 86400") }
        let notes = input.notes?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let notes, notes.count > 20_000 { throw Problem.invalid("notes", "must be at most 20000 characters") }
        let now = req.now
        let startedAt = input.startedAt ?? now.addingTimeInterval(-Double(input.durationSeconds))
        if startedAt > now.addingTimeInterval(300) { throw Problem.invalid("started_at", "must not be in the future") }
        let services = req.casebook
        let reference = try req.parameters.require("reference")
        let view = try await req.store.write { db -> CallView in
            let sql = services.store.sql(db)
            let agent = input.agentID ?? current.user.id
            if agent != current.user.id {
                guard let standing = try await RelatedRecordRepository.standing(of: agent, on: sql),
                      Role(rawValue: standing.role)?.isStaff == true, standing.active
                else { throw Problem.invalid("agent_id", "must name an active member of staff") }
            }
            let view = CallView(id: RecordID.make(), direction: input.direction.rawValue, number: number, durationSeconds: input.durationSeconds,
                                startedAt: startedAt, agentID: agent, notes: notes?.isEmpty == true ? nil : notes, recording: nil,
                                transcriptStatus: "none", transcript: nil, transcriptError: nil)
            try await CallRepository.insert(view, caseID: record.id, at: now, on: sql)
            var note = MessageCreateRequest(text: "Phone call (\(view.direction), \(number), \(DurationText.describe(Double(view.durationSeconds))))"
                                            + (view.notes.map { ":\n\n" + $0 } ?? "."))
            note.visibility = .internal
            note.channel = .phone
            _ = try await AddMessage(services: services).run(reference: reference, input: note, by: current, on: db)
            return view
        }
        return try await view.encodeResponse(status: .created, for: req)
    }

    /// Stores a WAV recording of the call and queues its transcription.
    @Sendable func upload(req: Request) async throws -> Response {
        let record = try await staffCase(req)
        try req.authorize(.addMessage(CaseLookup.facts(record), .internal))
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The call") }
        let services = req.casebook
        let limit = services.configuration.equipment.maxRecordingBytes
        var received = Data()
        for try await var chunk in req.body {
            guard received.count + chunk.readableBytes <= limit else {
                throw Problem(status: .payloadTooLarge, slug: "too-large", title: "Recording too large",
                              detail: "Recordings are limited to \(limit) bytes (CASEBOOK_MAX_RECORDING_BYTES).")
            }
            received.append(contentsOf: chunk.readBytes(length: chunk.readableBytes) ?? [])
        }
        let body = received
        guard !body.isEmpty else { throw Problem.badRequest("Send the WAV recording as the request body (audio/wav).") }
        // Refused before storing: a file the recogniser cannot read is an error the uploader can fix now.
        _ = try WAVAudio.inspect(Array(body))
        let digest = try await services.blobs.put(body)
        let transcribes = services.configuration.equipment.transcriber != nil
        let now = req.now
        let view = try await req.store.write { db -> CallView in
            let sql = services.store.sql(db)
            guard try await CallRepository.find(id, caseID: record.id, on: sql) != nil else { throw Problem.notFound("The call") }
            try await CallRepository.attachRecording(id, sha256: digest, bytes: body.count,
                                                     unavailable: transcribes ? nil : "No transcriber is configured (CASEBOOK_TRANSCRIBER).", on: sql)
            if transcribes {
                try await JobQueue.enqueueOrRequeue(.transcribeCall, CallPayload(callID: id), dedupeKey: "call.transcribe:\(id)", at: now, on: sql)
            }
            guard let row = try await CallRepository.find(id, caseID: record.id, on: sql) else { throw Problem.notFound("The call") }
            return try CallRepository.view(row)
        }
        req.application.jobs.nudge()
        return try await view.encodeResponse(status: .accepted, for: req)
    }

    @Sendable func download(req: Request) async throws -> Response {
        let record = try await staffCase(req)
        guard let id = req.parameters.get("id", as: UUID.self), let row = try await CallRepository.find(id, caseID: record.id, on: req.store.sql),
              let digest = try row.decode(column: "recording_sha256", as: String?.self), let data = try await req.casebook.blobs.get(digest)
        else { throw Problem.notFound("The recording") }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "audio", subType: "wav")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"call-\(id.uuidString.lowercased()).wav\"")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}

/// The payload of a transcription job.
struct CallPayload: Codable, Sendable {
    let callID: UUID

    enum CodingKeys: String, CodingKey { case callID = "call_id" }
}
