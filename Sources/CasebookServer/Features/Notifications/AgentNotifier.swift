import CasebookCore
import CasebookMail
import Foundation
import SQLKit

/// Something that happened on a case that agents may need to hear about.
struct CaseActivity: Sendable {
    /// A reply or note written with the change.
    struct Message: Sendable {
        let text: String
        let visibility: Visibility
        let fromCustomer: Bool
    }

    let record: CaseRecord
    /// Who did it; nil for a rule.
    let actorID: UUID?
    var message: Message?
    var changes: [FieldChange] = []
}

/// Tells agents what concerns them, inside the caller's transaction: the case's owner and followers hear about replies,
/// notes, solving and reopening; a new owner hears they were assigned; a person named with @ hears they were mentioned.
/// Each person gets one notice per event (the one that concerns them most), never one about their own doing, in the
/// list and by mail as they chose.
struct AgentNotifier {
    let services: CasebookServices

    func notify(_ activity: CaseActivity, on sql: any SQLDatabase, now: Date) async throws {
        let record = activity.record
        var wanted: [UUID: NotificationKind] = [:]
        func want(_ id: UUID?, _ kind: NotificationKind) {
            guard let id else { return }
            if let had = wanted[id], had.weight >= kind.weight { return }
            wanted[id] = kind
        }
        let statusNews = activity.changes.contains(where: Self.isStatusNews)
        // Most field changes concern only a new owner: the followers are read when there is news for them.
        let audience = activity.message == nil && !statusNews ? []
            : try await FollowerRepository.followerIDs(of: record.id, on: sql) + [record.assigneeID].compactMap { $0 }
        if let message = activity.message {
            for id in audience { want(id, message.fromCustomer ? .customerReplied : .activity) }
            if !message.fromCustomer, message.visibility == .internal, !Mentions.handles(in: message.text).isEmpty {
                for id in Mentions.resolve(message.text, among: try await NotificationRepository.mentionable(on: sql)) { want(id, .mentioned) }
            }
        }
        for change in activity.changes where change.field == "assignee" { want(change.newValue.flatMap(UUID.init(uuidString:)), .assigned) }
        if statusNews { for id in audience { want(id, .activity) } }
        if let actor = activity.actorID { wanted[actor] = nil }
        let excerpt = activity.message.map { Self.excerpt($0.text) }
        try await deliver(wanted, about: record, actorID: activity.actorID, excerpt: excerpt, on: sql, now: now)
    }

    /// Service-level warnings and breaches go to the case's owner and followers, or to its group while nobody owns it.
    func serviceLevel(_ events: [(caseID: UUID, kind: TimelineKind, metric: SLAMetricReport)], on sql: any SQLDatabase, now: Date) async throws {
        guard !events.isEmpty else { return }
        var kinds: [UUID: NotificationKind] = [:]
        for event in events {
            let kind: NotificationKind = event.kind == .slaBreach ? .slaBreach : .slaWarning
            if kinds[event.caseID].map({ $0.weight < kind.weight }) ?? true { kinds[event.caseID] = kind }
        }
        for record in try await CaseRepository.find(ids: Array(kinds.keys), on: sql) {
            guard let kind = kinds[record.id] else { continue }
            var people = try await FollowerRepository.followerIDs(of: record.id, on: sql)
            if let owner = record.assigneeID { people.append(owner) } else if let group = record.groupID {
                people += try await NotificationRepository.members(of: group, on: sql)
            }
            let explanation = events.first { $0.caseID == record.id && ($0.kind == .slaBreach) == (kind == .slaBreach) }?.metric.explanation
            try await deliver(Dictionary(people.map { ($0, kind) }, uniquingKeysWith: { first, _ in first }), about: record, actorID: nil,
                              excerpt: explanation.map(Self.excerpt), on: sql, now: now)
        }
    }

    /// Tells every colleague who writes a held reply's language (its author aside) that it waits for them.
    func reviewRequested(_ record: CaseRecord, language: String, text: String, authorID: UUID, on sql: any SQLDatabase, now: Date) async throws {
        let reviewers = try await UserRepository.staffWriting(language, on: sql).filter { $0 != authorID }
        try await deliver(Dictionary(reviewers.map { ($0, NotificationKind.reviewRequested) }, uniquingKeysWith: { first, _ in first }),
                          about: record, actorID: authorID, excerpt: Self.excerpt(text), on: sql, now: now)
    }

    private func deliver(_ wanted: [UUID: NotificationKind], about record: CaseRecord, actorID: UUID?, excerpt: String?,
                         on sql: any SQLDatabase, now: Date) async throws {
        guard !wanted.isEmpty else { return }
        let people = try await NotificationRepository.recipients(Set(wanted.keys), on: sql)
        let choices = try await NotificationRepository.preferences(of: people.map(\.id), on: sql)
        var notices: [AgentNotice] = []
        var mailed: [(NoticeRecipient, NotificationKind)] = []
        for person in people.sorted(by: { $0.email < $1.email }) {
            guard let kind = wanted[person.id], let choice = choices[person.id]?[kind] else { continue }
            if choice.inApp {
                notices.append(AgentNotice(userID: person.id, caseID: record.id, kind: kind, actorID: actorID, excerpt: excerpt, createdAt: now))
            }
            if choice.email { mailed.append((person, kind)) }
        }
        try await NotificationRepository.insert(notices, on: sql)
        guard !mailed.isEmpty else { return }
        let actorName = try await actorID.asyncMap { try await NotificationRepository.name(of: $0, on: sql) }
        for (person, kind) in mailed {
            let words = NotificationWords(texts: services.texts.strings(person.language), baseURL: services.configuration.equipment.publicURL)
            let reference = Reference(prefix: services.configuration.referencePrefix, number: record.number).description
            let mail = words.mail(kind, reference: reference, subject: record.subject, actor: actorName, excerpt: excerpt)
            try await Outbox.enqueueFromDesk(to: MailAddress(name: person.name, address: person.email), subject: mail.subject, text: mail.text,
                                             kind: .notification, caseID: record.id, isAutomatic: true, settings: services.configuration.outbound,
                                             on: sql, now: now)
        }
    }

    /// Solving, and reopening a solved or closed case, is news to everyone on the case; other status moves are not.
    static func isStatusNews(_ change: FieldChange) -> Bool {
        change.field == "status" && (change.newValue == CaseStatus.solved.rawValue || change.oldValue == CaseStatus.solved.rawValue
                                     || change.oldValue == CaseStatus.closed.rawValue)
    }

    /// The first words of a message, on one line.
    static func excerpt(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return line.count <= 200 ? line : String(line.prefix(199)) + "…"
    }
}
