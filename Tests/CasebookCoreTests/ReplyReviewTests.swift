import CasebookCore
import Foundation
import Testing

@Suite struct ReplyReviewTests {
    @Test func replyLanguageComesFromTheTextOnlyWhenClear() {
        #expect(ReplyReview.language(of: "Hola Ana, ya hemos reiniciado el servidor y la VPN funciona de nuevo.") == "es")
        #expect(ReplyReview.language(of: "Bonjour, nous avons redémarré le serveur et le VPN fonctionne de nouveau.") == "fr")
        #expect(ReplyReview.language(of: "Hello Carla, please send a photo of the paper path.") == "en")
        #expect(ReplyReview.language(of: "OK!") == nil)
    }

    @Test func anAuthorWithoutAListWritesTheirProfileLanguage() {
        #expect(ReplyReview.reason(language: "en", listed: [], profileLanguage: "en") == nil)
        #expect(ReplyReview.reason(language: "es", listed: [], profileLanguage: "en") == .language)
        #expect(ReplyReview.reason(language: "es", listed: [], profileLanguage: "es") == nil)
    }

    @Test func aListReplacesTheProfileLanguage() {
        #expect(ReplyReview.reason(language: "es", listed: ["en", "es"], profileLanguage: "en") == nil)
        #expect(ReplyReview.reason(language: "en", listed: ["de"], profileLanguage: "en") == .language)
    }

    @Test func listsAreCheckedAndOrdered() throws {
        #expect(try ReplyReview.checked([" ES", "en", "es", ""]) == ["en", "es"])
        #expect(throws: ReviewLanguageError(code: "pt")) { try ReplyReview.checked(["en", "pt"]) }
        #expect(ReplyReview.listed(ReplyReview.stored(["fr", "de"])) == ["fr", "de"])
        #expect(ReplyReview.listed("") == [])
    }
}

@Suite struct ReviewRuleActionTests {
    @Test func aRuleCanAskForEveryReplyToBeReviewed() throws {
        let rule = try AutomationRule(id: UUID(), name: "Legal", trigger: .caseCreated,
                                      conditions: [try RuleCondition(.subject, .contains, .text("contract"))],
                                      actions: [try RuleAction(.reviewReplies)])
        let facts = RuleFacts(state: CaseState(subject: "Our contract", priority: .normal, requesterID: UserID(), tier: 1, tags: []),
                              channel: "email", slaPercentUsed: nil, slaState: nil, hoursSinceCustomerReply: nil, contractLevel: nil)
        let plans = RuleEngine.evaluate([rule], trigger: .caseCreated, facts: facts)
        #expect(plans.count == 1 && plans[0].reviewReplies && plans[0].patch == CasePatch())
    }
}
