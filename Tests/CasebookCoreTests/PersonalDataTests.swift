import CasebookCore
import Foundation
import Testing

@Suite("Personal data and retention rules")
struct PersonalDataTests {
    let ann = PersonalData(names: ["Ann Lee"], addresses: ["ann.lee@acme.example"], phones: ["+34 600 123 456"])

    @Test("a person's address, phone number in any spelling, full name and last name leave the text; other words stay")
    func scrubbing() {
        let text = "Hi, Ann Lee here (ANN.LEE@acme.example), call 600-123-456 or +34 600.123.456. Lee. Sleep well, Annie; an answer."
        #expect(ann.scrub(text) == "Hi, [removed] here ([removed]), call [removed] or [removed]. [removed]. Sleep well, Annie; an answer.")
        #expect(ann.scrub("Nothing about her") == "Nothing about her")
        let short = PersonalData(names: ["Bo"], addresses: [""], phones: ["123"])
        #expect(short.scrub("Bo says 123, boat") == "[removed] says 123, boat")
    }

    @Test("an anonymised address is unique per person and never deliverable")
    func anonymousAddress() {
        let id = UUID(uuidString: "12345678-9ABC-4DEF-8123-456789ABCDEF")!
        #expect(PersonalData.anonymousAddress(for: id) == "anonymised-12345678@anonymised.invalid")
        #expect(PersonalData.isAnonymous(PersonalData.anonymousAddress(for: id)))
        #expect(!PersonalData.isAnonymous("ann@acme.example"))
    }

    @Test("a rule's cutoff is whole calendar months back, and bad months or names are refused by field")
    func rules() throws {
        let rule = RetentionRule(id: UUID(), name: "  Two years  ", months: 24, action: .anonymise, organisationID: nil, active: true)
        let now = Date(timeIntervalSince1970: 1_780_000_000) // 2026-05-28
        #expect(rule.cutoff(now: now) == Date(timeIntervalSince1970: 1_780_000_000 - 730 * 86_400))
        #expect(try rule.validated().name == "Two years")
        var bad = rule
        bad.months = 0
        #expect(throws: DomainError.invalid("months", "must be between 1 and 600")) { try bad.validated() }
        bad.months = 12
        bad.name = " "
        #expect(throws: DomainError.invalid("name", "must be 1 to 200 characters")) { try bad.validated() }
    }
}
