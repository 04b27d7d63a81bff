import CasebookCore
import Foundation
import SQLKit
import Vapor

/// Seeds many cases over a year, builds the daily rollups, and times every report.
public enum ReportBenchmark {
    public static func run(_ app: Application, cases: Int, repeats: Int, log: (String) -> Void) async throws {
        let services = app.casebook
        let now = services.clock()
        let added = try await AdminOperations.addUser(app, email: "bench-customer@cb.example", name: "customer", role: "customer", organisation: nil, password: nil)
        guard let customer = added.split(separator: " ").last.flatMap({ UUID(uuidString: String($0)) }) else { throw DomainError.conflict("No benchmark customer.") }
        let categories = (0..<12).map { _ in RecordID.make() }, products = (0..<8).map { _ in RecordID.make() }
        let seedStart = ContinuousClock.now
        try await services.store.write { db in
            let sql = services.store.sql(db)
            for (index, id) in categories.enumerated() {
                try await BenchFixtureRepository.insertCategory(id, name: "Category \(index)", at: now, on: sql)
            }
            for (index, id) in products.enumerated() {
                try await BenchFixtureRepository.insertProduct(id, name: "Product \(index)", at: now, on: sql)
            }
        }
        let statuses: [CaseStatus] = [.new, .open, .pendingCustomer, .solved, .closed, .closed, .solved, .open]
        try await BenchmarkCases.insert(count: cases, firstNumber: 2_000_000, requester: customer, now: now, services: services) { n, record in
            record.subject = "Report case \(n)"
            record.status = statuses[n % statuses.count]
            record.categoryID = categories[n % categories.count]
            record.productID = products[n % products.count]
            let opened = record.createdAt
            record.firstResponseAt = n % 5 == 0 ? nil : opened.addingTimeInterval(Double(60 * (5 + n % 600)))
            if record.status == .solved || record.status == .closed { record.solvedAt = opened.addingTimeInterval(Double(3_600 * (1 + n % 96))) }
        }
        log(String(format: "seeded %d cases over 365 days in %.1f s", cases, (ContinuousClock.now - seedStart).seconds))
        let rollupStart = ContinuousClock.now
        let days = try await ReportRollup(services: services).run()
        log(String(format: "built the daily rollups (%d days) in %.1f s", days, (ContinuousClock.now - rollupStart).seconds))
        let today = ReportRollup.utc.localDay(of: now)
        for name in ReportQueries.Name.allCases {
            var times: [Double] = []
            for _ in 0..<repeats {
                let start = ContinuousClock.now
                let result = try await ReportQueries.run(name, from: today.adding(days: -364), to: today, granularity: .week, now: now, on: services.store.sql)
                _ = SVGChart.render(title: result.title, unit: result.unit, points: result.points, style: result.style)
                times.append((ContinuousClock.now - start).seconds * 1_000)
            }
            times.sort()
            log(String(format: "report %-20@ a year by week, with its SVG: p50 %7.1f ms, p95 %7.1f ms", name.rawValue as NSString,
                       times[times.count / 2], times[min(times.count - 1, times.count * 95 / 100)]))
        }
    }
}
