import CasebookCore
import Foundation
import SQLKit

/// Spots a product version that several organisations report trouble with in a short window, and tells the admins and
/// the affected accounts' managers once.
struct EarlyWarnings {
    let services: CasebookServices

    static let key = "warnings.detect"

    /// Returns the warnings raised by this run.
    func detect() async throws -> Int {
        let services = self.services
        let settings = services.configuration.insight
        let now = services.clock()
        let since = now.addingTimeInterval(-Double(settings.warningWindowHours) * 3_600)
        // The scan runs every tick, so it reads outside the write transaction; only a version over the threshold writes.
        var byVersion: [UUID: (organisations: Set<UUID>, cases: [Int])] = [:]
        for (version, organisation, number) in try await NoticeRepository.casesWithVersion(since: since, on: services.store.sql) {
            byVersion[version, default: ([], [])].organisations.insert(organisation)
            byVersion[version, default: ([], [])].cases.append(number)
        }
        let candidates = byVersion.filter { $0.value.organisations.count >= settings.warningOrganisations }
        guard !candidates.isEmpty else { return 0 }
        return try await services.store.write { db -> Int in
            let sql = services.store.sql(db)
            var raised = 0
            for (version, found) in candidates {
                // One warning per version per window: a warning raised inside the window already covers it.
                guard try await !NoticeRepository.warningRaised(for: version, since: since, on: sql) else { continue }
                let prefix = services.configuration.referencePrefix
                let references = found.cases.sorted().map { Reference(prefix: prefix, number: $0).description }
                try await NoticeRepository.addWarning(version: version, organisations: found.organisations.count, cases: references, at: now, on: sql)
                let name = try await Self.versionName(version, on: sql)
                // Account managers hear about their own accounts, so they can call before the customer does.
                let managers = try await StaffAddressRepository.accountManagers(of: found.organisations, on: sql)
                for manager in managers {
                    try await StaffNotice(services: services).send(
                        to: manager.address, subject: "Early warning for your accounts: trouble with \(name)",
                        text: "Your accounts \(manager.accounts.joined(separator: ", ")) are among \(found.organisations.count) organisations that opened cases about "
                            + "\(name) in the last \(settings.warningWindowHours) hours: " + references.joined(separator: ", ") + ".",
                        on: sql, now: now)
                }
                for address in try await StaffAddressRepository.adminAddresses(on: sql) where !managers.contains(where: { $0.address == address }) {
                    try await StaffNotice(services: services).send(
                        to: address, subject: "Early warning: \(found.organisations.count) customers report trouble with \(name)",
                        text: "\(found.organisations.count) organisations opened cases about \(name) in the last \(settings.warningWindowHours) hours: "
                            + references.joined(separator: ", ") + ".\n\nConsider a problem record and a proactive notice to everyone running this version.",
                        on: sql, now: now)
                }
                raised += 1
            }
            return raised
        }
    }

    static func versionName(_ id: UUID, on sql: any SQLDatabase) async throws -> String {
        try await NoticeRepository.versionName(id, on: sql) ?? "an unknown version"
    }
}
