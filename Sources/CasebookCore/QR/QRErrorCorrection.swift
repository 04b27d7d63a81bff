/// How much of a QR symbol may be damaged and still read: about 7, 15, 25 or 30 per cent.
public enum QRErrorCorrection: Sendable, CaseIterable {
    case low, medium, quartile, high

    /// The two bits the format information stores for this level.
    var formatBits: Int {
        switch self {
        case .low: 1
        case .medium: 0
        case .quartile: 3
        case .high: 2
        }
    }
}
