import CasebookCore
import Foundation
import SQLKit
import Vapor

/// Everything the agent's case page shows.
struct DeskCasePage: Encodable {
    var page: PageChrome
    var reference: String
    var subject: String
    var status: String
    var priority: String
    var version: Int
    /// The newest timeline position when the page was made: a later one (a reply, a note, a rule) raises the banner.
    var position: Int
    var tone: String?
    /// The record, written by `TimelineHTML`.
    var timelineHTML: String
    var fields: Fields
    var customer: Customer
    var intake: Intake?
    var clocks: [Clock]
    /// What the customer's portal tells them to expect, in their language and zone.
    var customerExpects: PortalExpectation?
    var canned: [Option]
    var composerText: String
    var suggestions: [Suggestion]
    var similar: [Similar]
    var imagesShownFor: String?
    /// Time logged on the case, readable ("1 h 25 min"); nil when none.
    var timeSpent: String? = nil
    /// A canned response previewed as a macro: what it would say and change, with the button that applies it.
    var macro: MacroPanel? = nil
    /// Cases linked to this one (related, parent or child, duplicate), in this case's words.
    var links: [CaseLinkView] = []
    /// The team's address the case came in on, which its public replies go out from ("Brand Sales <sales@…>").
    var repliesFrom: String? = nil
    /// The staff following the case, by name ("Ana, Ben"), and whether the viewer is one of them.
    var followers: String? = nil
    var following = false
    /// Who is copied on the public replies ("Ana Ruiz <ana@…>"), and an address sent back after a refused copy.
    var copies: [Copy] = []
    var copyTyped = ""
    var copyError: String? = nil
    /// Sentences of the customer's own messages that say what they already tried, with a link to each message.
    var triedSaid: [TriedSaid] = []
    /// Replies held for review on this case: waiting, or settled (returned, sent, withdrawn), newest first.
    var held: [HeldReplyCard] = []
    var back = ""
    /// Status, priority and tone in the agent's words, for the line under the title.
    var statusWord = ""
    var priorityWord = ""
    var toneWord: String?

    struct TriedSaid: Encodable {
        var sentence: String
        var messageID: String
        var at: String
        var atISO: String
    }
    /// Subject, requester, organisation, product, category, tags and custom fields, editable.
    var details: CaseDetailsForm? = nil

    struct MacroPanel: Encodable {
        var cannedID: String
        var title: String
        var text: String
        var changes: [MacroPreview.Change]
    }

    struct Similar: Encodable {
        var reference: String
        var subject: String
        var status: String
        var reasons: String
    }

    struct Option: Encodable {
        var value: String
        var label: String
        var selected: Bool

        /// "—" for none, then each choice by name, the one whose id is `chosen` (lower-case, or empty) selected.
        static func list(_ choices: [CaseChoiceRepository.Choice], chosen: String) -> [Option] {
            [Option(value: "", label: "—", selected: chosen.isEmpty)]
                + choices.map { Option(value: $0.id.uuidString.lowercased(), label: $0.name, selected: $0.id.uuidString.lowercased() == chosen) }
        }
    }

    struct Fields: Encodable {
        var statuses: [Option]
        var priorities: [Option]
        var agents: [Option]
        var groups: [Option]
    }

    struct CaseLink: Encodable {
        var reference: String
        var subject: String
        var status: String
    }

    struct Customer: Encodable {
        var name: String
        var email: String
        var organisation: String?
        var contract: String?
        var openCases: [CaseLink]
        var previousCases: [CaseLink]
        /// The organisation's mean rating; `ownSatisfaction` is this person's.
        var satisfaction: String?
        var ownSatisfaction: String? = nil
        /// This person's latest survey answers, newest first.
        var ratings: [Rating] = []
        /// Why no mail reaches them, when their address bounced for good.
        var bounce: String?
    }

    struct Copy: Encodable {
        var address: String
        var label: String
    }

    struct Rating: Encodable {
        var reference: String
        var score: Int
        /// One or two out of five: shown as a warning.
        var low: Bool
        var comment: String?
        var at: String
        var atISO: String
    }

