/// The standard's four penalty rules, used to pick the mask that reads most reliably.
enum QRPenalty {
    static func score(_ modules: [Bool], size: Int) -> Int {
        var penalty = 0
        for horizontal in [true, false] {
            for a in 0..<size {
                var line = [Bool]()
                line.reserveCapacity(size)
                for b in 0..<size { line.append(horizontal ? modules[a * size + b] : modules[b * size + a]) }
                penalty += runs(line) + finderLike(line)
            }
        }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let colour = modules[y * size + x]
                if colour == modules[y * size + x + 1], colour == modules[(y + 1) * size + x], colour == modules[(y + 1) * size + x + 1] {
                    penalty += 3
                }
            }
        }
        let dark = modules.reduce(0) { $0 + ($1 ? 1 : 0) }
        let total = size * size
        let k = (abs(dark * 20 - total * 10) + total - 1) / total - 1
        return penalty + k * 10
    }

    private static func runs(_ line: [Bool]) -> Int {
        var penalty = 0
        var run = 1
        for i in 1..<line.count {
            if line[i] == line[i - 1] {
                run += 1
            } else {
                if run >= 5 { penalty += run - 2 }
                run = 1
            }
        }
        if run >= 5 { penalty += run - 2 }
        return penalty
    }

    private static let patterns: [[Bool]] = [
        [true, false, true, true, true, false, true, false, false, false, false],
        [false, false, false, false, true, false, true, true, true, false, true],
    ]

    private static func finderLike(_ line: [Bool]) -> Int {
        guard line.count >= 11 else { return 0 }
        var penalty = 0
        for start in 0...(line.count - 11) {
            for pattern in patterns where line[start..<(start + 11)].elementsEqual(pattern) { penalty += 40 }
        }
        return penalty
    }
}
