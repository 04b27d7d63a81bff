import CasebookCore
import Testing

@Suite("Custom fields")
struct CustomFieldTests {
    let definitions = [
        CustomFieldDefinition(key: "serial", label: "Serial", kind: .text),
        CustomFieldDefinition(key: "seats", label: "Seats", kind: .number),
        CustomFieldDefinition(key: "onsite", label: "On site", kind: .boolean),
        CustomFieldDefinition(key: "due", label: "Due", kind: .date),
        CustomFieldDefinition(key: "region", label: "Region", kind: .choice, choices: ["emea", "apac"]),
    ]

    @Test("values of the right kind are accepted")
    func accepts() throws {
        let merged = try CustomFieldValidator.merge(
            current: [:],
            changes: ["serial": .text("A-1"), "seats": .number(12), "onsite": .flag(true), "due": .text("2026-02-28"), "region": .text("emea")],
            definitions: definitions)
        #expect(merged.count == 5)
    }

    @Test("values of the wrong kind are refused, naming the field", arguments: [
        ("seats", FieldValue.text("twelve")), ("onsite", .number(1)), ("due", .text("2026-02-30")), ("due", .text("28/02/2026")),
        ("region", .text("mars")), ("serial", .flag(false)),
    ])
    func refuses(key: String, value: FieldValue) {
        #expect(throws: CaseRuleError.self) { try CustomFieldValidator.merge(current: [:], changes: [key: value], definitions: definitions) }
    }

    @Test("an undefined field is refused")
    func unknown() {
        #expect(throws: CaseRuleError.unknownField(name: "custom_fields.colour")) {
            try CustomFieldValidator.merge(current: [:], changes: ["colour": .text("red")], definitions: definitions)
        }
    }

    @Test("null clears a value")
    func clears() throws {
        let merged = try CustomFieldValidator.merge(current: ["serial": .text("A")], changes: ["serial": FieldValue?.none], definitions: definitions)
        #expect(merged.isEmpty)
    }

    @Test("definitions need a safe key, a label and choices for choice fields")
    func definitionRules() {
        #expect(throws: CaseRuleError.self) { try CustomFieldDefinition(key: "Bad Key", label: "x", kind: .text).validateDefinition() }
        #expect(throws: CaseRuleError.self) { try CustomFieldDefinition(key: "ok", label: " ", kind: .text).validateDefinition() }
        #expect(throws: CaseRuleError.self) { try CustomFieldDefinition(key: "ok", label: "OK", kind: .choice).validateDefinition() }
        #expect(throws: Never.self) { try CustomFieldDefinition(key: "ok_2", label: "OK", kind: .number).validateDefinition() }
    }
}
