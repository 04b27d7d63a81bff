import CasebookCore
import Vapor

/// The body of `POST /cases`.
struct CaseCreateRequest: Decodable, Sendable {
    /// The Message-ID of the email that opened the case; set by the mail channel, never read from a request body.
    var emailMessageID: String?
    var type: CaseType?
    var subject: String
    var description: String
    var descriptionHTML: String?
    var priority: Priority?
    var requesterID: UUID?
    var organisationID: UUID?
    var productID: UUID?
    var productVersionID: UUID?
    var categoryID: UUID?
    var assigneeID: UUID?
    var groupID: UUID?
    var tier: Int?
    var tags: [String]?
    var customFields: [String: FieldValue]?
    var channel: CaseChannel?
    var attachments: [AttachmentUpload]?
    /// The knowledge suggestions the portal showed before this case was filed (for the deflection figure).
    var suggestionID: UUID?
    /// Answers to the category's intake flow, by question key, in text form.
    var intakeAnswers: [String: String]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, subject, description, priority, tier, tags, channel, attachments
        case descriptionHTML = "description_html"
        case suggestionID = "suggestion_id"
        case intakeAnswers = "intake_answers"
        case requesterID = "requester_id"
        case organisationID = "organisation_id"
        case productID = "product_id"
        case productVersionID = "product_version_id"
        case categoryID = "category_id"
        case assigneeID = "assignee_id"
        case groupID = "group_id"
        case customFields = "custom_fields"
    }

    /// A case with just a subject and a description, for channels other than the API.
    init(subject: String, description: String) {
        self.subject = subject
        self.description = description
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decodeIfPresent(CaseType.self, forKey: .type)
        subject = try c.decode(String.self, forKey: .subject)
        description = try c.decode(String.self, forKey: .description)
        descriptionHTML = try c.decodeIfPresent(String.self, forKey: .descriptionHTML)
        priority = try c.decodeIfPresent(Priority.self, forKey: .priority)
        requesterID = try c.decodeIfPresent(UUID.self, forKey: .requesterID)
        organisationID = try c.decodeIfPresent(UUID.self, forKey: .organisationID)
        productID = try c.decodeIfPresent(UUID.self, forKey: .productID)
        productVersionID = try c.decodeIfPresent(UUID.self, forKey: .productVersionID)
        categoryID = try c.decodeIfPresent(UUID.self, forKey: .categoryID)
        assigneeID = try c.decodeIfPresent(UUID.self, forKey: .assigneeID)
        groupID = try c.decodeIfPresent(UUID.self, forKey: .groupID)
        tier = try c.decodeIfPresent(Int.self, forKey: .tier)
        tags = try c.decodeIfPresent([String].self, forKey: .tags)
        customFields = try c.decodeIfPresent([String: FieldValue].self, forKey: .customFields)
        channel = try c.decodeIfPresent(CaseChannel.self, forKey: .channel)
        attachments = try c.decodeIfPresent([AttachmentUpload].self, forKey: .attachments)
        suggestionID = try c.decodeIfPresent(UUID.self, forKey: .suggestionID)
        intakeAnswers = try c.decodeIfPresent([String: String].self, forKey: .intakeAnswers)
    }
}

