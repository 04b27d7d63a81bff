@testable import CasebookServer
import CasebookCore
import CasebookMail
import Foundation
import Testing

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
