import CasebookCore
import Testing

@Suite("Another help desk's custom fields")
struct ImportedFieldTests {
    @Test("a field's name becomes a key of lower-case ASCII words, starting with a letter, at most 64 characters")
    func keys() {
        #expect(ImportedField.key(for: "Severity") == "severity")
        #expect(ImportedField.key(for: "Customer  Impact (est.)") == "customer_impact_est")
        #expect(ImportedField.key(for: "Sévérité") == "severite")
        #expect(ImportedField.key(for: "2nd line team") == "field_2nd_line_team")
        #expect(ImportedField.key(for: "—") == nil)
        #expect(ImportedField.key(for: "顧客") == nil)
        let long = ImportedField.key(for: String(repeating: "word ", count: 40))
        #expect(long?.count ?? 0 <= 64 && long?.hasSuffix("_") == false && long.map(CustomFieldDefinition.isValidKey) == true)
    }

    @Test("a value is taken in its field's kind, and refused when it does not fit")
    func values() {
        let text = CustomFieldDefinition(key: "note", label: "Note", kind: .text)
        #expect(ImportedField.value("  High ", for: text) == .text("High"))
        #expect(ImportedField.value("   ", for: text) == nil)
        #expect(ImportedField.value(String(repeating: "x", count: 5000), for: text) == nil, "longer than a text field holds")
        let number = CustomFieldDefinition(key: "units", label: "Units", kind: .number)
        #expect(ImportedField.value("12.5", for: number) == .number(12.5))
        #expect(ImportedField.value("many", for: number) == nil)
        let flag = CustomFieldDefinition(key: "vip", label: "VIP", kind: .boolean)
        #expect(ImportedField.value("Yes", for: flag) == .flag(true) && ImportedField.value("0", for: flag) == .flag(false))
        #expect(ImportedField.value("maybe", for: flag) == nil)
        let date = CustomFieldDefinition(key: "due", label: "Due", kind: .date)
        #expect(ImportedField.value("2024-05-01 00:00:00", for: date) == .text("2024-05-01"))
        #expect(ImportedField.value("2024-02-30", for: date) == nil)
        let choice = CustomFieldDefinition(key: "tier", label: "Tier", kind: .choice, choices: ["Gold", "Silver"])
        #expect(ImportedField.value("Gold", for: choice) == .text("Gold"))
        #expect(ImportedField.value("Bronze", for: choice) == nil)
    }
}
