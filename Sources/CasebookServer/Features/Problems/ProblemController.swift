import CasebookCore
import Fluent
import SQLKit
import Vapor

/// `/problems`: problem records linking many incidents, the root cause and workaround, and the fix's release to every linked case.
struct ProblemController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let problems = routes.grouped("problems")
        problems.get(use: list)
        problems.post(use: create)
        problems.get(":id", use: show)
        problems.patch(":id", use: update)
        problems.post(":id", "cases", use: link)
        problems.post(":id", "release-fix", use: releaseFix)
        let one = routes.grouped("cases", ":reference")
        one.get("similar", use: similar)
        one.get("problem", use: caseProblem)
        one.post("problem-choice", use: choose)
    }

    static func find(_ id: UUID?, on sql: any SQLDatabase) async throws -> ProblemView {
        guard let id, let problem = try await ProblemRepository.find(id, on: sql) else { throw Problem.notFound("The problem") }
        return problem
    }

    @Sendable func list(req: Request) async throws -> [ProblemView] {
        try req.authorize(.readInternal)
        var status: ProblemStatus?
        if let asked = req.query[String.self, at: "status"] {
            guard let known = ProblemStatus(rawValue: asked) else { throw Problem.badRequest("Query parameter 'status' must be investigating, known_error, fix_released or closed.") }
            status = known
        }
        return try await ProblemRepository.list(status: status, on: req.store.sql)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.manageProblems)
        let current = try req.current
        let input = try req.content.decode(ProblemWrite.self)
        guard let title = input.title else { throw Problem.invalid("title", "is required") }
        let now = req.now
        let prefix = req.casebook.configuration.referencePrefix
        let id = try await req.store.write { db -> UUID in
            let sql = req.store.sql(db)
            var problem = ProblemView(id: RecordID.make(), title: try Validate.name(title, field: "title", max: 250), status: input.status ?? .investigating,
                                      createdAt: now, updatedAt: now)
            try await Self.apply(input, to: &problem, on: sql)
            try await ProblemRepository.insert(problem, by: current.user.id, at: now, on: sql)
            for reference in input.cases ?? [] {
                try await Self.link(problem.id, title: problem.title, reference: reference, prefix: prefix, by: current, on: sql, now: now)
            }
            return problem.id
        }
        return try await show(id, req: req).encodeResponse(status: .created, for: req)
    }

    static func apply(_ input: ProblemWrite, to problem: inout ProblemView, on sql: any SQLDatabase) async throws {
        if let title = input.title { problem.title = try Validate.name(title, field: "title", max: 250) }
        if let status = input.status { problem.status = status }
        if let cause = input.rootCause { problem.rootCause = cause.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : String(cause.prefix(20_000)) }
        if let workaround = input.workaround {
            problem.workaround = workaround.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : String(workaround.prefix(20_000))
        }
        if let product = input.productID {
            guard try await RelatedRecordRepository.exists(ProductModel.schema, product, on: sql) else {
                throw Problem.invalid("product_id", "names no product")
            }
            problem.productID = product
        }
        if let version = input.fixVersionID {
            guard let product = try await RelatedRecordRepository.product(ofVersion: version, on: sql) else { throw Problem.invalid("fix_version_id", "names no product version") }
            if let known = problem.productID, known != product { throw Problem.invalid("fix_version_id", "is a version of another product") }
            problem.productID = product
            problem.fixVersionID = version
        }
        if problem.status == .knownError && problem.workaround == nil && problem.rootCause == nil {
            throw Problem.invalid("status", "known_error needs a root cause or a workaround")
        }
    }

    func show(_ id: UUID, req: Request) async throws -> ProblemView {
        var problem = try await Self.find(id, on: req.store.sql)
        let prefix = req.casebook.configuration.referencePrefix
        problem.cases = try await ProblemRepository.linkedCases(of: id, prefix: prefix, on: req.store.sql)
        return problem
    }

    @Sendable func show(req: Request) async throws -> ProblemView {
        try req.authorize(.readInternal)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The problem") }
        return try await show(id, req: req)
    }

    @Sendable func update(req: Request) async throws -> ProblemView {
        try req.authorize(.manageProblems)
        let input = try req.content.decode(ProblemWrite.self)
        if input.cases != nil { throw Problem.invalid("cases", "are linked with POST /problems/{id}/cases") }
        let now = req.now
        let current = try req.current
        let services = req.casebook
        let id = try await req.store.write { db -> UUID in
            let sql = req.store.sql(db)
            var problem = try await Self.find(req.parameters.get("id", as: UUID.self), on: sql)
            let before = (id: problem.fixVersionID, name: problem.fixVersion)
            try await Self.apply(input, to: &problem, on: sql)
            try await ProblemRepository.update(problem, at: now, on: sql)
            if before.id != nil, problem.fixVersionID != before.id, problem.status != .fixReleased {
                problem = try await Self.find(problem.id, on: sql)
                try await Self.tellFixMoved(problem, from: before.name, by: current, services: services, on: db)
            }
            return problem.id
        }
        return try await show(id, req: req)
    }

    /// The planned fix moved to another version: every open linked case hears it, so nobody waits for a release that
    /// no longer carries their fix.
    static func tellFixMoved(_ problem: ProblemView, from previous: String?, by current: CurrentActor, services: CasebookServices,
                             on db: any Database) async throws {
        let sql = services.store.sql(db)
        let numbers = try await ProblemRepository.linkedCaseNumbers(of: problem.id, statuses: Dashboard.openStatuses, on: sql)
        let planned = problem.fixVersion.map { "is now planned for version \($0)" } ?? "no longer has a planned version"
        let text = "An update on the known problem behind this case (\(problem.title)): the fix \(planned)"
            + (previous.map { ", instead of version \($0)" } ?? "") + ". We will tell you as soon as it is released."
        for number in numbers {
            let reference = Reference(prefix: services.configuration.referencePrefix, number: number).description
            _ = try await AddMessage(services: services).run(reference: reference, input: MessageCreateRequest(text: text), by: current, on: db)
        }
    }

    struct LinkRequest: Content {
        var reference: String
    }

    @Sendable func link(req: Request) async throws -> ProblemView {
        try req.authorize(.manageProblems)
        let current = try req.current
        let input = try req.content.decode(LinkRequest.self)
        let now = req.now
        let prefix = req.casebook.configuration.referencePrefix
        let id = try await req.store.write { db -> UUID in
            let sql = req.store.sql(db)
            let problem = try await Self.find(req.parameters.get("id", as: UUID.self), on: sql)
            try await Self.link(problem.id, title: problem.title, reference: input.reference, prefix: prefix, by: current, on: sql, now: now)
            return problem.id
        }
        return try await show(id, req: req)
    }

    static func link(_ problemID: UUID, title: String, reference: String, prefix: String, by current: CurrentActor, on sql: any SQLDatabase, now: Date) async throws {
        let record = try await CaseLookup.findForUpdate(reference, prefix: prefix, at: now, on: sql)
        if let existing = try await ProblemRepository.link(ofCase: record.id, on: sql) {
            if existing.problemID == problemID { return }
            throw Problem.conflict("Case \(reference) is already linked to another problem.")
        }
        try await ProblemRepository.addLink(problemID: problemID, caseID: record.id, at: now, on: sql)
        var timeline = try await TimelineWriter.continuing(caseID: record.id, actorID: current.user.id, at: now, on: sql)
        timeline.record(kind: .problemLinked, visibility: .internal, field: "problem", new: title)
        try await timeline.write(on: sql)
    }

    struct ReleaseRequest: Content {
        var fixVersionID: UUID?
        var message: String?

        enum CodingKeys: String, CodingKey {
            case message
            case fixVersionID = "fix_version_id"
        }
    }

    struct ReleaseResult: Content {
        var notified: [String]
    }

    /// The fix has shipped: every linked case hears about it in one action and is offered closure (set solved; a reply reopens it).
    @Sendable func releaseFix(req: Request) async throws -> ReleaseResult {
        try req.authorize(.manageProblems)
        let current = try req.current
        let input = try req.content.decode(ReleaseRequest.self)
        let services = req.casebook
        let now = req.now
        return try await req.store.write { db -> ReleaseResult in
            let sql = services.store.sql(db)
            var problem = try await Self.find(req.parameters.get("id", as: UUID.self), on: sql)
            if let version = input.fixVersionID {
                var write = ProblemWrite()
                write.fixVersionID = version
                try await Self.apply(write, to: &problem, on: sql)
                try await ProblemRepository.update(problem, at: problem.updatedAt, on: sql)
                problem = try await Self.find(problem.id, on: sql)
            }
            guard let fixVersion = problem.fixVersion else { throw Problem.invalid("fix_version_id", "is needed: which version carries the fix?") }
            var notified: [String] = []
            for (caseID, number, status) in try await ProblemRepository.casesAwaitingFixNotice(of: problem.id, on: sql) {
                let reference = Reference(prefix: services.configuration.referencePrefix, number: number).description
                guard status != .closed else { continue }
                let written = input.message.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
                var text = written ?? ""
                if written == nil { text = try await Self.fixNotice(problem, version: fixVersion, caseID: caseID, services: services, on: sql) }
                var message = MessageCreateRequest(text: text)
                message.status = status?.isActive == true ? .solved : nil
                _ = try await AddMessage(services: services).run(reference: reference, input: message, by: current, on: db)
                try await ProblemRepository.markFixNotified(problemID: problem.id, caseID: caseID, at: now, on: sql)
                notified.append(reference)
            }
            try await ProblemRepository.markFixReleased(problem.id, at: now, on: sql)
            return ReleaseResult(notified: notified)
        }
    }

    /// The notice a customer gets when the fix ships, in their language, naming the problem as translated for them.
    static func fixNotice(_ problem: ProblemView, version: String, caseID: UUID, services: CasebookServices, on sql: any SQLDatabase) async throws -> String {
        var person: CaseMailRepository.Person?
        if let record = try await CaseRepository.find(id: caseID, on: sql) { person = try await CaseMailRepository.person(record.requesterID, on: sql) }
        let language = MailTemplates.language(person?.language ?? services.configuration.contentLanguage)
        let title = try await TranslateContent(services: services).texts(.problem, items: [problem.id], language: language, on: sql)
            .text(.problem, problem.id, "title", source: problem.title).text
        return MailTemplates.line("problem_fix_notice", language, ["title": title, "version": version])
    }

    struct SimilarView: Content {
        var reference: String
        var subject: String
        var status: CaseStatus
        var score: Double
        var reasons: [String]
        var problemID: UUID?

        enum CodingKeys: String, CodingKey {
            case reference, subject, status, score, reasons
            case problemID = "problem_id"
        }
    }

    /// Open and recent cases like this one, with a score and why.
    @Sendable func similar(req: Request) async throws -> [SimilarView] {
        try req.authorize(.readInternal)
        let reference = try req.parameters.require("reference")
        let prefix = req.casebook.configuration.referencePrefix
        // New cases' terms may still wait in SQLite's search queue.
        try await SearchIndexer.catchUp(req.store)
        return try await similar(to: try await CaseLookup.find(reference, prefix: prefix, on: req.store.sql), req: req)
    }

    /// Cases like one already read, the search index caught up by the caller.
    func similar(to record: CaseRecord, req: Request) async throws -> [SimilarView] {
        try req.authorize(.readInternal)
        let prefix = req.casebook.configuration.referencePrefix
        return try await SimilarCases.find(for: record, now: req.now, on: req.store.sql).map {
            SimilarView(reference: Reference(prefix: prefix, number: $0.record.number).description, subject: $0.record.subject, status: $0.record.status,
                        score: $0.score.value, reasons: $0.score.reasons, problemID: $0.problemID)
        }
    }

    struct CaseProblemView: Content {
        var title: String
        var status: ProblemStatus
        var workaround: String?
        var fixVersion: String?
        var choice: ProblemChoice?
        /// Not in the API's answer: which problem, so the portal can show its workaround translated.
        var problemID: UUID? = nil

        enum CodingKeys: String, CodingKey {
            case title, status, workaround, choice
            case fixVersion = "fix_version"
        }
    }

    private func linkedProblem(_ req: Request) async throws -> (CaseRecord, ProblemView, ProblemChoice?) {
        let record = try await req.readableCase()
        guard let link = try await ProblemRepository.link(ofCase: record.id, on: req.store.sql) else {
            throw Problem.notFound("A problem linked to this case")
        }
        return (record, try await Self.find(link.problemID, on: req.store.sql), link.choice)
    }

    /// What the customer is told: the known problem, its workaround and the version that will fix it (never the internal root cause).
    @Sendable func caseProblem(req: Request) async throws -> CaseProblemView {
        let (_, problem, choice) = try await linkedProblem(req)
        return CaseProblemView(title: problem.title, status: problem.status, workaround: problem.workaround, fixVersion: problem.fixVersion, choice: choice,
                               problemID: problem.id)
    }

    struct ChoiceRequest: Content {
        var choice: ProblemChoice
    }

    /// The customer picks the workaround now or waiting for the fix; recorded on the case's timeline.
    @Sendable func choose(req: Request) async throws -> CaseProblemView {
        let (record, problem, _) = try await linkedProblem(req)
        let current = try req.current
        if current.user.id != record.requesterID {
            guard current.actor.role.isStaff else { throw Problem.forbidden("Only the requester or staff can choose.") }
            try req.authorize(.manageProblems)
        }
        let input = try req.content.decode(ChoiceRequest.self)
        if input.choice == .workaround && problem.workaround == nil { throw Problem.conflict("There is no workaround for this problem yet.") }
        let now = req.now
        try await req.store.write { db in
            let sql = req.store.sql(db)
            _ = try await CaseLookup.findForUpdate(String(record.number), prefix: req.casebook.configuration.referencePrefix, at: now, on: sql)
            try await ProblemRepository.recordChoice(input.choice, caseID: record.id, at: now, on: sql)
            var timeline = try await TimelineWriter.continuing(caseID: record.id, actorID: current.user.id, at: now, on: sql)
            timeline.record(kind: .problemChoice, visibility: .public, field: "choice", new: input.choice.rawValue)
            try await timeline.write(on: sql)
        }
        return CaseProblemView(title: problem.title, status: problem.status, workaround: problem.workaround, fixVersion: problem.fixVersion, choice: input.choice)
    }
}
