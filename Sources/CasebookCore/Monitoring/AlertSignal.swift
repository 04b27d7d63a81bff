import Foundation

/// One alert as a monitoring system reported it, whatever the system.
public struct AlertSignal: Sendable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case firing, resolved
    }

    /// Identifies "the same alert" across repeats: Alertmanager's, or derived from the labels.
    public let fingerprint: String
    public let status: Status
    public let name: String
    public let severity: String?
    public let summary: String
    public let labels: [String: String]
    public let startsAt: Date?
    public let endsAt: Date?
    /// Which integration sent it ("alertmanager", or the generic webhook's `source`).
    public let source: String

    public init(fingerprint: String, status: Status, name: String, severity: String?, summary: String, labels: [String: String],
                startsAt: Date?, endsAt: Date?, source: String) {
        self.fingerprint = fingerprint
        self.status = status
        self.name = name
        self.severity = severity
        self.summary = summary
        self.labels = labels
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.source = source
    }

    /// Label names, in order, that may name the asset an alert is about.
    public static let assetLabels = ["asset", "asset_id", "serial", "instance", "host", "hostname"]

    /// The values that may identify the asset, in label-preference order.
    public var assetKeys: [String] {
        Self.assetLabels.compactMap { labels[$0] }.flatMap { value -> [String] in
            // "host:9100" names the host; try both.
            let host = value.split(separator: ":").first.map(String.init) ?? value
            return host == value ? [value] : [value, host]
        }
    }

    /// The case priority an alert's severity maps to.
    public var priority: Priority {
        switch severity?.lowercased() {
        case "critical", "disaster", "emergency", "page", "p1": .urgent
        case "error", "major", "high", "p2": .high
        case "info", "informational", "low", "p4", "p5": .low
        default: .normal
        }
    }

    /// A stable fingerprint for systems that send none: FNV-1a over the source, name and sorted labels.
    public static func fingerprint(source: String, name: String, labels: [String: String]) -> String {
        var text = source + "\u{1}" + name
        for key in labels.keys.sorted() { text += "\u{1}" + key + "=" + (labels[key] ?? "") }
        return StableHash.fnv1a64(text)
    }
}

/// Why an alert payload was refused; nothing in it is applied.
public enum AlertPayloadError: Error, Sendable, Equatable, CustomStringConvertible {
    case notJSON
    case invalid(field: String, message: String)

    public var description: String {
        switch self {
        case .notJSON: "The body is not a JSON object."
        case let .invalid(field, message): "\(field) \(message)"
        }
    }
}
