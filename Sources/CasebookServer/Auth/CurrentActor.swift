import CasebookCore
import Vapor

/// The signed-in person for this request, with the facts access decisions need.
struct CurrentActor: Sendable {
    let actor: Actor
    let user: UserModel.Snapshot
    /// Signed in through the browser session rather than a token.
    let viaSession: Bool
    /// The channel a message from this caller arrives on, when not the API or portal (e.g. email).
    var channel: CaseChannel?

    init(actor: Actor, user: UserModel.Snapshot, viaSession: Bool, channel: CaseChannel? = nil) {
        self.actor = actor
        self.user = user
        self.viaSession = viaSession
        self.channel = channel
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
