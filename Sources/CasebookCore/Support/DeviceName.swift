/// A browser's User-Agent as people recognise it: "Firefox on Windows", "Safari on iPhone".
public enum DeviceName {
    public static func describe(_ userAgent: String) -> String {
        let agent = userAgent.lowercased()
        let browser: String? = if agent.contains("edg/") { "Edge" } else if agent.contains("opr/") || agent.contains("opera") { "Opera" }
            else if agent.contains("firefox/") { "Firefox" } else if agent.contains("chromium/") { "Chromium" }
            else if agent.contains("headlesschrome/") { "Headless Chrome" } else if agent.contains("chrome/") { "Chrome" }
            else if agent.contains("safari/") { "Safari" } else if agent.hasPrefix("curl/") { "curl" }
            else if agent.contains("python") { "Python" } else { nil }
        let system: String? = if agent.contains("iphone") { "iPhone" } else if agent.contains("ipad") { "iPad" }
            else if agent.contains("android") { "Android" } else if agent.contains("windows") { "Windows" }
            else if agent.contains("mac os x") || agent.contains("macintosh") { "macOS" } else if agent.contains("cros") { "ChromeOS" }
            else if agent.contains("linux") { "Linux" } else { nil }
        switch (browser, system) {
        case let (browser?, system?): return "\(browser) on \(system)"
        case let (browser?, nil): return browser
        case let (nil, system?): return system
        case (nil, nil): return userAgent.isEmpty ? "Unknown" : String(userAgent.prefix(60))
        }
    }
}