/// The body of `PATCH /cases/{reference}`: only the fields sent change; null clears.
struct CasePatchRequest: Decodable, Sendable {
    var version: Int?
    var type: CaseType?
    var subject: String?
    var status: CaseStatus?
    var priority: Priority?
    var requesterID: UUID?
    var organisationID: PatchValue<UUID> = .absent
    var productID: PatchValue<UUID> = .absent
    var productVersionID: PatchValue<UUID> = .absent
    var categoryID: PatchValue<UUID> = .absent
    var assigneeID: PatchValue<UUID> = .absent
    var groupID: PatchValue<UUID> = .absent
    var tier: Int?
    var tags: [String]?
    var customFields: [String: FieldValue?] = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case version, type, subject, status, priority, tier, tags
        case requesterID = "requester_id"
        case organisationID = "organisation_id"
        case productID = "product_id"
        case productVersionID = "product_version_id"
        case categoryID = "category_id"
        case assigneeID = "assignee_id"
        case groupID = "group_id"
        case customFields = "custom_fields"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decodeIfPresent(Int.self, forKey: .version)
        type = try c.decodeIfPresent(CaseType.self, forKey: .type)
        subject = try c.decodeIfPresent(String.self, forKey: .subject)
        status = try c.decodeIfPresent(CaseStatus.self, forKey: .status)
        priority = try c.decodeIfPresent(Priority.self, forKey: .priority)
        requesterID = try c.decodeIfPresent(UUID.self, forKey: .requesterID)
        organisationID = try c.decodePatch(UUID.self, forKey: .organisationID)
        productID = try c.decodePatch(UUID.self, forKey: .productID)
        productVersionID = try c.decodePatch(UUID.self, forKey: .productVersionID)
        categoryID = try c.decodePatch(UUID.self, forKey: .categoryID)
        assigneeID = try c.decodePatch(UUID.self, forKey: .assigneeID)
        groupID = try c.decodePatch(UUID.self, forKey: .groupID)
        tier = try c.decodeIfPresent(Int.self, forKey: .tier)
        tags = try c.decodeIfPresent([String].self, forKey: .tags)
        customFields = try c.decodeIfPresent([String: FieldValue?].self, forKey: .customFields) ?? [:]
    }

    /// The core's patch, with ids typed.
    var corePatch: CasePatch {
        CasePatch(
            type: type, subject: subject, status: status, priority: priority, requesterID: requesterID.map { UserID($0) },
            organisationID: organisationID.asDoubleOptional.map { $0.map { OrganisationID($0) } },
            productID: productID.asDoubleOptional.map { $0.map { ProductID($0) } },
            productVersionID: productVersionID.asDoubleOptional.map { $0.map { ProductVersionID($0) } },
            categoryID: categoryID.asDoubleOptional.map { $0.map { CategoryID($0) } },
            assigneeID: assigneeID.asDoubleOptional.map { $0.map { UserID($0) } },
            groupID: groupID.asDoubleOptional.map { $0.map { GroupID($0) } },
            tier: tier, tags: tags, customFields: customFields)
    }
}

/// The body of `POST /cases/{reference}/messages`.
struct MessageCreateRequest: Decodable, Sendable {
    /// The Message-ID of the email this reply arrived as; set by the mail channel, never read from a request body.
    var emailMessageID: String?
    var text: String
    var html: String?
    var visibility: Visibility?
    var channel: CaseChannel?
    var status: CaseStatus?
    var attachments: [AttachmentUpload]?
    /// Minutes the author spent on this reply or note (staff only), for time tracking.
    var minutes: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case text, html, visibility, channel, status, attachments, minutes
    }

    /// A public reply with this text, for channels other than the API.
    init(text: String) {
        self.text = text
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        text = try c.decode(String.self, forKey: .text)
        html = try c.decodeIfPresent(String.self, forKey: .html)
        visibility = try c.decodeIfPresent(Visibility.self, forKey: .visibility)
        channel = try c.decodeIfPresent(CaseChannel.self, forKey: .channel)
        status = try c.decodeIfPresent(CaseStatus.self, forKey: .status)
        attachments = try c.decodeIfPresent([AttachmentUpload].self, forKey: .attachments)
        minutes = try c.decodeIfPresent(Int.self, forKey: .minutes)
    }
}

/// A file sent inline in JSON, base64-encoded.
struct AttachmentUpload: Decodable, Sendable {
    var filename: String
    var contentType: String?
    var data: String
    /// The bytes themselves, for files that arrive already decoded (a mail's attachments); never read from JSON.
    var bytes: Data?
    /// Set when the bytes are already in the content store under this digest (kept before the write began).
    var digest: String?

    init(filename: String, contentType: String?, data: String) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }

    /// A file handed over as bytes, without a base64 round trip.
    init(filename: String, contentType: String?, bytes: Data) {
        self.init(filename: filename, contentType: contentType, data: "")
        self.bytes = bytes
    }

    enum CodingKeys: String, CodingKey {
        case filename, data
        case contentType = "content_type"
    }
}
