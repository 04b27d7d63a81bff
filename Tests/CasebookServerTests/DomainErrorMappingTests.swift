@testable import CasebookServer
import CasebookCore
import CasebookMail
import Foundation
import Testing
import AsyncKit
import Vapor

/// Use cases refuse with `DomainError`; each adapter answers it in its own terms, from one mapping.
@Suite("Domain errors, mapped once per adapter")
struct DomainErrorMappingTests {
    @Test("HTTP answers each refusal with its status, words and fields")
    func http() {
        #expect(Problem(DomainError.invalid("subject", "must not be empty")).status == .unprocessableEntity)
        #expect(Problem(DomainError.invalid("subject", "must not be empty")).fieldErrors.first?.field == "subject")
        #expect(Problem(DomainError.notFound("Case CB-1")).status == .notFound)
        #expect(Problem(DomainError.conflict("Stale")).status == .conflict)
        #expect(Problem(DomainError.forbidden("No")).status == .forbidden)
        #expect(Problem(DomainError.malformed("Not a cursor")).status == .badRequest)
        let large = Problem(DomainError.tooLarge("Too big", field: "attachments[0].data"))
        #expect(large.status == .payloadTooLarge && large.fieldErrors.first?.field == "attachments[0].data")
        let many = Problem(DomainError.invalidFields("Two answers are wrong.", [FieldFault(field: "a", message: "x"), FieldFault(field: "b", message: "y")]))
        #expect(many.status == .unprocessableEntity && many.fieldErrors.map(\.field) == ["a", "b"])
        #expect(Problem.reason(CaseRuleError.invalidTransition(from: .pendingVendor, to: .new)).contains("CasebookCore") == false)
    }

    @Test("a request that waited too long for a database connection is a 503 with Retry-After, not a 500")
    func busy() async throws {
        try await withCasebook(.sqlite) { app in
            let request = Request(application: app, on: app.eventLoopGroup.next())
            let problem = ProblemMiddleware.problem(for: ConnectionPoolTimeoutError.connectionRequestTimeout, request: request)
            #expect(problem.status == .serviceUnavailable && problem.headers.first(name: .retryAfter) == "5")
        }
    }

    @Test("SMTP refuses a message that is too large or unreadable for good, and asks for a retry when storage failed")
    func smtp() {
        var session = SMTPServerSession(policy: .init(hostname: "mx.cb.example", maxMessageBytes: 100, maxRecipients: 3, offersTLS: false,
                                                      requiresTLS: false, acceptsRecipient: { _ in true }))
        #expect(SMTPConnectionHandler.reply(to: DomainError.tooLarge("The message is 50 MB"), session: &session).code == 552)
        #expect(SMTPConnectionHandler.reply(to: DomainError.invalid("message", "is empty"), session: &session).code == 554)
        let retry = SMTPConnectionHandler.reply(to: CocoaError(.fileWriteOutOfSpace), session: &session)
        #expect(retry.code == 451 && !retry.lines.joined().contains("Cocoa"), "internal details stay inside")
    }
}

/// The layering the code map promises, checked on the sources themselves.
@Suite("Layering")
struct LayeringTests {
    static let server = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/CasebookServer")

    static func sources(under folder: String) -> [(path: String, text: String)] {
        let root = server.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.compactMap { url in
            (try? String(contentsOf: url, encoding: .utf8)).map { (String(url.path.dropFirst(root.path.count + 1)), $0) }
        }
    }

    @Test("use cases, stores and jobs refuse with domain errors, never with an HTTP problem; only controllers, request parsing and pages speak HTTP")
    func useCasesSpeakNoHTTP() {
        #expect(Self.sources(under: "Features").count > 100, "the feature sources were found")
        #expect(Self.sources(under: "Features").contains { $0.text.contains("throw Problem.") }, "controllers still speak HTTP, so the check can see it")
        let speaksHTTP = Self.sources(under: "Features").filter { file in
            !file.path.hasSuffix("Controller.swift") && !file.path.hasPrefix("Web/") && !file.path.hasSuffix("CaseSearchQuery.swift")
        }.filter { file in
            file.text.replacingOccurrences(of: "Problem.from", with: "").replacingOccurrences(of: "Problem.reason", with: "")
                .range(of: #"\bProblem[.(]"#, options: .regularExpression) != nil
        }.map(\.path)
        #expect(speaksHTTP == [], "these throw HTTP problems outside the HTTP layer")
    }

    /// A SQL statement or query-builder call: raw SQL, SQLKit builders, or a Fluent query.
    static let sqlCall = #"\.raw\(|\.select\(\)|\.insert\(into|\.update\(\"|\.delete\(from|SQLQueryString|\.query\(on:"#

    @Test("SQL lives in repositories and Persistence/: no other file holds a statement")
    func sqlStaysInRepositories() {
        let all = ["App", "HTTP", "Features", "Support"].flatMap { folder in Self.sources(under: folder).map { (folder + "/" + $0.path, $0.text) } }
        #expect(all.count > 150, "the server sources were found")
        let holding = Set(all.filter { !$0.0.hasSuffix("Repository.swift") && $0.1.range(of: Self.sqlCall, options: .regularExpression) != nil }.map(\.0))
        #expect(holding.sorted() == [], "SQL outside a repository: move it into the feature's repository")
        #expect(all.contains { $0.0.hasSuffix("Repository.swift") && $0.1.range(of: Self.sqlCall, options: .regularExpression) != nil },
                "the pattern still recognises a repository's SQL")
    }

    @Test("the domain core imports no Vapor, Fluent or SQL")
    func coreIsPure() {
        let core = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/CasebookCore")
        let walker = FileManager.default.enumerator(at: core, includingPropertiesForKeys: nil)
        let offenders = (walker?.compactMap { $0 as? URL } ?? []).filter { $0.pathExtension == "swift" }.filter { url in
            let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            return text.range(of: #"(?m)^import (Vapor|Fluent|SQLKit|NIO)"#, options: .regularExpression) != nil
        }.map(\.lastPathComponent)
        #expect((walker == nil) == false)
        #expect(offenders == [])
    }
}
