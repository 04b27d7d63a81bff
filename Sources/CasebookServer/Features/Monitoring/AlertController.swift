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
        var status: AlertSignal.Status?
        if let asked = req.query[String.self, at: "status"] {
            guard let known = AlertSignal.Status(rawValue: asked) else { throw Problem.badRequest("Query parameter 'status' must be firing or resolved.") }
            status = known
        }
        var assetID: UUID?
        if let asset = req.query[String.self, at: "asset_id"] {
            guard let id = UUID(uuidString: asset) else { throw Problem.badRequest("Query parameter 'asset_id' must be an asset id.") }
            assetID = id
        }
        return try await MonitoringAlertRepository.list(status: status, flappingOnly: req.query[Bool.self, at: "flapping"] == true, assetID: assetID,
                                                        prefix: req.casebook.configuration.referencePrefix, on: req.store.sql)
    }
}
