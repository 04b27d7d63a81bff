/// Where a problem record is: being investigated, understood with a workaround, fixed in a released version, or closed.
public enum ProblemStatus: String, Sendable, Codable, CaseIterable {
    case investigating
    case knownError = "known_error"
    case fixReleased = "fix_released"
    case closed
}

/// What a customer linked to a problem chose: the workaround now, or waiting for the permanent fix.
public enum ProblemChoice: String, Sendable, Codable, CaseIterable {
    case workaround
    case waitForFix = "wait_for_fix"
}
