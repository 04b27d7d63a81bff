import CasebookCore
import Foundation
import SQLKit

/// Items sent out for repair on a case: to which vendor, when they went and when they are due back.
enum RepairRepository {
    /// A case's repairs in the order they were sent; `today` decides which are overdue.
    static func list(caseID: UUID, today: LocalDate, on sql: any SQLDatabase) async throws -> [RepairView] {
        try await sql.select().columns("*").from("repairs").where("case_id", .equal, caseID).orderBy("sent_on").all().map { try view($0, today: today) }
    }

    static func find(_ id: UUID, caseID: UUID, today: LocalDate, on sql: any SQLDatabase) async throws -> RepairView? {
        try await sql.select().columns("*").from("repairs").where("id", .equal, id).where("case_id", .equal, caseID).first().map { try view($0, today: today) }
    }

    /// How many days a vendor usually takes; nil when there is no such vendor.
    static func turnaroundDays(ofVendor id: UUID, on sql: any SQLDatabase) async throws -> Int? {
        try await sql.select().column("turnaround_days").from("repair_vendors").where("id", .equal, id).first()?.decode(column: "turnaround_days", as: Int.self)
    }

    static func insert(_ repair: RepairView, caseID: UUID, by userID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "repairs")
            .columns("id", "case_id", "vendor_id", "part_id", "asset_id", "description", "sent_on", "expected_on", "created_by", "created_at")
            .values(SQLBind(repair.id), SQLBind(caseID), SQLBind(repair.vendorID), SQLBind(repair.partID), SQLBind(repair.assetID),
                    SQLBind(repair.description), SQLBind(repair.sentOn.description), SQLBind(repair.expectedOn.description), SQLBind(userID), SQLBind(now))
            .run()
    }

    /// Keeps a repair's new expected and returned dates.
    static func updateDates(_ repair: RepairView, on sql: any SQLDatabase) async throws {
        try await sql.update("repairs").set("expected_on", to: repair.expectedOn.description).set("returned_on", to: repair.returnedOn?.description)
            .where("id", .equal, repair.id).run()
    }

    /// How many of a case's repairs have not come back.
    static func outstanding(caseID: UUID, on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM repairs WHERE case_id = \(bind: caseID) AND returned_on IS NULL").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    private static func view(_ row: any SQLRow, today: LocalDate) throws -> RepairView {
        let expected = LocalDate(parsing: try row.decode(column: "expected_on", as: String.self)) ?? today
        let returned = try row.decode(column: "returned_on", as: String?.self).flatMap(LocalDate.init(parsing:))
        return RepairView(id: try row.decode(column: "id", as: UUID.self), vendorID: try row.decode(column: "vendor_id", as: UUID?.self),
                          partID: try row.decode(column: "part_id", as: UUID?.self), assetID: try row.decode(column: "asset_id", as: UUID?.self),
                          description: try row.decode(column: "description", as: String.self),
                          sentOn: LocalDate(parsing: try row.decode(column: "sent_on", as: String.self)) ?? today, expectedOn: expected,
                          returnedOn: returned, overdue: returned == nil && expected < today)
    }
}
