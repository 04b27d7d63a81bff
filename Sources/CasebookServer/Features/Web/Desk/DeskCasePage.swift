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
    var timeline: [TimelineItem]
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
        var satisfaction: String?
        /// Why no mail reaches them, when their address bounced for good.
        var bounce: String?
    }

    struct Intake: Encodable {
        var version: Int
        var told: [CaseIntakeView.Answered]
        var tried: [CaseIntakeView.Answered]
    }

    struct Clock: Encodable {
        var metric: String
        var state: String
        var due: String?
        var dueISO: String?
        var percentUsed: Int
        var explanation: String
    }

    struct Suggestion: Encodable {
        var title: String
        var snippet: String
    }

    static func load(_ record: CaseRecord, req: Request) async throws -> DeskCasePage {
        let sql = req.store.sql
        let prefix = req.casebook.configuration.referencePrefix
        let reference = Reference(prefix: prefix, number: record.number).description
        let showImages = req.query[UUID.self, at: "images"]
        let timeline = try await CasePageData.timeline(caseID: record.id, includeInternal: true, showImagesFor: showImages, on: sql)

        let agents = try await sql.select().columns("id", "name").from("users").where("role", .in, SQLBind.group(["agent", "admin"]))
            .where("active", .equal, true).orderBy("name").all()
        // A retired group is offered only to the cases it still holds.
        let groups = try await sql.select().columns("id", "name").from("groups")
            .where { $0.where("retired_at", .is, SQLLiteral.null).orWhere("id", .equal, record.groupID) }.orderBy("name").all()
        func options(_ rows: [any SQLRow], selected: UUID?) throws -> [Option] {
            [Option(value: "", label: "—", selected: selected == nil)] + (try rows.map {
                let id = try $0.decode(column: "id", as: UUID.self)
                return Option(value: id.uuidString.lowercased(), label: try $0.decode(column: "name", as: String.self), selected: id == selected)
            })
        }
        let fields = Fields(
            statuses: CaseStatus.allCases.map { Option(value: $0.rawValue, label: $0.words, selected: $0.rawValue == record.status) },
            priorities: Priority.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == record.priority) },
            agents: try options(agents, selected: record.assigneeID), groups: try options(groups, selected: record.groupID))

        let intake = try await IntakeStore.filed(caseID: record.id, on: sql).map { filed -> Intake in
            let answered = CaseIntakeView(filed).answers
            return Intake(version: filed.version.version, told: answered.filter { !$0.alreadyTried }, tried: answered.filter(\.alreadyTried))
        }
        let sla = try await CaseSLAController().show(req: req)
        let clocks = sla.metrics.map {
            Clock(metric: $0.metric.rawValue.replacingOccurrences(of: "_", with: " "), state: $0.state.rawValue, due: $0.dueAt.map(PageFormat.time),
                  dueISO: $0.dueAt.map(PageFormat.iso), percentUsed: $0.percentUsed, explanation: $0.explanation)
        }
        let requester = try await sql.select().columns("language", "time_zone").from("users").where("id", .equal, record.requesterID).first()
        let customerLanguage = (try requester?.decode(column: "language", as: String?.self)).flatMap { $0 } ?? "en"
        let customerZone = (try requester?.decode(column: "time_zone", as: String?.self)).flatMap { $0 }.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
        let customerExpects = PortalExpectation.build(
            status: record.status, clocks: sla.metrics.map { .init(metric: $0.metric, state: $0.state, dueAt: $0.dueAt, fulfilledAt: $0.fulfilledAt) },
            now: req.now, zone: customerZone, language: customerLanguage, t: req.application.webText.strings(customerLanguage))
        let canned = try await CannedResponseRepository.all(on: sql)
        var composerText = ""
        var macro: MacroPanel?
        if let cannedID = req.query[UUID.self, at: "canned"], let chosen = canned.first(where: { $0.id == cannedID }) {
            composerText = try await CannedResponseRepository.fill(chosen.body, for: record, agent: try req.current.user.name, req: req)
            if req.query[String.self, at: "macro"] != nil {
                let preview = try await ApplyMacro(services: req.casebook).preview(chosen, to: record, text: composerText, on: sql)
                macro = MacroPanel(cannedID: cannedID.uuidString.lowercased(), title: chosen.title, text: preview.text, changes: preview.changes)
            }
        }
        let suggestions = try await CaseKnowledgeController().suggestions(req: req).map { Suggestion(title: $0.title, snippet: $0.snippet) }
        let similar = try await ProblemController().similar(req: req).prefix(5).map {
            Similar(reference: $0.reference, subject: $0.subject, status: $0.status, reasons: $0.reasons.joined(separator: ", "))
        }
        let minutes = try await TimeLog.total(of: record.id, on: sql)
        var page = DeskCasePage(
            page: req.chrome("\(reference) · \(record.subject)", area: "desk", language: "en"), reference: reference, subject: record.subject,
            status: record.status, priority: record.priority, version: record.version,
            position: timeline.map(\.position).max() ?? 0,
            tone: record.tone, timeline: timeline, fields: fields,
            customer: try await customer(of: record, prefix: prefix, on: sql), intake: intake, clocks: clocks, customerExpects: customerExpects,
            // The response just inserted or previewed stays chosen, so "Insert" and "Preview as macro" act on it again.
            canned: canned.map { Option(value: $0.id.uuidString.lowercased(), label: "\($0.title) (\($0.language))",
                                        selected: $0.id == req.query[UUID.self, at: "canned"]) },
            composerText: composerText, suggestions: suggestions, similar: Array(similar), imagesShownFor: showImages.map { $0.uuidString.lowercased() })
        page.timeSpent = minutes > 0 ? TimeLog.readable(minutes) : nil
        page.macro = macro
        page.links = try await CaseLinkRepository.of(record.id, prefix: prefix, on: sql)
        if let address = try await MailAddressRepository.forCase(record.id, on: sql) { page.repliesFrom = "\(address.displayName) <\(address.address)>" }
        let followers = try await FollowerRepository.followers(of: record.id, on: sql)
        page.followers = followers.isEmpty ? nil : followers.map(\.name).joined(separator: ", ")
        page.following = followers.contains { $0.userID == (try? req.current.user.id) }
        return page
    }

    /// The requester, their organisation and contract, their other cases and how satisfied the organisation has been.
    static func customer(of record: CaseRecord, prefix: String, on sql: any SQLDatabase) async throws -> Customer {
        let person = try await sql.select().columns("name", "email").from("users").where("id", .equal, record.requesterID).first()
        var customer = Customer(name: try person?.decode(column: "name", as: String.self) ?? "", email: try person?.decode(column: "email", as: String.self) ?? "",
                                openCases: [], previousCases: [])
        if let bounced = try await BouncedAddresses.all(address: customer.email, on: sql).first {
            customer.bounce = "Mail to this address bounced for good (\(bounced.status), \(Timestamp.format(bounced.bouncedAt).prefix(10))): "
                + "\(bounced.reason.prefix(200)). Nothing is sent to them until the address is fixed or cleared under Customers → Bounced addresses."
        }
        let others = try await sql.select().columns("number", "subject", "status").from("cases")
            .where("requester_id", .equal, record.requesterID).where("id", .notEqual, record.id)
            .orderBy("created_at", .descending).limit(20).all()
        for row in others {
            let link = CaseLink(reference: Reference(prefix: prefix, number: try row.decode(column: "number", as: Int.self)).description,
                                subject: try row.decode(column: "subject", as: String.self), status: try row.decode(column: "status", as: String.self))
            if DeskQueue.activeStatuses.contains(link.status) { customer.openCases.append(link) } else if customer.previousCases.count < 5 { customer.previousCases.append(link) }
        }
        if let organisationID = record.organisationID {
            customer.organisation = try await sql.select().column("name").from("organisations").where("id", .equal, organisationID).first()?
                .decode(column: "name", as: String.self)
            if let contract = try await sql.select().columns("name", "level", "ends_on").from("contracts").where("organisation_id", .equal, organisationID)
                .orderBy("starts_on", .descending).first() {
                customer.contract = "\(try contract.decode(column: "name", as: String.self)) (\(try contract.decode(column: "level", as: String.self)))"
                    + ((try contract.decode(column: "ends_on", as: String?.self)).map { ", until \($0)" } ?? "")
            }
            if let row = try await sql.raw("""
                SELECT COUNT(score) AS n, AVG(score) AS average FROM satisfaction_surveys WHERE organisation_id = \(bind: organisationID) AND score IS NOT NULL
                """).first(), try row.decode(column: "n", as: Int.self) > 0 {
                let average = try row.decode(column: "average", as: Double.self)
                customer.satisfaction = String(format: "%.1f / 5 from %d ratings", average, try row.decode(column: "n", as: Int.self))
            }
        }
        return customer
    }
}
