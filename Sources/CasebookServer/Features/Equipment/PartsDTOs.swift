import CasebookCore
import Foundation
import Vapor

/// A spare part with its stock in each location.
struct PartView: Content {
    var id: UUID
    var sku: String
    var name: String
    var stock: [StockLevel]
    var createdAt: Date

    struct StockLevel: Content {
        var location: String
        var quantity: Int
        var minimum: Int
        var low: Bool
        var lowSince: Date?

        enum CodingKeys: String, CodingKey {
            case location, quantity, minimum, low
            case lowSince = "low_since"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, sku, name, stock
        case createdAt = "created_at"
    }
}

/// Body of `POST /parts`.
struct PartCreate: Content {
    var sku: String
    var name: String
}

/// Body of `PUT /parts/{id}/stock`: a stocktake of one location (sets the quantity and the minimum).
struct StockWrite: Content {
    var location: String
    var quantity: Int
    var minimum: Int?
}

/// Body of `POST /parts/{id}/use`: parts taken from stock for a case or a work order.
struct PartUse: Content {
    var location: String
    var quantity: Int
    var caseReference: String?
    var workOrderID: UUID?

    enum CodingKeys: String, CodingKey {
        case location, quantity
        case caseReference = "case_reference", workOrderID = "work_order_id"
    }
}

/// A repair vendor and how long it usually takes.
struct RepairVendorView: Content {
    var id: UUID
    var name: String
    var email: String?
    var phone: String?
    var turnaroundDays: Int

    enum CodingKeys: String, CodingKey {
        case id, name, email, phone
        case turnaroundDays = "turnaround_days"
    }
}

/// Body of `POST /repair-vendors`.
struct RepairVendorCreate: Content {
    var name: String
    var email: String?
    var phone: String?
    var turnaroundDays: Int

    enum CodingKeys: String, CodingKey {
        case name, email, phone
        case turnaroundDays = "turnaround_days"
    }
}

/// Something out for repair (or parts on order) that a case is waiting on.
struct RepairView: Content {
    var id: UUID
    var vendorID: UUID?
    var partID: UUID?
    var assetID: UUID?
    var description: String
    var sentOn: LocalDate
    var expectedOn: LocalDate
    var returnedOn: LocalDate?
    var overdue: Bool

    enum CodingKeys: String, CodingKey {
        case id, description, overdue
        case vendorID = "vendor_id", partID = "part_id", assetID = "asset_id", sentOn = "sent_on", expectedOn = "expected_on"
        case returnedOn = "returned_on"
    }
}

/// Body of `POST /cases/{reference}/repairs`.
struct RepairCreate: Content {
    var vendorID: UUID?
    var partID: UUID?
    var assetID: UUID?
    var description: String
    var sentOn: LocalDate?
    var expectedOn: LocalDate?
    /// Tell the customer (a public reply with the expected date) and set the case to pending vendor/parts; default true.
    var notifyCustomer: Bool?

    enum CodingKeys: String, CodingKey {
        case description
        case vendorID = "vendor_id", partID = "part_id", assetID = "asset_id", sentOn = "sent_on", expectedOn = "expected_on"
        case notifyCustomer = "notify_customer"
    }
}

/// Body of `PATCH /cases/{reference}/repairs/{id}`.
struct RepairUpdate: Content {
    var expectedOn: LocalDate?
    var returnedOn: LocalDate?

    enum CodingKeys: String, CodingKey {
        case expectedOn = "expected_on", returnedOn = "returned_on"
    }
}
