/// A fact the desk may already hold about the person filing, so the question need not be asked again.
public enum IntakePrefill: String, Sendable, Codable, CaseIterable {
    case organisation
    case productVersion = "product_version"
}

/// What is on record for the person filing: their organisation and the product version they run.
public struct IntakeKnownFacts: Sendable, Hashable {
    public var organisation: String?
    /// The version on record, with the text shown to the customer ("Gateway 4.2").
    public var productVersion: (id: String, label: String)?

    public init(organisation: String? = nil, productVersion: (id: String, label: String)? = nil) {
        self.organisation = organisation
        self.productVersion = productVersion
    }

    /// The recorded answer for a prefilled question, if there is one.
    public func answer(for prefill: IntakePrefill) -> IntakeAnswer? {
        switch prefill {
        case .organisation: organisation.map(IntakeAnswer.text)
        case .productVersion: productVersion.map { IntakeAnswer.productVersion(id: $0.id, label: $0.label) }
        }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.organisation == rhs.organisation && lhs.productVersion?.id == rhs.productVersion?.id
            && lhs.productVersion?.label == rhs.productVersion?.label
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(organisation)
        hasher.combine(productVersion?.id)
    }
}
