import CasebookCore
import SQLKit
import Vapor

/// `/cases/{reference}/repairs`: what a case waits on from a repair vendor or a parts order, with the expected date.
struct RepairController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let repairs = routes.grouped("cases", ":reference", "repairs")
        repairs.get(use: list)
        repairs.post(use: create)
        repairs.patch(":id", use: update)
    }

    private func today(_ req: Request) -> LocalDate { BusinessCalendar.allHours().localDay(of: req.now) }

    /// Customers who can see the case see its repairs too: the expected date is what they want to know.
    @Sendable func list(req: Request) async throws -> [RepairView] {
        let record = try await req.readableCase()
        let seesInternal = try req.seesInternal
        let day = today(req)
        return try await RepairRepository.list(caseID: record.id, today: day, on: req.store.sql).map { repair in
            var view = repair
            if !seesInternal { view.vendorID = nil }
            return view
        }
    }

    @Sendable func create(req: Request) async throws -> Response {
        let current = try req.current
        let reference = try req.parameters.require("reference")
        let input = try req.content.decode(RepairCreate.self)
        let services = req.casebook
        let day = today(req)
        let now = req.now
        let view = try await req.store.write { db -> RepairView in
            let sql = services.store.sql(db)
            let record = try await Self.changeableCase(reference, by: current, services: services, on: sql)
            let description = try Validate.name(input.description, field: "description", max: 500, multiline: true)
            var turnaround = 10
            if let vendor = input.vendorID {
                guard let days = try await RepairRepository.turnaroundDays(ofVendor: vendor, on: sql) else {
                    throw Problem.invalid("vendor_id", "names no repair vendor")
                }
                turnaround = days
            }
            if let part = input.partID, try await !RelatedRecordRepository.exists("parts", part, on: sql) {
                throw Problem.invalid("part_id", "names no part")
            }
            if let asset = input.assetID, try await AssetRepository.find(asset, on: sql) == nil { throw Problem.invalid("asset_id", "names no asset") }
            let sent = input.sentOn ?? day
            let expected = input.expectedOn ?? sent.adding(days: turnaround)
            guard expected >= sent else { throw Problem.invalid("expected_on", "must not be before sent_on") }
            let view = RepairView(id: RecordID.make(), vendorID: input.vendorID, partID: input.partID, assetID: input.assetID, description: description,
                                  sentOn: sent, expectedOn: expected, returnedOn: nil, overdue: expected < day)
            try await RepairRepository.insert(view, caseID: record.id, by: current.user.id, at: now, on: sql)
            var message: MessageCreateRequest
            if input.notifyCustomer ?? true {
                message = MessageCreateRequest(text: "We are waiting on \(description). We expect it by \(expected) and will keep you updated until then.")
                message.status = record.status.isActive ? .pendingVendor : nil
            } else {
                message = MessageCreateRequest(text: "Waiting on \(description); expected by \(expected).")
                message.visibility = .internal
            }
            _ = try await AddMessage(services: services).run(reference: reference, input: message, by: current, on: db)
            return view
        }
        return try await view.encodeResponse(status: .created, for: req)
    }

    @Sendable func update(req: Request) async throws -> RepairView {
        let current = try req.current
        let reference = try req.parameters.require("reference")
        let input = try req.content.decode(RepairUpdate.self)
        let services = req.casebook
        let day = today(req)
        return try await req.store.write { db -> RepairView in
            let sql = services.store.sql(db)
            let record = try await Self.changeableCase(reference, by: current, services: services, on: sql)
            guard let id = req.parameters.get("id", as: UUID.self),
                  var view = try await RepairRepository.find(id, caseID: record.id, today: day, on: sql)
            else { throw Problem.notFound("The repair") }
            var notes: [String] = []
            if let expected = input.expectedOn, expected != view.expectedOn {
                guard expected >= view.sentOn else { throw Problem.invalid("expected_on", "must not be before sent_on") }
                notes.append("The expected date for \(view.description) moved from \(view.expectedOn) to \(expected).")
                view.expectedOn = expected
            }
            if let returned = input.returnedOn, view.returnedOn == nil {
                guard returned >= view.sentOn else { throw Problem.invalid("returned_on", "must not be before sent_on") }
                notes.append("\(view.description) is back (\(returned)).")
                view.returnedOn = returned
            }
            view.overdue = view.returnedOn == nil && view.expectedOn < day
            try await RepairRepository.updateDates(view, on: sql)
            if !notes.isEmpty {
                let stillWaiting = try await RepairRepository.outstanding(caseID: record.id, on: sql)
                var message = MessageCreateRequest(text: notes.joined(separator: " "))
                if record.status == .pendingVendor && stillWaiting == 0 { message.status = .open }
                _ = try await AddMessage(services: services).run(reference: reference, input: message, by: current, on: db)
            }
            return view
        }
    }

    /// The case, when the caller may change it (staff); customers who can see it get 403, others 404.
    static func changeableCase(_ reference: String, by current: CurrentActor, services: CasebookServices, on sql: any SQLDatabase) async throws -> CaseRecord {
        let record = try await CaseLookup.find(reference, prefix: services.configuration.referencePrefix, on: sql)
        switch AccessPolicy.decide(.updateCase(CaseLookup.facts(record)), for: current.actor) {
        case .allowed: return record
        case .forbidden: throw Problem.forbidden()
        case .hidden: throw Problem.notFound("Case \(reference)")
        }
    }
}
