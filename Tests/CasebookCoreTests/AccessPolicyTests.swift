import CasebookCore
import Testing

@Suite("Access policy")
struct AccessPolicyTests {
    let organisation = OrganisationID()
    let other = OrganisationID()

    func customer(shares: Bool = false) -> Actor {
        Actor(userID: UserID(), role: .customer, organisationID: organisation, organisationSharesCases: shares)
    }

    @Test("a customer sees their own case")
    func ownCase() {
        let me = customer()
        #expect(AccessPolicy.decide(.readCase(CaseAccessFacts(requesterID: me.userID, organisationID: organisation)), for: me) == .allowed)
    }

    @Test("a colleague's case is hidden unless the organisation shares cases")
    func colleagueCase() {
        let facts = CaseAccessFacts(requesterID: UserID(), organisationID: organisation)
        #expect(AccessPolicy.decide(.readCase(facts), for: customer()) == .hidden)
        #expect(AccessPolicy.decide(.readCase(facts), for: customer(shares: true)) == .allowed)
    }

    @Test("another organisation's case is hidden (404), never forbidden (403)")
    func otherOrganisation() {
        let facts = CaseAccessFacts(requesterID: UserID(), organisationID: other)
        for action in [AccessAction.readCase(facts), .updateCase(facts), .addMessage(facts, .public), .addMessage(facts, .internal)] {
            #expect(AccessPolicy.decide(action, for: customer(shares: true)) == .hidden)
        }
    }

    @Test("customers add public replies only and never read internal entries")
    func customerMessages() {
        let me = customer()
        let facts = CaseAccessFacts(requesterID: me.userID, organisationID: organisation)
        #expect(AccessPolicy.decide(.addMessage(facts, .public), for: me) == .allowed)
        #expect(AccessPolicy.decide(.addMessage(facts, .internal), for: me) == .forbidden)
        #expect(AccessPolicy.decide(.readInternal, for: me) == .forbidden)
        #expect(AccessPolicy.decide(.updateCase(facts), for: me) == .forbidden)
    }

    @Test("account managers read everything and change nothing")
    func accountManager() {
        let manager = Actor(userID: UserID(), role: .accountManager)
        let facts = CaseAccessFacts(requesterID: UserID(), organisationID: other)
        #expect(AccessPolicy.decide(.readCase(facts), for: manager) == .allowed)
        #expect(AccessPolicy.decide(.readInternal, for: manager) == .allowed)
        #expect(AccessPolicy.decide(.updateCase(facts), for: manager) == .forbidden)
        #expect(AccessPolicy.decide(.addMessage(facts, .internal), for: manager) == .forbidden)
        #expect(AccessPolicy.decide(.createCase(requesterID: manager.userID), for: manager) == .forbidden)
    }

    @Test("agents manage customers but not staff or the catalogue")
    func agent() {
        let agent = Actor(userID: UserID(), role: .agent)
        #expect(AccessPolicy.decide(.managePeople(targetRole: .customer), for: agent) == .allowed)
        #expect(AccessPolicy.decide(.managePeople(targetRole: .admin), for: agent) == .forbidden)
        #expect(AccessPolicy.decide(.manageCatalog, for: agent) == .forbidden)
        #expect(AccessPolicy.decide(.exportData, for: agent) == .forbidden)
    }

    @Test("admins may do everything", arguments: [
        AccessAction.listCases, .readInternal, .manageCatalog, .exportData, .managePeople(targetRole: .admin),
    ])
    func admin(action: AccessAction) {
        #expect(AccessPolicy.decide(action, for: Actor(userID: UserID(), role: .admin)) == .allowed)
    }

    @Test("only the owner (or an admin) manages a token")
    func tokens() {
        let me = customer()
        #expect(AccessPolicy.decide(.manageTokens(ownerID: me.userID), for: me) == .allowed)
        #expect(AccessPolicy.decide(.manageTokens(ownerID: UserID()), for: me) == .forbidden)
    }
}

@Suite("Access policy: tokens")
struct TokenPolicyTests {
    @Test("an agent cannot issue a token for anyone else")
    func agentTokens() {
        let agent = Actor(userID: UserID(), role: .agent)
        #expect(AccessPolicy.decide(.manageTokens(ownerID: agent.userID), for: agent) == .allowed)
        #expect(AccessPolicy.decide(.manageTokens(ownerID: UserID()), for: agent) == .forbidden)
    }
}