    struct Intake: Encodable {
        var version: Int
        var told: [CaseIntakeView.Answered]
        var tried: [CaseIntakeView.Answered]
        /// "Filled in in Español", and which questions it showed in the content language for want of a translation.
        var languageNote: String?
        var untranslatedNote: String?
    }

    /// Tells the agent the language a customer read the form in, and which questions reached them untranslated.
    static func intakeLanguageNotes(_ filed: IntakeRepository.Filed, content: String, t: [String: String], language: String) -> (String?, String?) {
        guard let asked = filed.askedIn else { return (nil, nil) }
        let names = ["language": WebText.nativeNames[asked] ?? asked, "content": WebText.nativeNames[content] ?? content]
        let askedNote = PlaceholderTemplate.render(t["case_intake_asked_in"] ?? "The customer filled in this form in {{language}}.", values: names)
        guard !filed.untranslated.isEmpty else { return (askedNote, nil) }
        let labels = filed.untranslated.map { key in filed.version.flow.questions.first { $0.key == key }?.label ?? key }
        let key = PluralCategory.keys("case_intake_untranslated", count: labels.count, language: language).lazy.compactMap { t[$0] }.first
            ?? "{{count}} questions were shown to the customer partly or wholly in {{content}}, for want of a {{language}} translation: {{questions}}."
        var values = names
        values["count"] = String(labels.count)
        values["questions"] = labels.map { "“\($0)”" }.joined(separator: ", ")
        return (askedNote, PlaceholderTemplate.render(key, values: values))
    }

    struct Clock: Encodable {
        var metric: String
        var state: String
        var due: String?
        var dueISO: String?
        var percentUsed: Int
        var explanation: String
    }

    /// An article on the case's knowledge panel: suggested, or already marked as solving it.
    struct Suggestion: Encodable {
        var id: String
        var title: String
        var snippet: String
        /// Public and published: the customer may read it, so it may go into a reply.
        var shareable: Bool
        var linked: Bool
    }

    /// The page for this case; after a refused "Details" save, `typed` and `detailsError` show the form as it was sent.
    static func load(_ record: CaseRecord, req: Request, typed: [String: String]? = nil, detailsError: String? = nil) async throws -> DeskCasePage {
        // The similar-cases panel searches new cases' words too; catching up writes, so it comes before the reads.
        try await SearchIndexer.catchUp(req.store)
        // Some thirty short reads: on one connection, inline on SQLite, they skip a thread hop each.
        return try await req.store.reading { _ in try await assemble(record, req: req, typed: typed, detailsError: detailsError) }
    }

