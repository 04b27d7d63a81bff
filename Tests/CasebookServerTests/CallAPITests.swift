@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Phone calls and transcription")
struct CallAPITests {
    static let phrase = "the server room printer is broken please replace the toner"

    /// A JSGF grammar of support words: PocketSphinx's general model is weak on synthetic speech, a grammar makes the test dependable.
    static func grammar() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-\(UUID().uuidString).jsgf").path
        try """
        #JSGF V1.0;
        grammar support;
        public <utterance> = <word>+;
        <word> = the | server | room | printer | is | broken | please | replace | toner | network | down | password | reset | email | laptop;
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The phrase spoken by espeak-ng, as a WAV file at its native 22,050 Hz (our code resamples it).
    static func speech() throws -> Data? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/espeak-ng") else { return nil }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-\(UUID().uuidString).wav").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/espeak-ng")
        process.arguments = ["-w", path, phrase]
        try process.run()
        process.waitUntilExit()
        defer { try? FileManager.default.removeItem(atPath: path) }
        return FileManager.default.contents(atPath: path)
    }

    @Test("a logged call is internal; its recording is transcribed by PocketSphinx onto the timeline and into search", arguments: TestDatabase.all)
    func transcription(database: TestDatabase) async throws {
        guard let wav = try Self.speech(), EquipmentSettings.findPocketSphinx() != nil else {
            Issue.record("espeak-ng and pocketsphinx (Debian's espeak-ng, pocketsphinx, pocketsphinx-en-us) are needed; scripts/test.sh installs them")
            return
        }
        let grammar = try Self.grammar()
        defer { try? FileManager.default.removeItem(atPath: grammar) }
        try await withCasebook(database, configure: { $0.equipment.transcriptionGrammar = grammar }) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            let call = try await app.call(.POST, "/api/v1/cases/\(reference)/calls", token: f.agent, json: [
                "direction": "inbound", "number": "+34 600 123 456", "duration_seconds": 312, "notes": "Customer walked me through the error.",
            ])
            #expect(call.status == .created, "\(call.text)")
            let id = call.json["id"] as! String
            #expect(call.json["transcript_status"] as? String == "none" && call.json["agent_id"] as? String == f.agentID)
            let staffView = try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.agent).list
            #expect(staffView.contains { ($0["text"] as? String)?.hasPrefix("Phone call (inbound, +34 600 123 456, 5m") == true && $0["channel"] as? String == "phone" })
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.customer).list.allSatisfy { $0["channel"] as? String != "phone" })
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/calls", token: f.customer).status == .forbidden)

            let junk = try await app.call(.PUT, "/api/v1/cases/\(reference)/calls/\(id)/recording", token: f.agent, raw: "not audio at all",
                                          headers: [("Content-Type", "audio/wav")])
            #expect(junk.status == .unprocessableEntity && junk.isProblem)
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/calls/\(id)/recording", token: f.agent).status == .notFound)

            var headers = HTTPHeaders()
            headers.add(name: .authorization, value: "Bearer \(f.agent)")
            headers.contentType = HTTPMediaType(type: "audio", subType: "wav")
            let uploaded = try await app.testing().sendRequest(.PUT, "/api/v1/cases/\(reference)/calls/\(id)/recording", headers: headers,
                                                               body: ByteBuffer(data: wav))
            #expect(uploaded.status == .accepted)
            #expect(await app.jobs.runDue() >= 1)
            let calls = try await app.call(.GET, "/api/v1/cases/\(reference)/calls", token: f.agent).list
            #expect(calls.first?["transcript_status"] as? String == "done", "\(calls)")
            let transcript = (calls.first?["transcript"] as? String ?? "").lowercased()
            let heard = ["broken", "please", "replace", "printer", "toner", "server"].filter { transcript.contains($0) }
            #expect(heard.count >= 3, "heard \(heard) in “\(transcript)”")
            let notes = try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.agent).list
            #expect(notes.contains { ($0["text"] as? String)?.hasPrefix("Transcript of the inbound call") == true && $0["visibility"] as? String == "internal" })
            let word = try #require(heard.first)
            let found = try await app.call(.GET, "/api/v1/cases?q=\(word)", token: f.agent)
            #expect((found.json["items"] as? [[String: Any]])?.contains { $0["reference"] as? String == reference } == true, "the transcript is searchable")
            let outsider = try await app.call(.GET, "/api/v1/cases?q=\(word)", token: f.customer)
            #expect((outsider.json["items"] as? [[String: Any]])?.contains { $0["reference"] as? String == reference } != true || transcript.isEmpty,
                    "customers do not find cases by internal transcripts")
            let download = try await app.call(.GET, "/api/v1/cases/\(reference)/calls/\(id)/recording", token: f.agent)
            #expect(download.status == .ok && download.body == wav)
            #expect(await app.jobs.runDue() == 0)
            #expect(try await app.call(.GET, "/api/v1/cases/\(reference)/messages", token: f.agent).list.filter { ($0["text"] as? String)?.hasPrefix("Transcript") == true }.count == 1)
        }
    }

    @Test("bad call logs are refused and write nothing", arguments: TestDatabase.all)
    func badCalls(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            for body: [String: Any] in [
                ["direction": "sideways", "number": "+34 600", "duration_seconds": 1],
                ["direction": "inbound", "number": "call me", "duration_seconds": 1],
                ["direction": "inbound", "number": "+34 600 123 456", "duration_seconds": -5],
                ["direction": "inbound", "number": "+34 600 123 456"],
                ["direction": "inbound", "number": "+34 600 123 456", "duration_seconds": 5, "agent_id": f.customerID],
                ["direction": "inbound", "number": "+34 600 123 456", "duration_seconds": 5, "mood": "calm"],
            ] {
                let refused = try await app.call(.POST, "/api/v1/cases/\(reference)/calls", token: f.agent, json: body)
                #expect((400..<500).contains(Int(refused.status.code)) && refused.isProblem, "\(body) → \(refused.text)")
            }
            #expect(try await rowCount(app, "calls") == 0)
            #expect(try await app.call(.POST, "/api/v1/cases/CB-99999/calls", token: f.agent,
                                       json: ["direction": "inbound", "number": "+34 600 123 456", "duration_seconds": 5]).status == .notFound)
        }
    }
}
