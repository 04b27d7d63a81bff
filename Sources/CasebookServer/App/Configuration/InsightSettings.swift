import Foundation

/// When several customers reporting trouble with one product version counts as an early warning.
public struct InsightSettings: Sendable, Equatable {
    /// Distinct organisations reporting the same product version…
    public var warningOrganisations = 3
    /// …within this many hours.
    public var warningWindowHours = 24

    public init() {}
}

extension CasebookConfiguration {
    static func insightSettings(_ reader: EnvironmentReader) throws(ConfigurationError) -> InsightSettings {
        var settings = InsightSettings()
        settings.warningOrganisations = try reader.integer("CASEBOOK_WARNING_ORGANISATIONS", in: 2...1_000) ?? settings.warningOrganisations
        settings.warningWindowHours = try reader.integer("CASEBOOK_WARNING_WINDOW_HOURS", in: 1...720) ?? settings.warningWindowHours
        return settings
    }
}