    private static func assemble(_ record: CaseRecord, req: Request, typed: [String: String]?, detailsError: String?) async throws -> DeskCasePage {
        let sql = req.store.sql
        let prefix = req.casebook.configuration.referencePrefix
        let reference = Reference(prefix: prefix, number: record.number).description
        let showImages = req.query[UUID.self, at: "images"]

        func options(_ choices: [CaseChoiceRepository.Choice], selected: UUID?) -> [Option] {
            Option.list(choices, chosen: selected?.uuidString.lowercased() ?? "")
        }
        // The agent's own language, like every desk page.
        let language = req.webLanguage()
        let texts = req.application.webText.strings(language)
        // The panels' reads are independent of each other: started together, they run side by side where the database
        // allows it (see `ReadAhead`).
        let store = req.store
        let timelineRead = ReadAhead(store) { try await CasePageData.timeline(caseID: record.id, includeInternal: true, showImagesFor: showImages, t: texts, on: sql) }
        let agentsRead = ReadAhead(store) { try await CaseChoiceRepository.agents(on: sql) }
        let groupsRead = ReadAhead(store) { try await CaseChoiceRepository.groups(keeping: record.groupID, on: sql) }
        let intakeRead = ReadAhead(store) { try await IntakeRepository.filed(caseID: record.id, on: sql) }
        let slaRead = ReadAhead(store) { try await CaseSLAController().view(for: record, req: req) }
        let requesterRead = ReadAhead(store) { try await CustomerPanelRepository.person(record.requesterID, on: sql) }
        let cannedRead = ReadAhead(store) { try await CannedResponseRepository.all(on: sql) }
        let knowledgeRead = ReadAhead(store) { try await knowledge(for: record, req: req, on: sql) }
        let similarRead = ReadAhead(store) { try await ProblemController().similar(to: record, req: req) }
        let minutesRead = ReadAhead(store) { try await TimeEntryRepository.total(of: record.id, on: sql) }
        let customerRead = ReadAhead(store) { try await customer(of: record, prefix: prefix, texts: texts, on: sql) }
        let copiesRead = ReadAhead(store) { try await CaseCopyRepository.copies(of: record.id, on: sql) }
        let linksRead = ReadAhead(store) { try await CaseLinkRepository.of(record.id, prefix: prefix, on: sql) }
        let triedRead = ReadAhead(store) { try await AlreadyTriedController.load(caseID: record.id, on: sql) }
        let draftsRead = ReadAhead(store) { try await ReplyReviewRepository.forCase(record.id, prefix: prefix, on: sql) }
        let addressRead = ReadAhead(store) { try await MailAddressRepository.forCase(record.id, on: sql) }
        let followersRead = ReadAhead(store) { try await FollowerRepository.followers(of: record.id, on: sql) }

        let timeline = try await timelineRead.value
        let fields = Fields(
            statuses: CaseStatus.allCases.map { Option(value: $0.rawValue, label: texts["desk_status_" + $0.rawValue] ?? $0.words, selected: $0 == record.status) },
            priorities: Priority.allCases.map { Option(value: $0.rawValue, label: texts["priority_" + $0.rawValue] ?? $0.rawValue, selected: $0 == record.priority) },
            agents: options(try await agentsRead.value, selected: record.assigneeID),
            groups: options(try await groupsRead.value, selected: record.groupID))

        let intake = try await intakeRead.value.map { filed -> Intake in
            let answered = CaseIntakeView(filed).answers
            let (asked, untranslated) = Self.intakeLanguageNotes(filed, content: req.casebook.configuration.contentLanguage, t: texts, language: language)
            return Intake(version: filed.version.version, told: answered.filter { !$0.alreadyTried }, tried: answered.filter(\.alreadyTried),
                          languageNote: asked, untranslatedNote: untranslated)
        }
        let sla = try await slaRead.value
        let clocks = sla.metrics.map {
            Clock(metric: $0.metric.rawValue.replacingOccurrences(of: "_", with: " "), state: $0.state.rawValue, due: $0.dueAt.map(PageFormat.time),
                  dueISO: $0.dueAt.map(PageFormat.iso), percentUsed: $0.percentUsed, explanation: $0.explanation)
        }
        let requester = try await requesterRead.value
        let customerLanguage = requester?.language ?? "en"
        let customerZone = requester?.timeZone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
        let customerExpects = PortalExpectation.build(
            status: record.status, clocks: sla.metrics.map { .init(metric: $0.metric, state: $0.state, dueAt: $0.dueAt, fulfilledAt: $0.fulfilledAt) },
            now: req.now, zone: customerZone, language: customerLanguage, t: req.application.webText.strings(customerLanguage))
        let canned = try await cannedRead.value
        var composerText = ""
        var macro: MacroPanel?
        if let cannedID = req.query[UUID.self, at: "canned"], let chosen = canned.first(where: { $0.id == cannedID }) {
            composerText = try await CannedResponseRepository.fill(chosen.body, for: record, agent: try req.current.user.name, req: req)
            if req.query[String.self, at: "macro"] != nil {
                let preview = try await ApplyMacro(services: req.casebook).preview(chosen, to: record, text: composerText, on: sql)
                macro = MacroPanel(cannedID: cannedID.uuidString.lowercased(), title: chosen.title, text: preview.text, changes: preview.changes)
            }
        }
        let (linked, suggested, articles) = try await knowledgeRead.value
        let suggestions = linked.map { Suggestion(id: $0.id.uuidString.lowercased(), title: $0.title, snippet: $0.snippet, shareable: articles.contains($0.id), linked: true) }
            + suggested.map { Suggestion(id: $0.id.uuidString.lowercased(), title: $0.title, snippet: $0.snippet, shareable: articles.contains($0.id), linked: false) }
        if let articleID = req.query[UUID.self, at: "article"], articles.contains(articleID),
           let article = try await KnowledgeRepository.find(articleID, prefix: prefix, on: sql) {
            // The article's answer in the reply, with where to read it whole.
            composerText = article.body + "\n\n" + req.casebook.configuration.equipment.publicURL + "/kb/" + articleID.uuidString.lowercased()
        }
        let similar = try await similarRead.value.prefix(5).map {
            Similar(reference: $0.reference, subject: $0.subject, status: $0.status.rawValue, reasons: $0.reasons.joined(separator: ", "))
        }
        let minutes = try await minutesRead.value
        let chrome = req.chrome("\(reference) · \(record.subject)", area: "desk", language: language)
        var page = DeskCasePage(
            page: chrome, reference: reference, subject: record.subject,
            status: record.status.rawValue, priority: record.priority.rawValue, version: record.version,
            position: timeline.map(\.position).max() ?? 0,
            tone: record.tone, timelineHTML: TimelineHTML(reference: reference, desk: true, t: texts, csrf: chrome.csrf).render(timeline), fields: fields,
            customer: try await customerRead.value, intake: intake, clocks: clocks, customerExpects: customerExpects,
            // The response just inserted or previewed stays chosen, so "Insert" and "Preview as macro" act on it again.
            // Responses in the customer's language come first: the one to pick for them is at the top.
            canned: canned.sorted { ($0.language == customerLanguage ? 0 : 1, $0.title) < ($1.language == customerLanguage ? 0 : 1, $1.title) }
                .map { Option(value: $0.id.uuidString.lowercased(), label: "\($0.title) (\(WebText.nativeNames[$0.language] ?? $0.language))",
                              selected: $0.id == req.query[UUID.self, at: "canned"]) },
            composerText: composerText, suggestions: suggestions, similar: Array(similar), imagesShownFor: showImages.map { $0.uuidString.lowercased() })
        page.copies = try await copiesRead.value.map { copy in
            Copy(address: copy.address, label: copy.name.map { "\($0) <\(copy.address)>" } ?? copy.address)
        }
        page.copyTyped = String((req.query[String.self, at: "cc_address"] ?? "").prefix(320))
        if req.hasSession, let refused = req.session.data[CaseCopyPages.errorKey] {
            page.copyError = refused
            req.session.data[CaseCopyPages.errorKey] = nil
        }
        page.details = try await CaseDetailsForm.load(record, requesterEmail: page.customer.email, typed: typed, error: detailsError, on: sql)
        page.timeSpent = minutes > 0 ? TimeEntry.readable(minutes) : nil
        page.macro = macro
        page.links = try await linksRead.value
        page.statusWord = texts["desk_status_" + record.status.rawValue] ?? record.status.words
        page.priorityWord = texts["priority_" + record.priority.rawValue] ?? record.priority.rawValue
        page.toneWord = record.tone.map { texts["tone_" + $0] ?? $0 }
        page.triedSaid = try await triedRead.value.fromMessages.map {
            TriedSaid(sentence: $0.sentence, messageID: $0.messageID.uuidString.lowercased(), at: PageFormat.time($0.at), atISO: PageFormat.iso($0.at))
        }
        let drafts = try await draftsRead.value
        // A returned reply taken back into the composer by its author, to change and send again.
        if let redraft = req.query[UUID.self, at: "redraft"],
           let returned = drafts.first(where: { $0.id == redraft && $0.state == .returned && $0.authorID == (try? req.current.user.id) }) {
            page.composerText = returned.text
        }
        page.held = try await HeldReplyCard.cards(Array(drafts.prefix(10)), viewer: try req.current, t: texts, refused: ReplyReviewPages.takeRefused(req), on: sql)
        page.back = "/desk/cases/" + reference
        if let address = try await addressRead.value { page.repliesFrom = "\(address.displayName) <\(address.address)>" }
        let followers = try await followersRead.value
        page.followers = followers.isEmpty ? nil : followers.map(\.name).joined(separator: ", ")
        page.following = followers.contains { $0.userID == (try? req.current.user.id) }
        return page
    }

