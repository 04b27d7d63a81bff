import CasebookCore
import CasebookMail
import Foundation
import SQLKit
import Vapor

/// Contracts: what each organisation bought, at which level, under which service-level policy.
struct ContractsAdminPage: AdminPage {
    let name = "contracts"
    let title = "Contracts"
    let intro = "What each organisation bought, with its service level and dates."

    func fill(_ page: inout AdminSection, for req: Request) async throws {
        let t = AreaText(req)
        let sql = req.store.sql
        let organisations = try await AdminSection.organisationOptions(on: sql)
        page.columns = [t("Organisation"), t("Contract"), t("Level"), t("From"), t("Until")]
        page.rows = try await ContractRepository.withOrganisations(on: sql).map { organisation, contract in
            [.init(text: organisation), .init(text: contract.name), .init(text: contract.level), .init(text: contract.startsOn.description),
             .init(text: contract.endsOn?.description ?? t("open-ended"))]
        }
        let policies = try await SLAPolicyRepository.names(on: sql).map { AdminSection.Option(value: $0.id.uuidString.lowercased(), label: $0.name) }
        page.forms = [.init(id: "add-contract", title: t("Add a contract"), action: "/admin/contracts", fields: [
            .init("organisation_id", t("Organisation"), type: "select", required: true, options: organisations),
            .init("name", t("Name"), required: true),
            .init("level", t("Level"), type: "select", required: true, options: ["basic", "standard", "premium"].map { .init(value: $0, label: t($0)) }),
            .init("starts_on", t("Starts on"), type: "date", required: true), .init("ends_on", t("Ends on"), type: "date"),
            .init("sla_policy_id", t("Service-level policy"), type: "select", options: [.init(value: "", label: "—")] + policies),
        ], submit: t("Add contract"))]
    }
}
