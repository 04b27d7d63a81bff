import CasebookCore
import Foundation
import SQLKit

/// Monitoring alerts by fingerprint: their state, counts, flap history and the incident (case) they opened.
enum MonitoringAlertRepository {
    /// What alert intake remembers about an alert.
    struct Stored: Sendable {
        let fingerprint: String
        let caseID: UUID?
        let status: AlertSignal.Status
        let flap: FlapState
        let received: Int
        let incidents: Int
    }

    static func find(_ fingerprint: String, on sql: any SQLDatabase) async throws -> Stored? {
        try await sql.select().columns("fingerprint", "case_id", "status", "flap", "flapping", "received", "incidents").from("monitoring_alerts")
            .where("fingerprint", .equal, fingerprint).first().map(stored)
    }

    /// Alerts marked flapping, to see whether they have settled.
    static func flapping(limit: Int, on sql: any SQLDatabase) async throws -> [Stored] {
        try await sql.select().columns("fingerprint", "case_id", "status", "flap", "flapping", "received", "incidents").from("monitoring_alerts")
            .where("flapping", .equal, true).limit(limit).all().map(stored)
    }

    /// The counts and flap state of one delivery of a signal.
    struct Delivery: Sendable {
        var caseID: UUID?
        var assetID: UUID?
        var flap: FlapState
        var received: Int
        var incidents: Int
    }

    static func insert(_ signal: AlertSignal, _ delivery: Delivery, at now: Date, on sql: any SQLDatabase) async throws {
        let labels = String(decoding: try JSONEncoder().encode(signal.labels), as: UTF8.self)
        try await sql.insert(into: "monitoring_alerts")
            .columns("fingerprint", "case_id", "asset_id", "source", "name", "status", "labels", "first_seen_at", "last_seen_at", "received",
                     "incidents", "flap", "flapping")
            .values(SQLBind(signal.fingerprint), SQLBind(delivery.caseID), SQLBind(delivery.assetID), SQLBind(signal.source), SQLBind(signal.name),
                    SQLBind(signal.status.rawValue), SQLBind(labels), SQLBind(now), SQLBind(now), SQLBind(delivery.received), SQLBind(delivery.incidents),
                    SQLBind(try flapText(delivery.flap)), SQLBind(delivery.flap.flapping))
            .run()
    }

    /// Records another delivery of a known alert; an asset once matched stays matched.
    static func update(_ signal: AlertSignal, _ delivery: Delivery, at now: Date, on sql: any SQLDatabase) async throws {
        var update = sql.update("monitoring_alerts").set("case_id", to: delivery.caseID).set("status", to: signal.status.rawValue)
            .set("last_seen_at", to: now).set("received", to: delivery.received).set("incidents", to: delivery.incidents)
            .set("flap", to: try flapText(delivery.flap)).set("flapping", to: delivery.flap.flapping)
        if let assetID = delivery.assetID { update = update.set("asset_id", to: assetID) }
        try await update.where("fingerprint", .equal, signal.fingerprint).run()
    }

    /// Marks a flapping alert settled, with its trimmed history.
    static func settle(_ fingerprint: String, flap: FlapState, on sql: any SQLDatabase) async throws {
        try await sql.update("monitoring_alerts").set("flapping", to: false).set("flap", to: try flapText(flap))
            .where("fingerprint", .equal, fingerprint).run()
    }

    /// The newest 500 alerts, optionally narrowed.
    static func list(status: AlertSignal.Status?, flappingOnly: Bool, assetID: UUID?, prefix: String,
                     on sql: any SQLDatabase) async throws -> [AlertController.AlertView] {
        var query = SQLQueryString("SELECT m.*, c.number FROM monitoring_alerts m LEFT JOIN cases c ON c.id = m.case_id WHERE 1 = 1")
        if let status { query = query + " AND m.status = \(bind: status.rawValue)" }
        if flappingOnly { query = query + " AND m.flapping = \(bind: true)" }
        if let assetID { query = query + " AND m.asset_id = \(bind: assetID)" }
        return try await sql.raw(query + " ORDER BY m.last_seen_at DESC LIMIT 500").all().map { row in
            AlertController.AlertView(
                fingerprint: try row.decode(column: "fingerprint", as: String.self), source: try row.decode(column: "source", as: String.self),
                name: try row.decode(column: "name", as: String.self), status: try row.decode(column: "status", as: String.self),
                labels: (try? JSONDecoder().decode([String: String].self, from: Data(try row.decode(column: "labels", as: String.self).utf8))) ?? [:],
                incident: try row.decode(column: "number", as: Int?.self).map { Reference(prefix: prefix, number: $0).description },
                received: try row.decode(column: "received", as: Int.self), incidents: try row.decode(column: "incidents", as: Int.self),
                flapping: try row.decode(column: "flapping", as: Bool.self),
                firstSeenAt: try row.decode(column: "first_seen_at", as: Date.self), lastSeenAt: try row.decode(column: "last_seen_at", as: Date.self))
        }
    }

    private static func flapText(_ flap: FlapState) throws -> String { String(decoding: try JSONEncoder().encode(flap), as: UTF8.self) }

    /// The flap state as stored: recent changes as JSON, and the flapping flag in its own column for queries.
    private static func stored(_ row: any SQLRow) throws -> Stored {
        var flap = (try? JSONDecoder().decode(FlapState.self, from: Data(try row.decode(column: "flap", as: String.self).utf8))) ?? FlapState()
        flap.flapping = try row.decode(column: "flapping", as: Bool.self)
        return Stored(fingerprint: try row.decode(column: "fingerprint", as: String.self), caseID: try row.decode(column: "case_id", as: UUID?.self),
                      status: AlertSignal.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .firing, flap: flap,
                      received: try row.decode(column: "received", as: Int.self), incidents: try row.decode(column: "incidents", as: Int.self))
    }
}
