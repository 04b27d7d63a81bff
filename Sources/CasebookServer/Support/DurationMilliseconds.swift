extension Duration {
    /// Whole milliseconds, rounded down: how logs and timing fields state a duration.
    var wholeMilliseconds: Int64 {
        components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000
    }
}
