import CasebookCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// Applies monitoring alerts: each fingerprint keeps one open incident, repeats are counted on it,
/// a resolved alert notes (and optionally solves) it, and a flapping alert is kept quiet.
struct AlertIntake {
    let services: CasebookServices

    /// What one delivery did, returned to the monitoring system.
    struct Summary: Content {
        var received = 0
        var opened = 0
        var repeated = 0
        var reopened = 0
        var resolved = 0
        var ignored = 0
        var flapping = 0
        var cases: [String] = []
    }

    /// Applies every signal in one transaction: the whole delivery is stored, or none of it (and the sender retries).
    func apply(_ signals: [AlertSignal]) async throws -> Summary {
        let services = self.services
        return try await services.store.write { db -> Summary in
            var summary = Summary()
            // Looked up only when a note or a case is written: most deliveries are repeats that need neither.
            var actor: CurrentActor?
            for signal in signals {
                try await AlertIntake(services: services).apply(signal, actor: &actor, into: &summary, on: db)
            }
            summary.cases = Array(Set(summary.cases)).sorted()
            return summary
        }
    }

    /// The actor automatic notes and incidents are written as.
    private static func system(_ cached: inout CurrentActor?, on db: any Database) async throws -> CurrentActor {
        if let cached { return cached }
        let system = try await ContactForSender.systemActor(on: db)
        let actor = CurrentActor(actor: system.actor, user: system.user, viaSession: false, channel: .monitoring)
        cached = actor
        return actor
    }

    private func apply(_ signal: AlertSignal, actor: inout CurrentActor?, into summary: inout Summary, on db: any Database) async throws {
        let sql = services.store.sql(db)
        let now = services.clock()
        let prefix = services.configuration.referencePrefix
        let damper = services.configuration.equipment.flapDamper
        summary.received += 1
        let stored = try await MonitoringAlertRepository.find(signal.fingerprint, on: sql)
        var caseStatus: CaseStatus?
        var reference: String?
        if let caseID = stored?.caseID, let incident = try await CaseRepository.find(id: caseID, on: sql) {
            caseStatus = incident.status
            reference = Reference(prefix: prefix, number: incident.number).description
        }
        let changed = stored.map { $0.status != signal.status } ?? false
        var flap = stored?.flap ?? FlapState()
        var flapChange = FlapDamper.Change.none
        if changed {
            (flap, flapChange) = damper.recordChange(at: now, in: flap)
        } else if flap.flapping {
            (flap, flapChange) = damper.settle(flap, at: now)
        }
        if flap.flapping { summary.flapping += 1 }
        var caseID = stored?.caseID
        var incidents = stored?.incidents ?? 0
        var assetID: UUID?

        switch (signal.status, caseStatus) {
        case (.firing, let status?) where status.isActive:
            if changed && !flap.flapping {
                try await note(reference!, "Alert fired again: \(signal.summary)", status: nil, as: try await Self.system(&actor, on: db), on: db)
            } else {
                summary.repeated += 1
            }
            if flapChange == .started { try await noteFlapping(reference!, damper: damper, as: try await Self.system(&actor, on: db), on: db) }
            summary.cases.append(reference!)
        case (.firing, .solved?):
            // Back within the incident's life: the same case reopens rather than a second one starting.
            let flapping = flapChange == .started ? " " + Self.flappingText(damper) : ""
            try await note(reference!, "Alert fired again after the incident was solved: \(signal.summary)" + flapping, status: .open, as: try await Self.system(&actor, on: db), on: db)
            try await announce(.alertOpened, signal, reference: reference, caseID: caseID, on: sql, now: now)
            summary.reopened += 1
            summary.cases.append(reference!)
        case (.firing, _):
            let (opened, asset) = try await openIncident(signal, as: try await Self.system(&actor, on: db), on: db, now: now)
            caseID = opened.id
            assetID = asset
            try await announce(.alertOpened, signal, reference: Reference(prefix: prefix, number: opened.number).description, caseID: opened.id,
                               on: sql, now: now)
            incidents += 1
            summary.opened += 1
            summary.cases.append(Reference(prefix: prefix, number: opened.number).description)
        case (.resolved, let status?) where status.isActive:
            if flapChange == .started { try await noteFlapping(reference!, damper: damper, as: try await Self.system(&actor, on: db), on: db) }
            if changed && !flap.flapping {
                let solve = services.configuration.equipment.alertsResolveIncidents
                try await note(reference!, "Alert resolved: \(signal.summary)" + (solve ? " The incident is solved automatically." : ""),
                               status: solve ? .solved : nil, as: try await Self.system(&actor, on: db), on: db)
                try await announce(.alertResolved, signal, reference: reference, caseID: caseID, on: sql, now: now)
                summary.resolved += 1
            } else {
                summary.ignored += 1
            }
            summary.cases.append(reference!)
        case (.resolved, _):
            summary.ignored += 1
        }
        let delivery = MonitoringAlertRepository.Delivery(caseID: caseID, assetID: assetID, flap: flap, received: (stored?.received ?? 0) + 1,
                                                          incidents: incidents)
        if stored == nil {
            try await MonitoringAlertRepository.insert(signal, delivery, at: now, on: sql)
        } else {
            try await MonitoringAlertRepository.update(signal, delivery, at: now, on: sql)
        }
    }