    /// The articles linked to the case, those suggested for it, and which of both a reply may quote.
    private static func knowledge(for record: CaseRecord, req: Request, on sql: any SQLDatabase) async throws
        -> (linked: [ArticleSuggestion], suggested: [ArticleSuggestion], shareable: Set<UUID>) {
        let linked = try await CaseKnowledgeController().linked(to: record, req: req)
        let suggested = try await CaseKnowledgeController().suggestions(for: record, req: req).filter { article in !linked.contains { $0.id == article.id } }
        return (linked, suggested, try await KnowledgeRepository.shareable(Set((linked + suggested).map(\.id)), on: sql))
    }

    /// The requester, their organisation and contract, their other cases and how satisfied the organisation has been.
    static func customer(of record: CaseRecord, prefix: String, texts: [String: String] = [:], on sql: any SQLDatabase) async throws -> Customer {
        func summary(_ found: SatisfactionHistoryRepository.Summary) -> String {
            PlaceholderTemplate.render(texts["csat_panel_summary"] ?? "{{average}} / 5 from {{count}} ratings",
                                       values: ["average": String(format: "%.1f", found.average), "count": String(found.count)])
        }
        let person = try await CustomerPanelRepository.person(record.requesterID, on: sql)
        var customer = Customer(name: person?.name ?? "", email: person?.email ?? "", openCases: [], previousCases: [])
        if let bounced = try await BouncedAddressRepository.all(address: customer.email, on: sql).first {
            customer.bounce = PlaceholderTemplate.render(
                texts["case_bounced"] ?? "Mail to this address bounced for good ({{status}}, {{date}}): {{reason}}. Nothing is sent to them until the address is fixed or cleared under Customers → Bounced addresses.",
                values: ["status": bounced.status, "date": String(Timestamp.format(bounced.bouncedAt).prefix(10)), "reason": String(bounced.reason.prefix(200))])
        }
        for other in try await CustomerPanelRepository.otherCases(of: record.requesterID, excluding: record.id, limit: 20, on: sql) {
            let link = CaseLink(reference: Reference(prefix: prefix, number: other.number).description, subject: other.subject, status: other.status)
            if DeskQueue.activeStatuses.contains(link.status) { customer.openCases.append(link) } else if customer.previousCases.count < 5 { customer.previousCases.append(link) }
        }
        if let organisationID = record.organisationID {
            customer.organisation = try await CustomerPanelRepository.organisationName(organisationID, on: sql)
            if let contract = try await CustomerPanelRepository.latestContract(of: organisationID, on: sql) {
                customer.contract = "\(contract.name) (\(contract.level))" + (contract.endsOn.map { ", until \($0)" } ?? "")
            }
            if let found = try await SatisfactionHistoryRepository.summary(organisation: organisationID, on: sql) {
                customer.satisfaction = summary(found)
            }
        }
        if let own = try await SatisfactionHistoryRepository.summary(requester: record.requesterID, on: sql) {
            customer.ownSatisfaction = summary(own)
        }
        customer.ratings = try await SatisfactionHistoryRepository.recent(requester: record.requesterID, on: sql).map {
            Rating(reference: Reference(prefix: prefix, number: $0.caseNumber).description, score: $0.score, low: $0.score <= 2,
                   comment: $0.comment.flatMap { $0.isEmpty ? nil : String($0.prefix(300)) }, at: PageFormat.time($0.answeredAt), atISO: PageFormat.iso($0.answeredAt))
        }
        return customer
    }
}
