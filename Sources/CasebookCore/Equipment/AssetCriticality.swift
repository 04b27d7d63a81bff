/// How much an asset matters to its owner; it sets how often it is maintained unless a schedule says otherwise.
public enum AssetCriticality: String, Sendable, Codable, CaseIterable {
    case missionCritical = "mission_critical"
    case high, normal, low

    /// Mission-critical daily, high weekly, normal monthly, low quarterly.
    public var defaultInterval: MaintenanceInterval {
        switch self {
        case .missionCritical: MaintenanceInterval(count: 1, unit: .day)
        case .high: MaintenanceInterval(count: 1, unit: .week)
        case .normal: MaintenanceInterval(count: 1, unit: .month)
        case .low: MaintenanceInterval(count: 3, unit: .month)
        }
    }
}
