import CasebookCore
import Foundation
import Leaf
import LeafKit

/// The strings of the customer-facing pages, per language, from `Resources/Locales/<language>.json`.
/// English is complete; another language falls back to English for any key it lacks.
struct WebText: Sendable {
    let catalogs: [String: [String: String]]
    /// Each language with English filling its gaps, merged once: pages ask for their strings many times a request.
    private let merged: [String: [String: String]]
    /// The same, as Leaf reads them: a page's frame hands them over ready-built instead of encoding some 2,700 strings
    /// for every page it renders (a sixth of the CPU the console's pages took).
    private let leafStrings: [String: PageStrings]
    /// The English refusals worded with values in them, to recognise the sentences the API builds.
    let faultTemplates: [FaultTemplate]

    init(catalogs: [String: [String: String]]) {
        self.catalogs = catalogs
        let english = catalogs["en"] ?? [:]
        self.merged = catalogs.mapValues { english.merging($0) { _, translated in translated } }
        self.leafStrings = merged.mapValues(PageStrings.init)
        self.faultTemplates = FaultTemplate.all(in: english)
    }

    static let languages = ["en", "es", "fr", "de"]
    /// Each language in its own words, for language choices.
    static let nativeNames = ["en": "English", "es": "Español", "fr": "Français", "de": "Deutsch"]

    static func load() throws -> WebText {
        var catalogs: [String: [String: String]] = [:]
        for language in languages {
            guard let url = Bundle.module.url(forResource: language, withExtension: "json", subdirectory: "Locales") else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Locales/\(language).json"])
            }
            catalogs[language] = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))
        }
        return WebText(catalogs: catalogs)
    }

    /// Every string for one language, English filling gaps.
    func strings(_ language: String) -> [String: String] {
        merged[language] ?? catalogs["en"] ?? [:]
    }

    /// Every string for one language, English filling gaps, ready for a page's frame.
    func pageStrings(_ language: String) -> PageStrings {
        leafStrings[language] ?? leafStrings["en"] ?? PageStrings([:])
    }

    /// Keys English has that another catalogue lacks (a test keeps this empty).
    func missing(in language: String) -> [String] {
        Set(catalogs["en"]?.keys.map { $0 } ?? []).subtracting(catalogs[language]?.keys.map { $0 } ?? []).sorted()
    }
}

/// One language's page strings with their Leaf form built once: Leaf's encoder takes a value that is
/// `LeafDataRepresentable` as it is, so a page's render no longer walks every string of the catalogue.
struct PageStrings: Encodable, LeafDataRepresentable, Sendable {
    let strings: [String: String]
    let leafData: LeafData

    init(_ strings: [String: String]) {
        self.strings = strings
        self.leafData = .dictionary(strings.mapValues { .string($0) })
    }

    func encode(to encoder: any Encoder) throws {
        try strings.encode(to: encoder)
    }
}
