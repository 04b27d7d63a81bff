import CasebookCore
import Foundation

/// Settings for equipment, monitoring and phone calls.
public struct EquipmentSettings: Sendable, Equatable {
    /// The address customers reach Casebook at, for links printed on inspection labels.
    public var publicURL = "http://127.0.0.1:8080"
    /// Whether a resolved alert also solves its incident (otherwise it only adds a note).
    public var alertsResolveIncidents = false
    /// Flapping: this many firing/resolved changes within the window.
    public var flapThreshold = 4
    public var flapWindowMinutes = 60
    /// The PocketSphinx command; nil turns transcription off (recordings are kept, nothing is transcribed).
    public var transcriber: String?
    /// Optional JSGF grammar or keyword list narrowing what the recogniser listens for.
    public var transcriptionGrammar: String?
    public var transcriptionKeywords: String?
    /// The largest recording accepted.
    public var maxRecordingBytes = 100 * 1024 * 1024

    public init() {
        transcriber = Self.findPocketSphinx()
    }

    public var flapDamper: FlapDamper { FlapDamper(window: Double(flapWindowMinutes) * 60, threshold: flapThreshold) }

    static func findPocketSphinx() -> String? {
        ["/usr/bin/pocketsphinx_continuous", "/usr/local/bin/pocketsphinx_continuous"].first(where: FileManager.default.isExecutableFile(atPath:))
    }
}

extension CasebookConfiguration {
    static func equipmentSettings(_ reader: EnvironmentReader) throws(ConfigurationError) -> EquipmentSettings {
        var settings = EquipmentSettings()
        if let url = reader.string("CASEBOOK_PUBLIC_URL") {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw ConfigurationError(variable: "CASEBOOK_PUBLIC_URL", value: url, expected: "an http(s) URL such as https://help.example.com")
            }
            settings.publicURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        settings.alertsResolveIncidents = try reader.boolean("CASEBOOK_ALERTS_RESOLVE_INCIDENTS") ?? settings.alertsResolveIncidents
        settings.flapThreshold = try reader.integer("CASEBOOK_ALERTS_FLAP_THRESHOLD", in: 2...100) ?? settings.flapThreshold
        settings.flapWindowMinutes = try reader.integer("CASEBOOK_ALERTS_FLAP_WINDOW_MINUTES", in: 1...1_440) ?? settings.flapWindowMinutes
        if let command = reader.string("CASEBOOK_TRANSCRIBER") {
            if command.lowercased() == "none" {
                settings.transcriber = nil
            } else {
                guard FileManager.default.isExecutableFile(atPath: command) else {
                    throw ConfigurationError(variable: "CASEBOOK_TRANSCRIBER", value: command,
                                             expected: "the path of pocketsphinx_continuous (Debian's pocketsphinx), or none")
                }
                settings.transcriber = command
            }
        }
        for (name, path) in [("CASEBOOK_TRANSCRIPTION_GRAMMAR", reader.string("CASEBOOK_TRANSCRIPTION_GRAMMAR")),
                             ("CASEBOOK_TRANSCRIPTION_KEYWORDS", reader.string("CASEBOOK_TRANSCRIPTION_KEYWORDS"))] {
            guard let path else { continue }
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ConfigurationError(variable: name, value: path, expected: "a readable file")
            }
        }
        settings.transcriptionGrammar = reader.string("CASEBOOK_TRANSCRIPTION_GRAMMAR")
        settings.transcriptionKeywords = reader.string("CASEBOOK_TRANSCRIPTION_KEYWORDS")
        settings.maxRecordingBytes = try reader.integer("CASEBOOK_MAX_RECORDING_BYTES", in: 1_024...2_147_483_647) ?? settings.maxRecordingBytes
        return settings
    }
}
