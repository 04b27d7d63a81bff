@testable import CasebookServer
import CasebookCore
import Foundation
import Testing

/// The kinds the server writes are the kinds the document lists, so a client generated from it can read every answer.
@Suite("OpenAPI document agrees with the server")
struct OpenAPIAgreementTests {
    static func documented(_ schema: String, _ property: String) -> [String] {
        OpenAPIResponseCheck.document["components"]?["schemas"]?[schema]?["properties"]?[property]?["enum"]?.array?.compactMap(\.string) ?? []
    }

    @Test("job, outbound message and timeline kinds and inbound statuses are listed in full")
    func kinds() {
        #expect(Set(Self.documented("Job", "kind")) == Set(JobKind.allCases.map(\.rawValue)))
        #expect(Set(Self.documented("OutboundMessage", "kind")) == Set(OutboundKind.allCases.map(\.rawValue)))
        #expect(Set(Self.documented("TimelineEntry", "kind")) == Set(TimelineKind.allCases.map(\.rawValue)))
        #expect(Set(Self.documented("InboundReceipt", "status")) == Set(InboundStatus.allCases.map(\.rawValue)))
        #expect(Set(Self.documented("InboundMessage", "status")) == Set(InboundStatus.allCases.map(\.rawValue)))
    }

    @Test("the response check finds a value the document does not list, a missing member and a wrong type")
    func checkerCatchesMismatches() {
        let entry = #"[{"id":"0190b7a0-0000-7000-8000-000000000000","kind":"teleported","position":1,"visibility":"public","created_at":"2026-01-01T00:00:00.000Z"}]"#
        let found = OpenAPIResponseCheck.violations(method: "GET", path: "/api/v1/cases/CB-1/timeline", status: 200,
                                                    contentType: "application/json", body: Data(entry.utf8))
        #expect(found.contains { $0.contains("\"teleported\"") }, "\(found)")
        let wrongType = OpenAPIResponseCheck.violations(method: "GET", path: "/api/v1/me", status: 200, contentType: "application/json",
                                                        body: Data(#"{"id":5}"#.utf8))
        #expect(!wrongType.isEmpty, "\(wrongType)")
        let undocumented = OpenAPIResponseCheck.violations(method: "GET", path: "/api/v1/me", status: 299, contentType: nil, body: Data())
        #expect(undocumented.first?.contains("not documented") == true)
    }
}
