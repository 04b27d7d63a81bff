import CasebookCore
import Foundation
import SQLKit

/// The reports managers read, computed from the daily rollups (and, for the backlog, from open cases directly).
enum ReportQueries {
    enum Name: String, CaseIterable, Sendable {
        case volume, firstResponse = "first-response", timeBetweenUpdates = "time-between-updates", resolution, slaAttainment = "sla-attainment", backlog
        case topCategories = "top-categories", topProducts = "top-products", topVersions = "top-versions", satisfactionTrend = "satisfaction-trend"
    }

    enum Granularity: String, Sendable { case day, week, month }

    struct Result: Sendable {
        var title: String
        var unit: String
        var points: [SVGChart.Point]
        var style: SVGChart.Style
        var summary: [String: Double]
    }

    struct Day: Sendable {
        let day: LocalDate
        let created: Int
        let solved: Int
        let firstResponse: DurationHistogram
        let resolution: DurationHistogram
        let slaCases: Int
        let slaBreached: Int
        let categories: [String: Int]
        let products: [String: Int]
        let versions: [String: Int]
        let satisfactionSum: Int
        let satisfactionCount: Int
        let updateGaps: DurationHistogram
    }

    static func bucket(_ day: LocalDate, _ granularity: Granularity) -> String {
        switch granularity {
        case .day: return day.description
        case .week:
            let offset = (Weekday.allCases.firstIndex(of: day.weekday) ?? 0)
            return day.adding(days: -offset).description
        case .month: return String(day.description.prefix(7))
        }
    }

    static func run(_ name: Name, from: LocalDate, to: LocalDate, granularity: Granularity, now: Date, on sql: any SQLDatabase) async throws -> Result {
        if name == .backlog { return try await backlog(now: now, on: sql) }
        let days = try await ReportDayRepository.days(from: from, to: to, on: sql)
        var order: [String] = []
        var groups: [String: [Day]] = [:]
        for day in days {
            let key = bucket(day.day, granularity)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(day)
        }
        func series(_ value: ([Day]) -> Double?) -> [SVGChart.Point] {
            order.compactMap { key in value(groups[key] ?? []).map { SVGChart.Point(key, ($0 * 100).rounded() / 100) } }
        }
        func merged(_ days: [Day], _ pick: (Day) -> DurationHistogram) -> DurationHistogram {
            days.reduce(into: DurationHistogram()) { $0.merge(pick($1)) }
        }
        switch name {
        case .volume:
            return Result(title: "Cases opened", unit: "cases", points: series { Double($0.reduce(0) { $0 + $1.created }) }, style: .bars,
                          summary: ["opened": Double(days.reduce(0) { $0 + $1.created }), "solved": Double(days.reduce(0) { $0 + $1.solved })])
        case .firstResponse, .resolution, .timeBetweenUpdates:
            let pick: (Day) -> DurationHistogram = name == .firstResponse ? { $0.firstResponse } : name == .resolution ? { $0.resolution } : { $0.updateGaps }
            let all = merged(days, pick)
            var summary: [String: Double] = ["cases": Double(all.total)]
            for (label, fraction) in [("p50_hours", 0.5), ("p90_hours", 0.9), ("p95_hours", 0.95)] {
                if let minutes = all.percentile(fraction) { summary[label] = (minutes / 60 * 100).rounded() / 100 }
            }
            let title = [Name.firstResponse: "First response", .resolution: "Resolution", .timeBetweenUpdates: "Time between updates"][name] ?? ""
            return Result(title: title + ", median (at most)", unit: "hours",
                          points: series { merged($0, pick).percentile(0.5).map { $0 / 60 } }, style: .line, summary: summary)
        case .slaAttainment:
            let cases = days.reduce(0) { $0 + $1.slaCases }, breached = days.reduce(0) { $0 + $1.slaBreached }
            return Result(title: "SLA attainment", unit: "% of cases without a breach", points: series { group in
                let total = group.reduce(0) { $0 + $1.slaCases }
                return total == 0 ? nil : 100 * Double(total - group.reduce(0) { $0 + $1.slaBreached }) / Double(total)
            }, style: .line, summary: ["cases": Double(cases), "breached": Double(breached),
                                       "attainment_percent": cases == 0 ? 100 : (1_000 * Double(cases - breached) / Double(cases)).rounded() / 10])
        case .satisfactionTrend:
            let count = days.reduce(0) { $0 + $1.satisfactionCount }
            return Result(title: "Satisfaction", unit: "average score (1–5)", points: series { group in
                let answers = group.reduce(0) { $0 + $1.satisfactionCount }
                return answers == 0 ? nil : Double(group.reduce(0) { $0 + $1.satisfactionSum }) / Double(answers)
            }, style: .line, summary: ["responses": Double(count),
                                       "average": count == 0 ? 0 : Double(days.reduce(0) { $0 + $1.satisfactionSum }) / Double(count)])
        case .topCategories, .topProducts, .topVersions:
            var totals: [String: Int] = [:]
            for day in days {
                let counts = name == .topCategories ? day.categories : name == .topProducts ? day.products : day.versions
                for (id, count) in counts { totals[id, default: 0] += count }
            }
            let top = totals.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(10)
            let names = try await self.names(of: top.map(\.key), kind: name, on: sql)
            return Result(title: name == .topCategories ? "Top categories" : name == .topProducts ? "Top products" : "Top product versions",
                          unit: "cases", points: top.map { SVGChart.Point(names[$0.key] ?? $0.key, Double($0.value)) }, style: .bars,
                          summary: ["distinct": Double(totals.count)])
        case .backlog:
            return try await backlog(now: now, on: sql)
        }
    }

    /// Open cases by age, counted on the (status, created_at) index.
    static func backlog(now: Date, on sql: any SQLDatabase) async throws -> Result {
        let open = CaseStatus.allCases.filter(\.isActive).map(\.rawValue)
        let edges: [(String, Double)] = [("< 1 day", 1), ("1–3 days", 3), ("3–7 days", 7), ("7–30 days", 30), ("30–90 days", 90), ("> 90 days", 36_500)]
        var points: [SVGChart.Point] = []
        var younger = now
        for (label, days) in edges {
            let older = now.addingTimeInterval(-days * 86_400)
            let count = try await DashboardRepository.openCases(open, openedAfter: older, upTo: younger, on: sql)
            points.append(SVGChart.Point(label, Double(count)))
            younger = older
        }
        return Result(title: "Backlog by age", unit: "open cases", points: points, style: .bars, summary: ["open": points.reduce(0) { $0 + $1.value }])
    }

    static func names(of ids: [String], kind: Name, on sql: any SQLDatabase) async throws -> [String: String] {
        try await DashboardRepository.names(of: ids.compactMap(UUID.init(uuidString:)), in: kind, on: sql)
    }
}
