import CasebookCore
import Vapor

/// The sign-in form's password checked against the active directories, in name order, when the local password did not match.
enum DirectoryPasswordCheck {
    enum Outcome {
        /// A directory knew the account and the password: the person here, and the directory's name.
        case signedIn(UserModel, directory: String)
        /// A directory knew the account and the password, but the person may not sign in here (the reason goes to the audit log).
        case refused(String)
        /// No directory knows this account with this password.
        case unknown
    }

    static func attempt(login: String, password: String, on req: Request) async throws -> Outcome {
        let store = req.store
        let directories = try await DirectoryRepository.all(activeOnly: true, on: store.sql)
        for directory in directories {
            let account: DirectorySignIn.Account?
            do {
                account = try await DirectorySignIn.authenticate(login: login, password: password, against: directory)
            } catch {
                // One directory being down must not stop the others, nor local sign-in; admins see it in the log and on Test.
                req.logger.warning("directory sign-in failed", metadata: ["directory": "\(directory.name)", "error": "\(error)"])
                continue
            }
            guard let account else { continue }
            let now = req.now
            let client = req.clientAddress
            do {
                let user = try await store.write { db in
                    try await CompanyPeople.resolve(account.identity, source: directory.source, now: now, client: client, on: db, sql: store.sql(db))
                }
                return .signedIn(user, directory: directory.name)
            } catch let refusal as OpenIDError {
                return .refused("\(directory.name): \(refusal.description)")
            }
        }
        return .unknown
    }
}
