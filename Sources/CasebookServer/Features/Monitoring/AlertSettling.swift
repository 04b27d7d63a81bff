import CasebookCore
import Foundation
import SQLKit

/// Ends flapping once an alert has been quiet long enough, and then applies the state it settled in.
struct AlertSettling {
    let services: CasebookServices

    static let key = "alerts.settle"

    /// Returns how many alerts stopped flapping.
    func run() async throws -> Int {
        let services = self.services
        let damper = services.configuration.equipment.flapDamper
        let now = services.clock()
        let rows = try await services.store.sql.select().columns("fingerprint", "flap", "flapping", "status", "case_id").from("monitoring_alerts")
            .where("flapping", .equal, true).limit(1_000).all()
        var settled = 0
        for row in rows {
            let fingerprint = try row.decode(column: "fingerprint", as: String.self)
            let state = try AlertIntake.flapState(row)
            let (next, change) = damper.settle(state, at: now)
            guard change == .stopped else { continue }
            settled += 1
            let status = try row.decode(column: "status", as: String.self)
            let caseID = try row.decode(column: "case_id", as: UUID?.self)
            try await services.store.write { db in
                let sql = services.store.sql(db)
                try await sql.update("monitoring_alerts").set("flapping", to: false)
                    .set("flap", to: String(decoding: try JSONEncoder().encode(next), as: UTF8.self))
                    .where("fingerprint", .equal, fingerprint).run()
                guard let caseID, let found = try await sql.select().columns("number", "status").from(CaseModel.schema).where("id", .equal, caseID).first(),
                      CaseStatus(rawValue: try found.decode(column: "status", as: String.self))?.isActive == true else { return }
                let reference = Reference(prefix: services.configuration.referencePrefix, number: try found.decode(column: "number", as: Int.self)).description
                let solve = status == "resolved" && services.configuration.equipment.alertsResolveIncidents
                let system = try await ContactForSender.systemActor(on: db)
                var note = MessageCreateRequest(text: "The alert has stopped flapping and settled \(status)."
                                                + (solve ? " The incident is solved automatically." : ""))
                note.visibility = .internal
                note.channel = .monitoring
                note.status = solve ? .solved : nil
                let actor = CurrentActor(actor: system.actor, user: system.user, viaSession: false, channel: .monitoring)
                _ = try await AddMessage(services: services).run(reference: reference, input: note, by: actor, on: db)
            }
        }
        return settled
    }
}
