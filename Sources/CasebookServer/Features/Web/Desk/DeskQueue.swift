import CasebookCore
import Foundation
import SQLKit
import Vapor

/// The queue page's data: the views with their counts, the agent's saved filters and one page of cases.
struct DeskQueuePage: Encodable {
    var page: PageChrome
    var views: [QueueLink]
    /// Replies waiting for a reviewer who writes their language, when the agent writes one of them.
    var reviews: QueueLink?
    var groups: [QueueLink]
    var saved: [SavedFilter]
    var current: String
    var heading: String
    var rows: [Row]
    var next: String?
    var query: String
    var filterQuery: String
    /// Statuses and priorities to filter or change by, in the agent's words.
    var statuses: [DeskCasePage.Option]
    var priorities: [DeskCasePage.Option]
    /// The matches in all, not just this page ("1000+" beyond the cap).
    var total: String
    /// What narrows the list beyond its queue, in words ("status: solved · “VPN”"), or empty.
    var narrowing: String
    var selectedStatus: String

    struct QueueLink: Encodable {
        var key: String
        var label: String
        var count: Int
        var href: String
        var active: Bool
    }

    struct SavedFilter: Encodable {
        var id: String
        var name: String
        var href: String
        /// Matching cases, "1000+" beyond the cap.
        var count: String
    }

    struct Row: Encodable {
        var reference: String
        var subject: String
        var status: String
        var statusLabel: String
        var priority: String
        var priorityLabel: String
        var requester: String
        var assignee: String
        var updated: String
        var updatedISO: String
        var tone: String?
        var toneLabel: String?
        var sla: String?
    }
}

enum DeskQueue {
    static let activeStatuses = ["new", "open", "pending_customer", "pending_vendor"]
    /// Query keys a queue URL may carry besides the view.
    static let passthrough = ["q", "status", "priority", "cursor", "sort", "tag", "tone", "organisation_id", "category_id"]

