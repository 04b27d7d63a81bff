import CasebookCore
import Foundation
import Testing

@Suite("Applying changes to a case")
struct CaseStateTests {
    let requester = UserID()

    func state(_ status: CaseStatus = .open) -> CaseState {
        CaseState(subject: "Printer jams", status: status, requesterID: requester)
    }

    @Test("a patch lists each changed field with old and new value, in order")
    func recordsChanges() throws {
        let assignee = UserID()
        let (next, changes) = try state().applying(
            CasePatch(status: .pendingCustomer, priority: .high, assigneeID: .some(assignee), tags: ["VIP", " vip ", "printer"]),
            definitions: [])
        #expect(next.status == .pendingCustomer)
        #expect(next.tags == ["printer", "vip"])
        #expect(changes.map(\.field) == ["status", "priority", "assignee", "tags"])
        #expect(changes[0] == FieldChange(field: "status", oldValue: "open", newValue: "pending_customer", visibility: .public))
        #expect(changes[2].visibility == .internal)
        #expect(changes[2].newValue == assignee.description)
    }

    @Test("setting a field to its current value records nothing")
    func noOpPatch() throws {
        let (_, changes) = try state().applying(CasePatch(status: .open, priority: .normal), definitions: [])
        #expect(changes.isEmpty)
    }

    @Test("clearing an optional field records the old value and nil")
    func clearing() throws {
        var start = state()
        start.groupID = GroupID()
        let (next, changes) = try start.applying(CasePatch(groupID: .some(nil)), definitions: [])
        #expect(next.groupID == nil)
        #expect(changes.first?.newValue == nil && changes.first?.oldValue != nil)
    }

    @Test("reopening a solved case counts the reopen")
    func reopenCount() throws {
        let (next, _) = try state(.solved).applying(CasePatch(status: .open), definitions: [])
        #expect(next.reopenCount == 1)
    }

    @Test("an invalid move changes nothing and throws")
    func invalidMove() {
        #expect(throws: CaseRuleError.invalidTransition(from: .open, to: .closed)) {
            try state().applying(CasePatch(status: .closed, priority: .urgent), definitions: [])
        }
    }

    @Test("subjects must be present and at most 250 characters", arguments: ["", "   ", String(repeating: "x", count: 251)])
    func badSubject(subject: String) {
        #expect(throws: CaseRuleError.self) { try state().applying(CasePatch(subject: subject), definitions: []) }
    }

    @Test("tiers stay between 1 and 9")
    func tiers() {
        #expect(throws: CaseRuleError.invalidField(name: "tier", reason: "must be between 1 and 9")) {
            try state().applying(CasePatch(tier: 0), definitions: [])
        }
    }

    @Test("opening checks required custom fields")
    func openingChecksRequired() {
        let definitions = [CustomFieldDefinition(key: "serial", label: "Serial", kind: .text, required: true)]
        #expect(throws: CaseRuleError.missingField(name: "custom_fields.serial")) {
            try CaseState.opening(state(), definitions: definitions)
        }
    }
}
