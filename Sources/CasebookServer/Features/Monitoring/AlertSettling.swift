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
        let alerts = try await MonitoringAlertRepository.flapping(limit: 1_000, on: services.store.sql)
        var settled = 0
        for alert in alerts {
            let fingerprint = alert.fingerprint
            let (next, change) = damper.settle(alert.flap, at: now)
            guard change == .stopped else { continue }
            settled += 1
            let status = alert.status.rawValue, caseID = alert.caseID
            try await services.store.write { db in
                let sql = services.store.sql(db)
                try await MonitoringAlertRepository.settle(fingerprint, flap: next, on: sql)
                guard let caseID, let incident = try await CaseRepository.find(id: caseID, on: sql), incident.status.isActive
                else { return }
                let reference = Reference(prefix: services.configuration.referencePrefix, number: incident.number).description
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
