/// The block structure of QR versions 1 to 10 (ISO/IEC 18004 table 9), enough for any link we print.
struct QRBlockLayout: Sendable {
    /// Error-correction codewords in every block.
    let eccPerBlock: Int
    /// (number of blocks, data codewords in each), short blocks first.
    let groups: [(count: Int, data: Int)]

    var dataCodewords: Int { groups.reduce(0) { $0 + $1.count * $1.data } }
}

enum QRVersionTable {
    static let maxVersion = 10

    /// Layout per version (index 1...10) and level.
    static func layout(version: Int, level: QRErrorCorrection) -> QRBlockLayout {
        let row = table[version - 1]
        let entry: (Int, Int, Int, Int, Int)
        switch level {
        case .low: entry = row.0
        case .medium: entry = row.1
        case .quartile: entry = row.2
        case .high: entry = row.3
        }
        var groups = [(count: entry.1, data: entry.2)]
        if entry.3 > 0 { groups.append((count: entry.3, data: entry.4)) }
        return QRBlockLayout(eccPerBlock: entry.0, groups: groups)
    }

    /// Centre coordinates of the alignment patterns.
    static func alignmentPositions(version: Int) -> [Int] {
        [[], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50]][version - 1]
    }

    private typealias Entry = (Int, Int, Int, Int, Int)
    // (ecc per block, blocks in group 1, data per block, blocks in group 2, data per block) for L, M, Q, H.
    private static let table: [(Entry, Entry, Entry, Entry)] = [
        ((7, 1, 19, 0, 0), (10, 1, 16, 0, 0), (13, 1, 13, 0, 0), (17, 1, 9, 0, 0)),
        ((10, 1, 34, 0, 0), (16, 1, 28, 0, 0), (22, 1, 22, 0, 0), (28, 1, 16, 0, 0)),
        ((15, 1, 55, 0, 0), (26, 1, 44, 0, 0), (18, 2, 17, 0, 0), (22, 2, 13, 0, 0)),
        ((20, 1, 80, 0, 0), (18, 2, 32, 0, 0), (26, 2, 24, 0, 0), (16, 4, 9, 0, 0)),
        ((26, 1, 108, 0, 0), (24, 2, 43, 0, 0), (18, 2, 15, 2, 16), (22, 2, 11, 2, 12)),
        ((18, 2, 68, 0, 0), (16, 4, 27, 0, 0), (24, 4, 19, 0, 0), (28, 4, 15, 0, 0)),
        ((20, 2, 78, 0, 0), (18, 4, 31, 0, 0), (18, 2, 14, 4, 15), (26, 4, 13, 1, 14)),
        ((24, 2, 97, 0, 0), (22, 2, 38, 2, 39), (22, 4, 18, 2, 19), (26, 4, 14, 2, 15)),
        ((30, 2, 116, 0, 0), (22, 3, 36, 2, 37), (20, 4, 16, 4, 17), (24, 4, 12, 4, 13)),
        ((18, 2, 68, 2, 69), (26, 4, 43, 1, 44), (24, 6, 19, 2, 20), (28, 6, 15, 2, 16)),
    ]
}
