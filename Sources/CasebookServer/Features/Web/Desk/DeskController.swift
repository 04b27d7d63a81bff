import CasebookCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// The agent console: queues, the case page, replies and notes, field changes, bulk actions and saved filters.
struct DeskController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("desk", use: queue)
        routes.post("desk", "bulk", use: bulk)
        routes.post("desk", "filters", use: saveFilter)
        routes.post("desk", "filters", ":id", "delete", use: deleteFilter)
        let one = routes.grouped("desk", "cases", ":reference")
        one.get(use: casePage)
        one.on(.POST, "messages", body: .collect(maxSize: CSRFProtection.largestForm), use: reply)
        one.post("fields", use: changeFields)
        one.post("macro", use: applyMacro)
    }

    // MARK: Queues

    @Sendable func queue(req: Request) async throws -> View {
        let current = try req.current
        let sql = req.store.sql
        let view = req.query[String.self, at: "view"] ?? "mine"
        let prefix = req.casebook.configuration.referencePrefix
        let savedFilters = try await DeskQueueRepository.savedFilters(of: current.user.id, on: sql)
        var savedQuery: String?
        if view == "saved" {
            guard let id = req.query[UUID.self, at: "filter"], let found = savedFilters.first(where: { $0.id == id }) else {
                throw Problem.notFound("The saved filter")
            }
            savedQuery = found.query
        }
        var query: [String: String] = [:]
        for key in DeskQueue.passthrough { if let value = req.query[String.self, at: key] { query[key] = value } }
        let raw = try DeskQueue.parameters(view: view, me: current.user.id, query: query, saved: savedQuery)
        let cases: [CaseRecord]
        var next: String?
        if view == "breaching" || view == "breached" {
            cases = try await DeskQueueRepository.standing(view == "breaching" ? "warning" : "breached", limit: 50, on: sql)
        } else {
            (cases, next) = try await CaseSearchRepository(services: req.casebook).run(try CaseSearchQuery(raw: raw, me: current.user.id), for: current.actor, on: req.db)
        }
        let counts = try await req.application.queueCounts.counts(me: current.user.id, now: req.now, on: sql)
        let language = req.webLanguage()
        let t = req.application.webText.strings(language)
        func link(_ key: String, _ label: String, _ count: Int) -> DeskQueuePage.QueueLink {
            .init(key: key, label: label, count: count, href: "/desk?view=\(key)", active: view == key)
        }
        let views = [link("mine", t["queue_mine"] ?? "Mine", counts.mine), link("unassigned", t["queue_unassigned"] ?? "Unassigned", counts.unassigned),
                     link("breaching", t["queue_breaching"] ?? "Breaching soon", counts.breaching),
                     link("breached", t["queue_breached"] ?? "Breached", counts.breached), link("all", t["queue_all"] ?? "All open", counts.all)]
        let groups = counts.groups.map { link("group-\($0.0.uuidString.lowercased())", $0.1, $0.2) }
        let active = (views + groups).first { $0.active }
        let narrowing = DeskQueue.narrowing(query, t: t)
        // "All open" names the open statuses; with another status chosen the list is all cases in that status.
        let label = view == "all" && query["status"].map({ !$0.isEmpty }) == true ? (t["queue_all_cases"] ?? "All cases") : active?.label
        let heading = label ?? savedFilters.first { $0.query == savedQuery }?.name ?? "Cases"
        let total = try await DeskQueue.total(of: active, narrowed: !narrowing.isEmpty, listed: cases.count, fixed: view == "breaching" || view == "breached",
                                              search: try CaseSearchQuery(raw: raw, me: current.user.id), actor: current.actor, services: req.casebook, on: sql)
        let filterQuery = query.filter { $0.key != "cursor" }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        let savedLinks = await DeskQueue.links(to: savedFilters, for: current, services: req.casebook, on: sql)
        let context = DeskQueuePage(
            page: req.chrome(heading, area: "desk", language: language), views: views,
            reviews: counts.toReview > 0 ? .init(key: "reviews", label: t["review_queue_link"] ?? "Replies to review", count: counts.toReview, href: "/desk/reviews", active: false) : nil,
            groups: groups,
            saved: savedLinks,
            current: view, heading: heading, rows: try await DeskQueue.rows(cases, prefix: prefix, t: t, on: sql),
            next: next.map { "/desk?view=\(view)&cursor=\($0)" + (filterQuery.isEmpty ? "" : "&" + filterQuery) }, query: query["q"] ?? "",
            filterQuery: filterQuery, statuses: CaseStatus.allCases.map { DeskCasePage.Option(value: $0.rawValue, label: t["desk_status_" + $0.rawValue] ?? $0.words, selected: $0.rawValue == query["status"]) },
            priorities: Priority.allCases.map { DeskCasePage.Option(value: $0.rawValue, label: t["priority_" + $0.rawValue] ?? $0.rawValue, selected: $0.rawValue == query["priority"]) },
            total: total, narrowing: narrowing, selectedStatus: query["status"] ?? "")
        return try await req.view.render("desk-queue", context)
    }

    struct SaveFilterForm: Content {
        var name: String
        var query: String
    }

    @Sendable func saveFilter(req: Request) async throws -> Response {
        let current = try req.current
        let form = try req.content.decode(SaveFilterForm.self)
        let name = form.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...80).contains(name.count) else { throw Problem.invalid("name", "must be 1 to 80 characters") }
        guard form.query.count <= 2_000 else { throw Problem.invalid("query", "must be at most 2000 characters") }
        // A filter that cannot run is refused now, not discovered on every later page view.
        _ = try CaseSearchQuery(raw: try DeskQueue.parameters(view: "saved", me: current.user.id, query: [:], saved: form.query), me: current.user.id)
        let now = req.now
        do {
            try await req.store.write { db in
                try await DeskQueueRepository.saveFilter(name: name, query: form.query, of: current.user.id, at: now, on: req.store.sql(db))
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw Problem.conflict("You already have a filter named '\(name)'.")
        }
        req.flash("Filter '\(name)' saved.")
        return req.redirect(to: "/desk")
    }

    @Sendable func deleteFilter(req: Request) async throws -> Response {
        let current = try req.current
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The saved filter") }
        try await req.store.write { db in
            try await DeskQueueRepository.deleteFilter(id, of: current.user.id, on: req.store.sql(db))
        }
        return req.redirect(to: "/desk")
    }

    struct BulkForm: Content {
        var cases: [String]?
        var action: String
    }

    /// One change to many cases: each is changed on its own version, and the ones someone else changed meanwhile are reported.
    @Sendable func bulk(req: Request) async throws -> Response {
        let current = try req.current
        let form = try req.content.decode(BulkForm.self)
        let references = form.cases ?? []
        guard !references.isEmpty else {
            req.flash(req.text("bulk_none_selected", "Select at least one case first."))
            return req.redirect(to: req.headers.first(name: .referer).flatMap(Self.localPath) ?? "/desk")
        }
        guard references.count <= 100 else { throw Problem.invalid("cases", "at most 100 cases at once") }
        var patch: [String: String] = [:]
        switch form.action {
        case "assign_me": patch["assignee_id"] = current.user.id.uuidString
        case let action where action.hasPrefix("status:"): patch["status"] = String(action.dropFirst(7))
        case let action where action.hasPrefix("priority:"): patch["priority"] = String(action.dropFirst(9))
        default: throw Problem.invalid("action", "must be assign_me, status:<status> or priority:<priority>")
        }
        var failures: [String] = []
        let services = req.casebook
        for reference in references {
            do {
                let record = try await CaseLookup.find(reference, prefix: services.configuration.referencePrefix, on: req.store.sql)
                let request = try Self.patchRequest(patch)
                _ = try await req.store.write { db in
                    try await UpdateCase(services: services).run(reference: reference, patch: request, expectedVersion: record.version, by: current, on: db)
                }
            } catch {
                // In words, never a type's debug text ("invalidTransition(from: …)").
                failures.append("\(reference): \(Problem.reason(error))")
            }
        }
        let done = references.count == 1 ? req.text("bulk_updated_one", "Updated 1 case.")
            : PlaceholderTemplate.render(req.text("bulk_updated_many", "Updated {{count}} cases."), values: ["count": String(references.count)])
        req.flash(failures.isEmpty ? done : PlaceholderTemplate.render(
            req.text("bulk_partial", "Updated {{done}} of {{total}}. Not changed — {{failures}}"),
            values: ["done": String(references.count - failures.count), "total": String(references.count), "failures": failures.joined(separator: "; ")]))
        return req.redirect(to: req.headers.first(name: .referer).flatMap(Self.localPath) ?? "/desk")
    }

    /// Only same-site paths are followed back, never another host named in a Referer.
    static func localPath(_ referer: String) -> String? {
        guard let url = URLComponents(string: referer) else { return nil }
        let path = url.path.isEmpty ? "/" : url.path
        guard path.hasPrefix("/"), !path.hasPrefix("//") else { return nil }
        return path + (url.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    /// A case patch built through the API's own decoder, so a form change obeys every API rule.
    /// `clearing` names fields set to null (unassign, no group).
    static func patchRequest(_ fields: [String: String], clearing: [String] = []) throws -> CasePatchRequest {
        var json: [String: Any] = fields
        for key in clearing { json[key] = NSNull() }
        return try JSONDecoder().decode(CasePatchRequest.self, from: JSONSerialization.data(withJSONObject: json))
    }

    // MARK: The case page

    @Sendable func casePage(req: Request) async throws -> Response {
        let record = try await req.readableCase()
        // A merged case lives on in another: its page leads there.
        if let survivor = try await CaseLinkRepository.survivor(of: record.id, on: req.store.sql), let target = try await CaseRepository.find(id: survivor, on: req.store.sql) {
            let prefix = req.casebook.configuration.referencePrefix
            let (from, to) = (Reference(prefix: prefix, number: record.number).description, Reference(prefix: prefix, number: target.number).description)
            req.flash("\(from) was merged into \(to).")
            return req.redirect(to: "/desk/cases/\(to)")
        }
        if (req.unreadNotices ?? 0) > 0 {
            // Opening the case is reading what the list said about it.
            let (me, now, store) = (try req.current.user.id, req.now, req.store)
            try await store.write { db in try await NotificationRepository.markCaseRead(record.id, for: me, at: now, on: store.sql(db)) }
            req.unreadNotices = try await NotificationRepository.unreadCount(for: me, on: store.sql)
        }
        let context = try await DeskCasePage.load(record, req: req)
        if context.imagesShownFor != nil { req.allowRemoteImages() }
        return try await req.view.render("desk-case", context).encodeResponse(for: req)
    }

    struct ReplyForm: Content {
        var text: String
        var visibility: String?
        var status: String?
        var version: Int?
        var file: File?
        var minutes: String?
    }

    /// Sends a public reply or adds an internal note, with an optional attachment and status change.
    @Sendable func reply(req: Request) async throws -> Response {
        let form = try req.content.decode(ReplyForm.self)
        var reply = try PageReply(req, text: form.text, file: form.file, visibility: form.visibility == "internal" ? .internal : .public)
        if let status = form.status, !status.isEmpty {
            guard let parsed = CaseStatus(rawValue: status) else { throw Problem.invalid("status", "is not a status") }
            reply.input.status = parsed
        }
        if let minutes = form.minutes?.trimmingCharacters(in: .whitespaces), !minutes.isEmpty {
            guard let value = Int(minutes) else { throw Problem.invalid("minutes", "must be a whole number of minutes") }
            reply.input.minutes = value
        }
        let reference = reply.reference
        guard case let .sent(message) = try await reply.send(req) else {
            req.flash(req.text("case_reply_held", "Your reply waits for a colleague who writes this language well; it is sent once they approve it."))
            return req.redirect(to: "/desk/cases/\(reference)#held-replies")
        }
        let input = reply.input
        var note = input.visibility == .internal ? req.text("case_note_added", "Internal note added.") : req.text("case_reply_sent", "Reply sent to the customer.")
        if input.visibility == .public,
           let warning = try await RepeatedUpdateCheck.compare(message.text, caseID: message.caseID, excluding: message.id, on: req.store.sql),
           warning.similarity >= warning.threshold {
            note += " " + PlaceholderTemplate.render(req.text("case_repeat_warning", "This update repeats the previous one ({{percent}}% alike): say what changed next time."),
                                                 values: ["percent": String(Int(warning.similarity * 100))])
        }
        req.flash(note)
        return req.redirect(to: "/desk/cases/\(reference)#composer")
    }

    struct MacroForm: Content {
        var cannedID: UUID
        var version: Int

        enum CodingKeys: String, CodingKey { case version, cannedID = "canned_id" }
    }

    /// Applies a previewed macro: its reply and its changes in one step, or nothing if the case moved meanwhile.
    @Sendable func applyMacro(req: Request) async throws -> Response {
        let form = try req.content.decode(MacroForm.self)
        let record = try await req.readableCase()
        try req.authorize(.updateCase(CaseLookup.facts(record)))
        let reference = try req.parameters.require("reference")
        guard let canned = try await CannedResponseRepository.find(form.cannedID, on: req.store.sql) else { throw Problem.notFound("The canned response") }
        let text = try await CannedResponseRepository.fill(canned.body, for: record, agent: try req.current.user.name, req: req)
        let (services, current) = (req.casebook, try req.current)
        do {
            let outcome = try await req.store.write { db in
                try await ApplyMacro(services: services).apply(canned, reference: reference, text: text, expectedVersion: form.version, by: current, on: db)
            }
            let key = if case .held = outcome { "case_macro_applied_held" } else { "case_macro_applied" }
            let fallback = if case .held = outcome { "Macro “{{title}}” applied: the case changed as shown, and the reply waits for review." }
                else { "Macro “{{title}}” applied: the reply was sent and the case changed as shown." }
            req.flash(PlaceholderTemplate.render(req.text(key, fallback), values: ["title": canned.title]))
        } catch is UpdateCase.StaleVersion {
            req.flash(req.text("case_macro_stale", "Someone else changed this case while you were looking at it; the macro was not applied. Review it and try again."))
        }
        return req.redirect(to: "/desk/cases/\(reference)")
    }

    struct FieldsForm: Content {
        var version: Int
        var status: String?
        var priority: String?
        var assigneeID: String?
        var groupID: String?

        enum CodingKeys: String, CodingKey {
            case version, status, priority
            case assigneeID = "assignee_id", groupID = "group_id"
        }
    }

    /// Changes status, priority, assignee or group; a stale version is refused with what changed, never silently overwritten.
    @Sendable func changeFields(req: Request) async throws -> Response {
        let current = try req.current
        let reference = try req.parameters.require("reference")
        let form = try req.content.decode(FieldsForm.self)
        let record = try await req.readableCase()
        var patch: [String: String] = [:]
        if let status = form.status, status != record.status.rawValue { patch["status"] = status }
        if let priority = form.priority, priority != record.priority.rawValue { patch["priority"] = priority }
        var clear: [String] = []
        for (key, value, existing) in [("assignee_id", form.assigneeID, record.assigneeID), ("group_id", form.groupID, record.groupID)] {
            guard let value else { continue }
            if value.isEmpty { if existing != nil { clear.append(key) } } else if UUID(uuidString: value) != existing { patch[key] = value }
        }
        guard !patch.isEmpty || !clear.isEmpty else { return req.redirect(to: "/desk/cases/\(reference)") }
        let request = try Self.patchRequest(patch, clearing: clear)
        let services = req.casebook
        do {
            _ = try await req.store.write { db in
                try await UpdateCase(services: services).run(reference: reference, patch: request, expectedVersion: form.version, by: current, on: db)
            }
            req.flash(req.text("case_updated", "Case updated."))
        } catch is UpdateCase.StaleVersion {
            req.flash(req.text("case_fields_stale", "Someone else changed this case while you were looking at it; nothing was changed. Review it and try again."))
        }
        return req.redirect(to: "/desk/cases/\(reference)")
    }
}
