@testable import CasebookServer
import CasebookCore
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("An import's batches remember whom they found")
struct ImportMemoryTests {
    @Test("people and organisations made by one committed batch are found by the next from memory, never made twice",
          arguments: TestDatabase.all)
    func carried(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            _ = try await Fixture.make(app)
            let start = Date(timeIntervalSince1970: 1_700_000_000)
            var memory = ImportDirectory.Memory()
            let first = try await ExportFileImport.write([HelpDeskImportTests.ticket("1", at: start)], services: app.casebook, memory: &memory)
            #expect(first.imported == 1)
            let carla = ImportedPerson(email: "Carla@Initrode.example", name: "Carla Customer", organisation: "Initrode")
            let remembered = try #require(memory.addresses[carla].flatMap { memory.people[$0] })
            #expect(memory.organisations["Initrode"] == remembered.organisationID && !remembered.isStaff)

            let second = try await ExportFileImport.write([HelpDeskImportTests.ticket("2", at: start)], services: app.casebook, memory: &memory)
            #expect(second.imported == 1)
            let requesters = try await app.casebook.store.sql.raw("SELECT DISTINCT requester_id FROM cases WHERE subject LIKE 'Scanner %'")
                .all().map { try $0.decode(column: "requester_id", as: UUID.self) }
            #expect(requesters == [remembered.id], "both cases name the one Carla")
            let sql = app.casebook.store.sql
            let users = try await sql.raw("SELECT COUNT(*) AS n FROM users WHERE email = 'carla@initrode.example'").first()?.decode(column: "n", as: Int.self)
            let organisations = try await sql.raw("SELECT COUNT(*) AS n FROM organisations WHERE name = 'Initrode'").first()?.decode(column: "n", as: Int.self)
            #expect(users == 1 && organisations == 1)
        }
    }
}
