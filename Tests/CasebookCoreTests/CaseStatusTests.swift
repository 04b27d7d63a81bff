import CasebookCore
import Testing

@Suite("Case status transitions")
struct CaseStatusTests {
    @Test("every allowed move succeeds and every other move is refused", arguments: CaseStatus.allCases)
    func transitionMatrix(from: CaseStatus) throws {
        for to in CaseStatus.allCases where to != from {
            if from.allowedNext.contains(to) {
                #expect(try from.transition(to: to).to == to)
            } else {
                #expect(throws: CaseRuleError.invalidTransition(from: from, to: to)) { try from.transition(to: to) }
            }
        }
    }

    @Test("moving a solved case back to open is a reopen")
    func reopen() throws {
        #expect(try CaseStatus.solved.transition(to: .open).isReopen)
        #expect(try !CaseStatus.pendingCustomer.transition(to: .open).isReopen)
    }

    @Test("a closed case can go nowhere")
    func closedIsFinal() {
        #expect(CaseStatus.closed.allowedNext.isEmpty)
        #expect(throws: CaseRuleError.self) { try CaseStatus.closed.transition(to: .open) }
    }

    @Test("waiting statuses pause the clock; solved and closed are inactive")
    func flags() {
        #expect(CaseStatus.pendingCustomer.isWaiting && CaseStatus.pendingVendor.isWaiting)
        #expect(!CaseStatus.open.isWaiting)
        #expect(!CaseStatus.solved.isActive && !CaseStatus.closed.isActive && CaseStatus.new.isActive)
    }

    @Test("the refusal names the allowed moves")
    func message() {
        let error = CaseRuleError.invalidTransition(from: .new, to: .closed)
        #expect(error.message.contains("open, pending_customer, pending_vendor, solved"))
    }
}
