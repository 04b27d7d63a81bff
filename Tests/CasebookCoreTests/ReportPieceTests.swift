import CasebookCore
import Testing

@Suite("Report pieces: histograms and SVG charts")
struct ReportPieceTests {
    @Test("percentiles from buckets are never below the true value and at most a quarter above it")
    func histogram() {
        var histogram = DurationHistogram()
        var values: [Double] = []
        for n in 1...1_000 {
            let minutes = Double((n * 7_919) % 5_000) + 1
            values.append(minutes)
            histogram.add(minutes: minutes)
        }
        values.sort()
        for fraction in [0.5, 0.9, 0.95] {
            let exact = values[Int((Double(values.count) * fraction).rounded(.up)) - 1]
            let estimate = histogram.percentile(fraction)!
            #expect(estimate >= exact && estimate <= exact * 1.26 + 1, "p\(Int(fraction * 100)): \(estimate) vs \(exact)")
        }
        var merged = DurationHistogram()
        merged.merge(histogram)
        merged.merge(histogram)
        #expect(merged.total == 2_000 && merged.percentile(0.5) == histogram.percentile(0.5))
        #expect(DurationHistogram().percentile(0.5) == nil)
    }

    @Test("charts escape their labels, scale to a round maximum and say when there is no data")
    func chart() {
        let svg = SVGChart.render(title: "Cases <per> day", unit: "cases", points: [.init("2026-11-01", 3), .init("<b>", 7)], style: .bars)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
        #expect(svg.contains("Cases &lt;per&gt; day") && svg.contains("&lt;b&gt;") && !svg.contains("<b>"))
        #expect(svg.contains(">10</text>"), "the axis tops out at a round 10")
        #expect(SVGChart.render(title: "Empty", unit: "x", points: [], style: .line).contains("No data"))
    }
}
