import Fluent
import Foundation

/// The tables an export holds, in an order where every row's references come before it.
struct DataTable: Sendable {
    let name: String
    let count: @Sendable (any Database) async throws -> Int
    let rows: @Sendable (any Database) async throws -> [Data]
    let insert: @Sendable (Data, any Database) async throws -> Void
}

enum DataTables {
    static let all: [DataTable] = [
        table(OrganisationModel.self), table(UserModel.self), table(GroupModel.self), table(GroupMembershipModel.self),
        table(ProductModel.self), table(ProductVersionModel.self), table(CategoryModel.self), table(CustomFieldModel.self),
        table(CaseModel.self, sortedBy: "number"), table(CaseTagModel.self), table(MessageModel.self), table(AttachmentModel.self),
        table(TimelineEntryModel.self), table(ApiTokenModel.self), table(IdempotencyRecordModel.self), counters,
    ]

    /// Counters exist from the first migration, so an import overwrites them instead of inserting.
    static let counters: DataTable = {
        let plain = table(CounterModel.self, idKey: "name")
        return DataTable(name: plain.name, count: plain.count, rows: plain.rows, insert: { data, db in
            let counter = try DataExport.decoder.decode(CounterModel.self, from: data)
            try await CounterModel.query(on: db).filter(\.$id == counter.id ?? "").delete()
            try await counter.create(on: db)
        })
    }()

    static func table<M: Model>(_ type: M.Type, sortedBy field: FieldKey? = nil, idKey: FieldKey = .id) -> DataTable {
        DataTable(
            name: M.schema,
            count: { db in try await M.query(on: db).count() },
            rows: { db in
                var query = M.query(on: db)
                if let field { query = query.sort(field) }
                // Sorting by id as well keeps exports of the same data byte-identical.
                return try await query.sort(idKey).all().map { try DataExport.encoder.encode($0) }
            },
            insert: { data, db in
                try await DataExport.decoder.decode(M.self, from: data).create(on: db)
            })
    }
}
