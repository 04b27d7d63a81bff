import CasebookCore
import Foundation
import Vapor

/// `/cases/{reference}/links`: related, parent-and-child and duplicate cases, seen from both ends, each link on both
/// cases' timelines (staff).
struct CaseLinkController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let links = routes.grouped("cases", ":reference", "links")
        links.get(use: list)
        links.post(use: create)
        links.delete(":id", use: remove)
        routes.post("cases", ":reference", "messages", ":message", "split", use: split)
        routes.post("cases", ":reference", "merge", use: merge)
    }

    struct MergeInput: Content {
        var into: String?
    }

    /// Merges this case into another; answers the case that remains.
    @Sendable func merge(req: Request) async throws -> Response {
        let record = try await req.readableCase()
        try req.authorize(.updateCase(CaseLookup.facts(record)))
        let input = try req.content.decode(MergeInput.self)
        let into = (input.into ?? "").trimmingCharacters(in: .whitespaces)
        guard !into.isEmpty else { throw DomainError.invalid("into", "is required") }
        let (services, current, reference) = (req.casebook, try req.current, try req.parameters.require("reference"))
        let survivor = try await req.store.write { db in
            try await MergeCases(services: services).run(reference, into: into, by: current, on: db)
        }
        return try await CaseView(survivor, prefix: services.configuration.referencePrefix, forStaff: true).encodeResponse(for: req)
    }

    struct SplitInput: Content {
        var subject: String?
    }

    /// One message made into a case of its own, linked to this one; answers the new case.
    @Sendable func split(req: Request) async throws -> Response {
        let record = try await req.readableCase()
        try req.authorize(.updateCase(CaseLookup.facts(record)))
        guard let messageID = req.parameters.get("message").flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("The message") }
        let input = req.body.data == nil ? SplitInput() : try req.content.decode(SplitInput.self)
        guard (input.subject?.count ?? 0) <= 250 else { throw DomainError.invalid("subject", "must be at most 250 characters") }
        let (services, current, reference) = (req.casebook, try req.current, try req.parameters.require("reference"))
        let created = try await req.store.write { db in
            try await SplitMessage(services: services).run(reference: reference, messageID: messageID, subject: input.subject, by: current, on: db)
        }
        return try await CaseView(created, prefix: services.configuration.referencePrefix, forStaff: true).encodeResponse(status: .created, for: req)
    }

    struct LinkInput: Content {
        var reference: String?
        var kind: String?
    }

    @Sendable func list(req: Request) async throws -> [CaseLinkView] {
        let record = try await req.readableCase()
        try req.authorize(.readInternal)
        return try await CaseLinkRepository.of(record.id, prefix: req.casebook.configuration.referencePrefix, on: req.store.sql)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let record = try await req.readableCase()
        try req.authorize(.updateCase(CaseLookup.facts(record)))
        let input = try req.content.decode(LinkInput.self)
        let kind = try input.kind.map { text -> CaseLinkKind in
            guard let kind = CaseLinkKind(rawValue: text), CaseLinkKind.chosenByHand.contains(kind) else {
                throw DomainError.invalid("kind", "must be related, child_of or duplicate_of (merge cases with /merge)")
            }
            return kind
        } ?? .related
        let prefix = req.casebook.configuration.referencePrefix
        let text = (input.reference ?? "").trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw DomainError.invalid("reference", "is required") }
        let other: CaseRecord
        do { other = try await CaseLookup.find(text, prefix: prefix, on: req.store.sql) } catch DomainError.notFound {
            throw DomainError.invalid("reference", "names no case")
        }
        guard AccessPolicy.decide(.updateCase(CaseLookup.facts(other)), for: try req.actor) == .allowed else {
            throw DomainError.invalid("reference", "names no case you may change")
        }
        guard other.id != record.id else { throw DomainError.invalid("reference", "is this case itself") }
        let (now, actor, store) = (req.now, try req.current.user.id, req.store)
        let mine = Reference(prefix: prefix, number: record.number).description, theirs = Reference(prefix: prefix, number: other.number).description
        let id = try await store.write { db -> UUID in
            let sql = store.sql(db)
            guard try await !CaseLinkRepository.exists(record.id, other.id, on: sql) else { throw DomainError.conflict("\(mine) and \(theirs) are linked already.") }
            let id = try await CaseLinkRepository.add(record.id, to: other.id, kind: kind, by: actor, at: now, on: sql)
            for (caseID, words, target) in [(record.id, kind.words(inverse: false), theirs), (other.id, kind.words(inverse: true), mine)] {
                var timeline = try await TimelineWriter.continuing(caseID: caseID, actorID: actor, at: now, on: sql)
                timeline.record(kind: .caseLinked, visibility: .internal, field: "link", new: "\(words) \(target)")
                try await timeline.write(on: sql)
            }
            return id
        }
        guard let view = try await CaseLinkRepository.of(record.id, prefix: prefix, on: req.store.sql).first(where: { $0.id == id }) else {
            throw DomainError.notFound("The link")
        }
        return try await view.encodeResponse(status: .created, for: req)
    }

    @Sendable func remove(req: Request) async throws -> HTTPStatus {
        let record = try await req.readableCase()
        try req.authorize(.updateCase(CaseLookup.facts(record)))
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              try await CaseLinkRepository.find(id, touching: record.id, on: req.store.sql) != nil else { throw DomainError.notFound("The link") }
        let store = req.store
        try await store.write { db in try await CaseLinkRepository.delete(id, on: store.sql(db)) }
        return .noContent
    }
}

extension CaseLinkView: Content {}
