import CasebookCore
import Fluent
import Vapor

/// The signed-in person for this request, with the facts access decisions need.
struct CurrentActor: Sendable {
    let actor: Actor
    let user: UserModel.Snapshot
    /// Signed in through the browser session rather than a token.
    let viaSession: Bool
    /// The channel a message from this caller arrives on, when not the API or portal (e.g. email).
    var channel: CaseChannel?
    /// The person's preferred language, when read with them (pages use it).
    var language: String?
    /// The person's time zone (an IANA name), when read with them: pages show times in it.
    var timeZone: String?

    init(actor: Actor, user: UserModel.Snapshot, viaSession: Bool, channel: CaseChannel? = nil) {
        self.actor = actor
        self.user = user
        self.viaSession = viaSession
        self.channel = channel
    }

    /// The actor for a person; `sharesCases` is whether their organisation lets colleagues see each other's cases.
    init(id: UUID, email: String, name: String, role: Role, organisationID: UUID?, sharesCases: Bool,
         viaSession: Bool, channel: CaseChannel? = nil) {
        self.init(
            actor: Actor(userID: UserID(id), role: role, organisationID: organisationID.map { OrganisationID($0) },
                         organisationSharesCases: role == .customer && sharesCases),
            user: .init(id: id, email: email, name: name, role: role, organisationID: organisationID),
            viaSession: viaSession, channel: channel)
    }

    /// The actor for a stored person, looking up whether their organisation shares cases.
    static func load(_ user: UserModel, on db: any Database, viaSession: Bool = false, channel: CaseChannel? = nil) async throws -> CurrentActor {
        var shares = false
        if let organisationID = user.organisationID { shares = try await OrganisationModel.find(organisationID, on: db)?.sharesCases ?? false }
        return CurrentActor(id: try user.requireID(), email: user.email, name: user.name, role: Role(rawValue: user.role) ?? .customer,
                            organisationID: user.organisationID, sharesCases: shares, viaSession: viaSession, channel: channel)
    }

    /// Where this caller's words come from, unless staff name another channel.
    var defaultChannel: CaseChannel { channel ?? (viaSession ? .portal : .api) }
}

extension UserModel {
    /// An immutable copy of the fields the request needs, safe to share across tasks.
    struct Snapshot: Sendable {
        let id: UUID
        let email: String
        let name: String
        let role: Role
        let organisationID: UUID?
    }
}

extension Request {
    private struct CurrentActorKey: StorageKey {
        typealias Value = CurrentActor
    }

    /// The signed-in actor; throws 401 when nobody is signed in.
    var current: CurrentActor {
        get throws {
            guard let current = storage[CurrentActorKey.self] else { throw Problem.unauthorized() }
            return current
        }
    }

    var actor: Actor {
        get throws { try current.actor }
    }

    func setCurrent(_ current: CurrentActor) {
        storage[CurrentActorKey.self] = current
    }

    /// Asks the access policy; `hidden` becomes 404 so other people's records are not revealed.
    func authorize(_ action: AccessAction, notFound what: String = "The resource") throws {
        switch AccessPolicy.decide(action, for: try actor) {
        case .allowed: return
        case .forbidden: throw Problem.forbidden()
        case .hidden: throw Problem.notFound(what)
        }
    }
}
