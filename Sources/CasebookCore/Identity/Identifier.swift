import Foundation

/// A typed identifier: a `CaseID` can never be passed where a `UserID` is expected.
public struct Identifier<Entity>: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: UUID

    public init(_ rawValue: UUID = RecordID.make()) { self.rawValue = rawValue }

    public init?(string: String) {
        guard let uuid = UUID(uuidString: string) else { return nil }
        self.rawValue = uuid
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(UUID.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue.uuidString.lowercased() }
}

/// Marker types that give each identifier its own type.
public enum CaseEntity {}
public enum UserEntity {}
public enum OrganisationEntity {}
public enum GroupEntity {}
public enum ProductEntity {}
public enum ProductVersionEntity {}
public enum CategoryEntity {}
public enum MessageEntity {}
public enum AttachmentEntity {}

public typealias CaseID = Identifier<CaseEntity>
public typealias UserID = Identifier<UserEntity>
public typealias OrganisationID = Identifier<OrganisationEntity>
public typealias GroupID = Identifier<GroupEntity>
public typealias ProductID = Identifier<ProductEntity>
public typealias ProductVersionID = Identifier<ProductVersionEntity>
public typealias CategoryID = Identifier<CategoryEntity>
public typealias MessageID = Identifier<MessageEntity>
public typealias AttachmentID = Identifier<AttachmentEntity>
