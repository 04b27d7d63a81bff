import CasebookCore
import CasebookMail
import Foundation
import SQLKit

/// The people a customer copied on their mail become the case's copies, as a mail client's "reply all" expects:
/// everyone who was in the conversation stays in it. Our own addresses and staff never are.
struct CopiesFromMail {
    let services: CasebookServices

    /// Adds `mail`'s Cc addresses to the case; returns those added. Only Cc: its To holds our own address, which
    /// Casebook cannot always tell from a customer's (mail handed over by the API names no address of ours).
    @discardableResult
    func add(from mail: MailMessage, author: String, caseID: UUID, requesterEmail: String?, on sql: any SQLDatabase, now: Date) async throws -> [String] {
        let delivered = mail.headerValues("Delivered-To") + mail.headerValues("X-Original-To")
        let excluded = Set(([author, requesterEmail ?? "", services.configuration.outbound.fromAddress] + delivered).map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: "<> ")).lowercased()
        })
        var candidates: [MailAddress] = []
        for address in mail.cc {
            let plain = address.address.lowercased()
            guard plain.contains("@"), !excluded.contains(plain), !candidates.contains(where: { $0.address.lowercased() == plain }) else { continue }
            guard !isOurs(plain) else { continue }
            candidates.append(address)
        }
        guard !candidates.isEmpty else { return [] }
        let ours = Set(try await MailAddressRepository.all(on: sql).map { $0.address.lowercased() })
            .union(try await MailAccountRepository.all(on: sql).map { $0.username.lowercased() })
        let staff = try await CaseChoiceRepository.staffAddresses(among: candidates.map { $0.address.lowercased() }, on: sql)
        var room = CaseCopyRepository.limit - (try await CaseCopyRepository.copies(of: caseID, on: sql).count)
        var added: [String] = []
        for candidate in candidates where room > 0 {
            let plain = candidate.address.lowercased()
            guard !ours.contains(plain), !staff.contains(plain), (try? Validate.email(plain, field: "cc")) != nil else { continue }
            let name = candidate.name.flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
            if try await CaseCopyRepository.add(caseID, address: plain, name: name, by: nil, at: now, on: sql) {
                added.append(plain)
                room -= 1
            }
        }
        if !added.isEmpty {
            var timeline = try await TimelineWriter.continuing(caseID: caseID, actorID: nil, at: now, on: sql)
            for address in added { timeline.record(kind: .fieldChanged, visibility: .internal, field: "cc", old: nil, new: address) }
            try await timeline.write(on: sql)
        }
        return added
    }

    /// An address Casebook takes mail for (its own, a case-tagged one, a whole domain of ours).
    private func isOurs(_ address: String) -> Bool {
        if services.configuration.smtp?.accepts(address) == true { return true }
        return CaseAddress.reference(in: address, prefix: services.configuration.referencePrefix) != nil
    }
}
