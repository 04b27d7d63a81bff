import CasebookCore
@testable import CasebookServer
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// On SQLite the open-case counts come from tallies kept by triggers; they must equal a fresh count after every kind of
/// write, including SQL that no Casebook code path wraps, and the dashboard and queue counts must agree on both databases.
@Suite("Case tallies")
struct CaseTallyTests {
    static let statuses = CaseStatus.allCases.map(\.rawValue)

    static func sorted(_ tallies: [CaseTallyRepository.Tally]) -> [CaseTallyRepository.Tally] {
        tallies.sorted { ($0.status, $0.unassigned ? 1 : 0, $0.groupID?.uuidString ?? "") < ($1.status, $1.unassigned ? 1 : 0, $1.groupID?.uuidString ?? "") }
    }

    @Test("tallies follow creation, assignment, moves between groups, status changes, raw updates and deletions", arguments: TestDatabase.all)
    func followEveryWrite(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let sql = app.db as! any SQLDatabase
            let group = try await app.call(.POST, "/api/v1/groups", token: f.admin, json: ["name": "Night shift"]).json["id"] as! String
            let groupID = UUID(uuidString: group)
            let other = try await app.call(.POST, "/api/v1/groups", token: f.admin, json: ["name": "Day shift"]).json["id"] as! String
            var references: [String] = []
            for n in 1...5 { references.append(try await f.openCase(app, subject: "Scanner \(n) offline")) }
            func patch(_ reference: String, _ body: [String: Any]) async throws {
                let version = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent).json["version"] as! Int
                let answer = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: body.merging(["version": version]) { $1 })
                #expect(answer.status == .ok, "\(answer.text)")
            }
            try await patch(references[0], ["assignee_id": f.agentID, "group_id": group])
            try await patch(references[1], ["group_id": group])
            try await patch(references[1], ["group_id": other, "status": "pending_customer"])
            try await patch(references[2], ["status": "solved"])
            try await patch(references[0], ["assignee_id": NSNull()])
            // A raw status change behind every code path still moves the tallies, and so does removing a case whole.
            try await sql.raw("UPDATE cases SET status = 'open' WHERE number = (SELECT MAX(number) FROM cases)").run()
            let doomed = try await sql.raw("SELECT id, number FROM cases WHERE status = 'new' AND group_id IS NULL ORDER BY number LIMIT 1").first()!
            _ = try await app.casebook.store.write { db in
                try await CaseErasureRepository.delete([(try doomed.decode(column: "id", as: UUID.self), try doomed.decode(column: "number", as: Int.self))],
                                                       on: app.casebook.store.sql(db))
            }

            let counted = Self.sorted(try await CaseTallyRepository.counted(statuses: Self.statuses, on: sql))
            #expect(counted.reduce(0) { $0 + $1.cases } == 4, "\(counted)")
            #expect(counted.contains { $0.groupID == groupID && !$0.unassigned }
                        == false, "the case was unassigned again, so it counts as unassigned in its group")
            #expect(counted.contains { $0.groupID == groupID && $0.unassigned })
            #expect(Self.sorted(try await CaseTallyRepository.tallies(statuses: Self.statuses, on: sql)) == counted)
            if database == .postgres {
                // PostgreSQL appended a row per change; folding them together changes no sum and leaves one row per key.
                let rows = try await CaseTallyRepository.compact(on: sql)
                #expect(rows > counted.count, "changes were appended, not added in place")
                #expect(Self.sorted(try await CaseTallyRepository.tallies(statuses: Self.statuses, on: sql)) == counted)
                let left = try await sql.raw("SELECT COUNT(*) AS n FROM case_tallies").first()?.decode(column: "n", as: Int.self)
                #expect(left == counted.count)
            }

            // The dashboard and the queue counts say the same on both databases.
            let open = counted.filter { CaseStatus(rawValue: $0.status)?.isActive == true }
            let dashboard = try await app.call(.GET, "/api/v1/dashboard", token: f.manager).json
            let queue = try #require(dashboard["queue"] as? [String: Any])
            let byStatus = try #require(queue["by_status"] as? [String: Int])
            for status in Dashboard.openStatuses {
                #expect(byStatus[status] == open.filter { $0.status == status }.reduce(0) { $0 + $1.cases }, "\(status)")
            }
            #expect(queue["unassigned"] as? Int == open.filter(\.unassigned).reduce(0) { $0 + $1.cases })
            let agentID = try #require(UUID(uuidString: f.agentID))
            let counts = try await DeskQueueRepository.counts(me: agentID, on: sql)
            #expect(counts.all == open.reduce(0) { $0 + $1.cases })
            #expect(counts.unassigned == open.filter(\.unassigned).reduce(0) { $0 + $1.cases })
            #expect(counts.mine == 0)
            #expect(counts.groups.map(\.1) == ["Day shift", "Night shift"])
            #expect(counts.groups.map(\.2) == [1, 1])
        }
    }

    @Test("the migration counts the cases already there", arguments: TestDatabase.all)
    func migrationCountsExisting(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            for n in 1...3 { _ = try await f.openCase(app, subject: "Badge reader \(n)") }
            let sql = app.db as! any SQLDatabase
            // As an upgraded database would be: cases written before the triggers existed, then the migration run.
            let migration: any AsyncMigration = database == .sqlite ? AddCaseTallies() : AddPostgresCaseTallies()
            try await migration.revert(on: app.db)
            _ = try await f.openCase(app, subject: "Badge reader 4")
            try await migration.prepare(on: app.db)
            let kept = try await CaseTallyRepository.tallies(statuses: Self.statuses, on: sql)
            #expect(kept.reduce(0) { $0 + $1.cases } == 4)
            #expect(Self.sorted(kept) == Self.sorted(try await CaseTallyRepository.counted(statuses: Self.statuses, on: sql)))
        }
    }

    @Test("on PostgreSQL, folding the tallies while cases are written and another instance folds too loses no change",
          arguments: TestDatabase.all.filter { $0 == .postgres })
    func compactionUnderWrites(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let sql = app.db as! any SQLDatabase
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 1...24 { group.addTask { _ = try await f.openCase(app, subject: "Door sensor \(n) offline") } }
                for _ in 1...8 { group.addTask { try await CaseTallyRepository.compact(on: sql) } }
                try await group.waitForAll()
            }
            let counted = Self.sorted(try await CaseTallyRepository.counted(statuses: Self.statuses, on: sql))
            #expect(counted.reduce(0) { $0 + $1.cases } == 24)
            #expect(Self.sorted(try await CaseTallyRepository.tallies(statuses: Self.statuses, on: sql)) == counted)
            try await CaseTallyRepository.compact(on: sql)
            #expect(Self.sorted(try await CaseTallyRepository.tallies(statuses: Self.statuses, on: sql)) == counted)
        }
    }
}