    private func openIncident(_ signal: AlertSignal, as actor: CurrentActor, on db: any Database, now: Date) async throws -> (CaseRecord, UUID?) {
        let sql = services.store.sql(db)
        let asset = try await AssetRepository.match(keys: signal.assetKeys, on: sql)
        let labels = signal.labels.keys.sorted().map { "\($0)=\(signal.labels[$0] ?? "")" }.joined(separator: "\n")
        var input = CaseCreateRequest(subject: String("[\(signal.source)] \(signal.name): \(signal.summary)".prefix(250)),
                                      description: "\(signal.summary)\n\nReported by \(signal.source) (fingerprint \(signal.fingerprint)).\n\nLabels:\n\(labels)")
        input.priority = signal.priority
        input.organisationID = asset?.organisationID
        input.channel = .monitoring
        input.tags = ["monitoring"]
        if let asset, let row = try await AssetRepository.find(asset.id, on: sql) {
            input.productID = try row.decode(column: "product_id", as: UUID?.self)
            input.productVersionID = try row.decode(column: "product_version_id", as: UUID?.self)
        }
        let record = try await OpenCase(services: services).run(input, by: actor, on: db)
        if let asset { try await AssetRepository.linkCase(assetID: asset.id, caseID: record.id, at: now, on: sql) }
        try await ProactiveIncidentRepository.record(caseID: record.id, source: "monitoring", organisationID: asset?.organisationID, assetID: asset?.id, at: now, on: sql)
        return (record, asset?.id)
    }

    /// Tells webhook and chat subscribers that an alert opened (or reopened) an incident, or resolved.
    private func announce(_ event: WebhookEvent, _ signal: AlertSignal, reference: String?, caseID: UUID?, on sql: any SQLDatabase,
                          now: Date) async throws {
        let data = WebhookAlertData(source: signal.source, name: signal.name, fingerprint: signal.fingerprint, summary: signal.summary,
                                    priority: signal.priority.rawValue, caseReference: reference)
        try await WebhookOutbox(services: services).alertEvent(event, data, caseID: caseID, on: sql, now: now)
    }

    private func note(_ reference: String, _ text: String, status: CaseStatus?, as actor: CurrentActor, on db: any Database) async throws {
        var input = MessageCreateRequest(text: text)
        input.visibility = .internal
        input.channel = .monitoring
        input.status = status
        _ = try await AddMessage(services: services).run(reference: reference, input: input, by: actor, on: db)
    }

    private func noteFlapping(_ reference: String, damper: FlapDamper, as actor: CurrentActor, on db: any Database) async throws {
        try await note(reference, Self.flappingText(damper), status: nil, as: actor, on: db)
    }

    static func flappingText(_ damper: FlapDamper) -> String {
        "This alert is flapping (\(damper.threshold) or more state changes within \(Int(damper.window / 60)) minutes). "
            + "Further changes are counted without notes, and it is not resolved automatically, until it settles."
    }
}