    /// Search parameters for a named view; unknown views are a 400.
    static func parameters(view: String, me: UUID, query: [String: String], saved: String?) throws -> [String: String] {
        var raw: [String: String] = [:]
        if let saved {
            for pair in saved.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
                if parts.count == 2, passthrough.contains(parts[0]) || parts[0] == "assignee_id" || parts[0] == "group_id" { raw[parts[0]] = parts[1] }
            }
        }
        switch view {
        case "mine": raw["assignee_id"] = "me"
        case "unassigned": raw["assignee_id"] = "none"
        case "all", "saved", "breaching", "breached": break
        default:
            guard view.hasPrefix("group-"), let id = UUID(uuidString: String(view.dropFirst(6))) else {
                throw Problem.badRequest("Queue '\(view)' does not exist.")
            }
            raw["group_id"] = id.uuidString
        }
        for key in passthrough { if let value = query[key], !value.isEmpty { raw[key] = value } }
        // "any" is every status (the header's search over every case); no status is the open ones.
        if raw["status"] == "any" { raw["status"] = nil } else if raw["status"] == nil { raw["status"] = activeStatuses.joined(separator: ",") }
        raw["limit"] = "50"
        return raw
    }

    /// The filters beyond the queue itself, in words (the viewer's, from `t`), so the heading says what the list holds.
    static func narrowing(_ query: [String: String], t: [String: String] = [:]) -> String {
        func word(_ key: String, _ english: String) -> String { t[key] ?? english }
        var parts: [String] = []
        if let status = query["status"], !status.isEmpty {
            parts.append(status == "any" ? word("queue_every_status", "every status")
                : word("queue_narrow_status", "status") + ": " + status.replacingOccurrences(of: ",", with: ", ").replacingOccurrences(of: "_", with: " "))
        }
        if let priority = query["priority"], !priority.isEmpty { parts.append(word("queue_narrow_priority", "priority") + ": " + priority) }
        if let tag = query["tag"], !tag.isEmpty { parts.append(word("queue_narrow_tag", "tag") + ": " + tag) }
        if let tone = query["tone"], !tone.isEmpty { parts.append(word("queue_narrow_tone", "tone") + ": " + tone) }
        if let text = query["q"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty { parts.append("“\(text.prefix(80))”") }
        return parts.joined(separator: " · ")
    }

    /// How many cases the list holds in all: the queue's own count when nothing narrows it, else the matches counted up
    /// to the cap (the fixed service-level lists show everything they hold).
    static func total(of queue: DeskQueuePage.QueueLink?, narrowed: Bool, listed: Int, fixed: Bool, search: CaseSearchQuery, actor: Actor,
                      services: CasebookServices, on sql: any SQLDatabase) async throws -> String {
        if !narrowed, let queue { return String(queue.count) }
        if fixed { return String(listed) }
        return try await capped(search, for: actor, services: services, on: sql)
    }

    /// The matches of a list, counted up to its cap ("1000+", or "100+" when it searches for words).
    static func capped(_ search: CaseSearchQuery, for actor: Actor, services: CasebookServices, on sql: any SQLDatabase) async throws -> String {
        let cap = search.terms.isEmpty ? savedFilterCap : wordSearchCap
        let matches = try await CaseSearchRepository(services: services).count(search, for: actor, cap: cap, on: sql)
        return matches >= cap ? "\(cap)+" : String(matches)
    }

    /// The sidebar's links to saved filters, each with its count ("—" when a filter no longer reads).
    static func links(to filters: [(id: UUID, name: String, query: String)], for current: CurrentActor, services: CasebookServices,
                      on sql: any SQLDatabase) async -> [DeskQueuePage.SavedFilter] {
        var links: [DeskQueuePage.SavedFilter] = []
        for filter in filters {
            let id = filter.id.uuidString.lowercased()
            let count = (try? await count(saved: filter.query, me: current.user.id, actor: current.actor, services: services, on: sql)) ?? "—"
            links.append(.init(id: id, name: filter.name, href: "/desk?view=saved&filter=\(id)", count: count))
        }
        return links
    }

    /// Saved filters count up to this many matches each, so a broad filter never scans every case on each page view.
    static let savedFilterCap = 1_000
    /// Lists that search for words count up to this many: the count is settled among the newest cases for any word in
    /// one case in twenty, where a count to a thousand collected every match (see `CaseSearchRepository.count`).
    static let wordSearchCap = 100

    /// Matching cases for a saved filter, as its badge shows them.
    static func count(saved query: String, me: UUID, actor: Actor, services: CasebookServices, on sql: any SQLDatabase) async throws -> String {
        let search = try CaseSearchQuery(raw: try parameters(view: "saved", me: me, query: [:], saved: query), me: me)
        return try await capped(search, for: actor, services: services, on: sql)
    }

    /// Each listed case's service-level standing ("warning · due 14:00 UTC").
    static func standings(_ ids: [UUID], t: [String: String] = [:], on sql: any SQLDatabase) async throws -> [UUID: String] {
        try await DeskQueueRepository.serviceLevelStates(of: ids, on: sql).mapValues { state, due in
            let word = t["queue_sla_" + state] ?? state
            // A breached case's next due time is some other target's, still ahead: showing it beside "breached" misled.
            return state == "breached" ? word : word + (due.map { " · " + (t["case_sla_due"] ?? "due") + " " + PageFormat.time($0) } ?? "")
        }
    }

    static func rows(_ cases: [CaseRecord], prefix: String, t: [String: String] = [:], on sql: any SQLDatabase) async throws -> [DeskQueuePage.Row] {
        let names = try await RecordNameRepository.people(Set(cases.map(\.requesterID) + cases.compactMap(\.assigneeID)), on: sql)
        let standings = try await standings(cases.map(\.id), t: t, on: sql)
        return cases.map { record in
            DeskQueuePage.Row(reference: Reference(prefix: prefix, number: record.number).description, subject: record.subject,
                              status: record.status.rawValue, statusLabel: t["desk_status_" + record.status.rawValue] ?? record.status.words,
                              priority: record.priority.rawValue, priorityLabel: t["priority_" + record.priority.rawValue] ?? record.priority.rawValue,
                              requester: names[record.requesterID] ?? "",
                              assignee: record.assigneeID.flatMap { names[$0] } ?? "", updated: PageFormat.time(record.updatedAt),
                              updatedISO: PageFormat.iso(record.updatedAt), tone: record.tone,
                              toneLabel: record.tone.map { t["tone_" + $0] ?? $0 }, sla: standings[record.id])
        }
    }
}
