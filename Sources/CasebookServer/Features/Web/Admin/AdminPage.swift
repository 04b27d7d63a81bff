import Foundation
import SQLKit
import Vapor

/// One admin page: its path under `/admin`, its title and intro, and what it lists and offers. Each page is one type in
/// `Pages/`, so changing what an admin sees of an area means opening the file named for it.
protocol AdminPage: Sendable {
    var name: String { get }
    var title: String { get }
    var intro: String { get }
    /// Fills the page's table and forms.
    func fill(_ page: inout AdminSection, for req: Request) async throws
}

extension AdminSection {
    /// Organisations as choices for a form.
    static func organisationOptions(on sql: any SQLDatabase) async throws -> [Option] {
        try await OrganisationRepository.summaries(limit: nil, on: sql).map { Option(value: $0.id.uuidString.lowercased(), label: $0.name) }
    }

    /// The languages Casebook writes to customers in, as choices for a form.
    static var languageOptions: [Option] {
        WebText.languages.map { Option(value: $0, label: WebText.nativeNames[$0] ?? $0) }
    }
}
