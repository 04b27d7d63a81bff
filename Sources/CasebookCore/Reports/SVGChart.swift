/// Bar and line charts drawn as SVG on the server: no script, readable without colour, with a title and labelled axes.
public enum SVGChart {
    /// One labelled value.
    public struct Point: Sendable, Equatable {
        public let label: String
        public let value: Double

        public init(_ label: String, _ value: Double) {
            self.label = label
            self.value = value
        }
    }

    public enum Style: Sendable { case bars, line }

    /// `decimalComma` writes 2,5 and `noData` is what an empty chart says, for the reader whose language does (Spanish, French, German).
    public static func render(title: String, unit: String, points: [Point], style: Style, width: Int = 720, height: Int = 320,
                              decimalComma: Bool = false, noData: String = "No data") -> String {
        let e = HTMLEntities.escape
        let format = { (value: Double) in decimalComma ? Self.format(value).replacingOccurrences(of: ".", with: ",") : Self.format(value) }
        let left = 56.0, right = 16.0, top = 36.0, bottom = 64.0
        let plotWidth = Double(width) - left - right, plotHeight = Double(height) - top - bottom
        let maximum = niceCeiling(points.map(\.value).max() ?? 0)
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" role="img" aria-labelledby="t">\
        <title id="t">\(e(title))</title><style>text{font:12px sans-serif;fill:#222}.axis{stroke:#444}.grid{stroke:#ddd}.bar{fill:#2f5f8f}.line{fill:none;stroke:#2f5f8f;stroke-width:2}</style>\
        <rect width="100%" height="100%" fill="#fff"/><text x="\(Int(left))" y="20" font-weight="bold">\(e(title))</text>
        """
        for step in 0...4 {
            let value = maximum * Double(step) / 4
            let y = top + plotHeight - plotHeight * Double(step) / 4
            svg += "<line class=\"grid\" x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(y))\" y2=\"\(f(y))\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(e(format(value)))</text>"
        }
        svg += "<line class=\"axis\" x1=\"\(f(left))\" x2=\"\(f(left))\" y1=\"\(f(top))\" y2=\"\(f(top + plotHeight))\"/>"
        svg += "<line class=\"axis\" x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(top + plotHeight))\" y2=\"\(f(top + plotHeight))\"/>"
        svg += "<text x=\"12\" y=\"\(f(top + plotHeight / 2))\" transform=\"rotate(-90 12 \(f(top + plotHeight / 2)))\" text-anchor=\"middle\">\(e(unit))</text>"
        guard !points.isEmpty, maximum > 0 else { return svg + "<text x=\"\(f(left + 10))\" y=\"\(f(top + 20))\">\(e(noData))</text></svg>" }
        let slot = plotWidth / Double(points.count)
        let labelEvery = max(1, points.count / 12)
        var path = ""
        for (index, point) in points.enumerated() {
            let x = left + slot * Double(index)
            let barHeight = plotHeight * point.value / maximum
            let y = top + plotHeight - barHeight
            switch style {
            case .bars:
                svg += "<rect class=\"bar\" x=\"\(f(x + slot * 0.1))\" y=\"\(f(y))\" width=\"\(f(slot * 0.8))\" height=\"\(f(barHeight))\"><title>\(e(point.label)): \(e(format(point.value)))</title></rect>"
            case .line:
                path += (path.isEmpty ? "M" : "L") + "\(f(x + slot / 2)),\(f(y))"
                svg += "<circle cx=\"\(f(x + slot / 2))\" cy=\"\(f(y))\" r=\"3\" fill=\"#2f5f8f\"><title>\(e(point.label)): \(e(format(point.value)))</title></circle>"
            }
            if index % labelEvery == 0 {
                let lx = x + slot / 2, ly = top + plotHeight + 14
                svg += "<text x=\"\(f(lx))\" y=\"\(f(ly))\" text-anchor=\"end\" transform=\"rotate(-35 \(f(lx)) \(f(ly)))\">\(e(String(point.label.prefix(18))))</text>"
            }
        }
        if style == .line { svg += "<path class=\"line\" d=\"\(path)\"/>" }
        return svg + "</svg>"
    }

    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 0 }
        var magnitude = 1.0
        while magnitude * 10 <= value { magnitude *= 10 }
        while magnitude > value { magnitude /= 10 }
        for step in [1.0, 2, 2.5, 5, 10] where step * magnitude >= value { return step * magnitude }
        return value
    }

    static func f(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return Int(exactly: rounded).map(String.init) ?? String(rounded)
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e12 ? String(Int(value)) : String((value * 10).rounded() / 10)
    }
}
