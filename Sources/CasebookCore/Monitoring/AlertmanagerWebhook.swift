import Foundation

/// Reads Prometheus Alertmanager's webhook (version 4): a group of firing and resolved alerts.
public enum AlertmanagerWebhook {
    /// Most alerts accepted in one notification; Alertmanager's `max_alerts` keeps groups smaller.
    public static let maxAlerts = 1_000

    public static func parse(_ data: Data) throws(AlertPayloadError) -> [AlertSignal] {
        guard let object = try? JSONSerialization.jsonObject(with: data), let body = object as? [String: Any] else { throw .notJSON }
        guard let version = body["version"] as? String else { throw .invalid(field: "version", message: "is required") }
        guard version == "4" else { throw .invalid(field: "version", message: "must be \"4\" (got \"\(version)\")") }
        guard let alerts = body["alerts"] as? [Any] else { throw .invalid(field: "alerts", message: "must be an array") }
        guard !alerts.isEmpty else { throw .invalid(field: "alerts", message: "must not be empty") }
        guard alerts.count <= maxAlerts else { throw .invalid(field: "alerts", message: "holds more than \(maxAlerts) alerts") }
        let common = try JSONFields.strings(body["commonLabels"], field: "commonLabels") ?? [:]
        var signals: [AlertSignal] = []
        for (index, element) in alerts.enumerated() {
            let field = "alerts[\(index)]"
            guard let alert = element as? [String: Any] else { throw .invalid(field: field, message: "must be an object") }
            guard let statusText = alert["status"] as? String, let status = AlertSignal.Status(rawValue: statusText) else {
                throw .invalid(field: field + ".status", message: "must be firing or resolved")
            }
            guard let labels = try JSONFields.strings(alert["labels"], field: field + ".labels"), !labels.isEmpty else {
                throw .invalid(field: field + ".labels", message: "must be a non-empty object of strings")
            }
            let merged = common.merging(labels) { _, own in own }
            let annotations = try JSONFields.strings(alert["annotations"], field: field + ".annotations") ?? [:]
            let name = merged["alertname"] ?? "alert"
            let summary = annotations["summary"] ?? annotations["description"] ?? annotations["message"] ?? name
            let fingerprint = try JSONFields.text(alert["fingerprint"], field: field + ".fingerprint", max: 128)
                ?? AlertSignal.fingerprint(source: "alertmanager", name: name, labels: labels)
            signals.append(AlertSignal(
                fingerprint: fingerprint, status: status, name: name, severity: merged["severity"], summary: summary, labels: merged,
                startsAt: try JSONFields.date(alert["startsAt"], field: field + ".startsAt"),
                endsAt: try JSONFields.date(alert["endsAt"], field: field + ".endsAt"), source: "alertmanager"))
        }
        return signals
    }
}
