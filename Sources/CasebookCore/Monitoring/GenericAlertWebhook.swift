import Foundation

/// Reads the generic alert webhook: one alert object, or `{"alerts": [...]}`, from any monitoring tool.
///
/// Each alert: `title` (required), `status` (firing/resolved; also problem/ok), `source`, `fingerprint`,
/// `severity`, `description`, `labels` (object of strings), `asset` (an asset's id, serial or host name).
public enum GenericAlertWebhook {
    public static func parse(_ data: Data) throws(AlertPayloadError) -> [AlertSignal] {
        guard let object = try? JSONSerialization.jsonObject(with: data), let body = object as? [String: Any] else { throw .notJSON }
        let list: [Any]
        if let alerts = body["alerts"] {
            guard let array = alerts as? [Any], !array.isEmpty else { throw .invalid(field: "alerts", message: "must be a non-empty array") }
            list = array
        } else {
            list = [body]
        }
        guard list.count <= AlertmanagerWebhook.maxAlerts else { throw .invalid(field: "alerts", message: "holds too many alerts") }
        var signals: [AlertSignal] = []
        for (index, element) in list.enumerated() {
            let field = body["alerts"] == nil ? "" : "alerts[\(index)]."
            guard let alert = element as? [String: Any] else { throw .invalid(field: "alerts[\(index)]", message: "must be an object") }
            guard let title = try JSONFields.text(alert["title"], field: field + "title", max: 300) else {
                throw .invalid(field: field + "title", message: "is required")
            }
            let status: AlertSignal.Status
            switch (try JSONFields.text(alert["status"], field: field + "status", max: 20) ?? "firing").lowercased() {
            case "firing", "problem", "alert", "down", "critical": status = .firing
            case "resolved", "ok", "up", "recovered": status = .resolved
            default: throw .invalid(field: field + "status", message: "must be firing or resolved")
            }
            var labels = try JSONFields.strings(alert["labels"], field: field + "labels") ?? [:]
            if let asset = try JSONFields.text(alert["asset"], field: field + "asset", max: 200) { labels["asset"] = asset }
            let source = try JSONFields.text(alert["source"], field: field + "source", max: 100) ?? "webhook"
            let fingerprint = try JSONFields.text(alert["fingerprint"], field: field + "fingerprint", max: 128)
                ?? AlertSignal.fingerprint(source: source, name: title, labels: labels)
            signals.append(AlertSignal(
                fingerprint: fingerprint, status: status, name: title,
                severity: try JSONFields.text(alert["severity"], field: field + "severity", max: 50),
                summary: try JSONFields.text(alert["description"], field: field + "description", max: 10_000) ?? title,
                labels: labels, startsAt: try JSONFields.date(alert["starts_at"], field: field + "starts_at"), endsAt: nil, source: source))
        }
        return signals
    }
}
