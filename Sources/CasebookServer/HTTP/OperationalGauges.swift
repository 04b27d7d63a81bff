import Foundation
import Prometheus
import SQLKit

/// The gauges `/metrics` reads from the database when it is scraped: cases stored, the durable job queue by status and
/// its backlog (queued jobs whose time has come), and on SQLite the search entries waiting for the full-text index.
enum OperationalGauges {
    static func refresh(_ registry: PrometheusCollectorRegistry, store: Store, now: Date) async throws {
        let sql = store.sql
        func gauge(_ name: String, _ help: String, labels: [(String, String)] = []) -> Gauge {
            registry.makeGauge(descriptor: .init(namespace: "casebook", metricName: name, unitName: "", helpText: help), labels: labels)
        }
        gauge("cases", "Cases stored").set(Double(try await CaseRepository.count(on: sql)))
        var jobs = Dictionary(uniqueKeysWithValues: JobStatus.allCases.map { ($0.rawValue, 0) })
        jobs.merge(try await OperationalGaugeRepository.jobsByStatus(on: sql)) { $1 }
        for (status, number) in jobs {
            gauge("jobs", "Jobs in the durable queue, by status", labels: [("status", status)]).set(Double(number))
        }
        let due = try await OperationalGaugeRepository.jobsDue(at: now, on: sql)
        gauge("jobs_due", "Queued jobs whose time has come: the backlog the job runner has yet to start").set(Double(due))
        if store.gate.isEnabled {
            gauge("search_pending", "Search entries waiting to be moved into the full-text index (SQLite)")
                .set(Double(try await OperationalGaugeRepository.searchPending(on: sql)))
        }
    }
}
