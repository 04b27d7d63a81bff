import Prometheus

/// The write gate's figures on `/metrics`: writes per transaction, how long a write waited for SQLite's single writer,
/// how long each transaction held it (commit included), and how long its log sync took after it.
///
/// Held time over wall time is how busy the writer is: near 100% the writer is the limit and more cores will not
/// help; well below it, requests spend their time elsewhere (reading, HTTP, JSON) and more clients would be served.
struct WriteGateMetrics: Sendable {
    let batchSize: ValueHistogram
    let queueWait: DurationHistogram
    let held: DurationHistogram
    let sync: DurationHistogram

    static let durationBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
    ]

    init(registry: PrometheusCollectorRegistry) {
        batchSize = registry.makeValueHistogram(
            descriptor: .init(namespace: "casebook", metricName: "write_batch_size", unitName: "writes",
                              helpText: "Writes committed together in one SQLite transaction"),
            buckets: [1, 2, 4, 8, 16, 32, 64])
        queueWait = registry.makeDurationHistogram(
            descriptor: .init(namespace: "casebook", metricName: "write_queue_wait", unitName: "seconds",
                              helpText: "Time a write waited for SQLite's single writer"),
            buckets: Self.durationBuckets)
        held = registry.makeDurationHistogram(
            descriptor: .init(namespace: "casebook", metricName: "write_transaction", unitName: "seconds",
                              helpText: "Time a write transaction held SQLite's single writer, commit included"),
            buckets: Self.durationBuckets)
        sync = registry.makeDurationHistogram(
            descriptor: .init(namespace: "casebook", metricName: "write_sync", unitName: "seconds",
                              helpText: "Time from a commit to its log being on disk, off the writer; writes are answered after it"),
            buckets: Self.durationBuckets)
    }
}
