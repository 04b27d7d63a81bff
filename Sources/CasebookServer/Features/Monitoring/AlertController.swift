import CasebookCore
import SQLKit
import Vapor

/// `/alerts`: monitoring webhooks (Prometheus Alertmanager and a generic JSON form) and the alerts seen so far.
struct AlertController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let alerts = routes.grouped("alerts")
        alerts.get(use: list)
        alerts.on(.POST, "alertmanager", body: .collect(maxSize: "5mb"), use: alertmanager)
        alerts.on(.POST, "webhook", body: .collect(maxSize: "5mb"), use: generic)
    }

    @Sendable func alertmanager(req: Request) async throws -> AlertIntake.Summary {
        try req.authorize(.ingestAlerts)
        return try await AlertIntake(services: req.casebook).apply(try AlertmanagerWebhook.parse(try body(req)))
    }

    @Sendable func generic(req: Request) async throws -> AlertIntake.Summary {
        try req.authorize(.ingestAlerts)
        return try await AlertIntake(services: req.casebook).apply(try GenericAlertWebhook.parse(try body(req)))
    }

    private func body(_ req: Request) throws -> Data {
        guard let buffer = req.body.data, buffer.readableBytes > 0 else { throw Problem.badRequest("Send the alert as a JSON body.") }
        return Data(buffer.readableBytesView)
    }

    struct AlertView: Content {
        var fingerprint: String
        var source: String
        var name: String
        var status: String
        var labels: [String: String]
        var incident: String?
        var received: Int
        var incidents: Int
        var flapping: Bool
        var firstSeenAt: Date
        var lastSeenAt: Date

        enum CodingKeys: String, CodingKey {
            case fingerprint, source, name, status, labels, incident, received, incidents, flapping
            case firstSeenAt = "first_seen_at", lastSeenAt = "last_seen_at"
        }
    }

    @Sendable func list(req: Request) async throws -> [AlertView] {
        try req.authorize(.readEquipment)
        var query = SQLQueryString("""
            SELECT m.*, c.number FROM monitoring_alerts m LEFT JOIN cases c ON c.id = m.case_id WHERE 1 = 1
            """)
        if let status = req.query[String.self, at: "status"] {
            guard AlertSignal.Status(rawValue: status) != nil else { throw Problem.badRequest("Query parameter 'status' must be firing or resolved.") }
            query = query + " AND m.status = \(bind: status)"
        }
        if req.query[Bool.self, at: "flapping"] == true { query = query + " AND m.flapping = \(bind: true)" }
        if let asset = req.query[String.self, at: "asset_id"] {
            guard let id = UUID(uuidString: asset) else { throw Problem.badRequest("Query parameter 'asset_id' must be an asset id.") }
            query = query + " AND m.asset_id = \(bind: id)"
        }
        query = query + " ORDER BY m.last_seen_at DESC LIMIT 500"
        let prefix = req.casebook.configuration.referencePrefix
        return try await req.store.sql.raw(query).all().map { row in
            AlertView(fingerprint: try row.decode(column: "fingerprint", as: String.self), source: try row.decode(column: "source", as: String.self),
                      name: try row.decode(column: "name", as: String.self), status: try row.decode(column: "status", as: String.self),
                      labels: (try? JSONDecoder().decode([String: String].self, from: Data(try row.decode(column: "labels", as: String.self).utf8))) ?? [:],
                      incident: try row.decode(column: "number", as: Int?.self).map { Reference(prefix: prefix, number: $0).description },
                      received: try row.decode(column: "received", as: Int.self), incidents: try row.decode(column: "incidents", as: Int.self),
                      flapping: try row.decode(column: "flapping", as: Bool.self),
                      firstSeenAt: try row.decode(column: "first_seen_at", as: Date.self), lastSeenAt: try row.decode(column: "last_seen_at", as: Date.self))
        }
    }
}
