/// The words of the demo data: realistic support conversations in a few shapes.
enum DemoText {
    struct Story {
        let subject: String
        let description: String
        let note: String
        let reply: String
        let followUp: String
    }

    static let agents = [
        ("lena@casebook.example", "Lena Ortiz"), ("tom@casebook.example", "Tom Becker"), ("priya@casebook.example", "Priya Natarajan"),
        ("sam@casebook.example", "Sam Okafor"), ("jun@casebook.example", "Jun Watanabe"), ("eva@casebook.example", "Eva Lindqvist"),
    ]
    /// The agents who write more than English well; the rest write their profile's language only.
    static let writes = ["eva@casebook.example": ["en", "es"], "tom@casebook.example": ["en", "de"]]
    static let groups = [("Service Desk", 1), ("Field Engineering", 2), ("Product Engineering", 3)]
    static let products = [
        ("Atlas Controller", ["4.2.0", "4.2.1", "4.3.0", "5.0.0"]),
        ("Beacon Gateway", ["2.8", "2.9", "3.0"]),
        ("Cirrus Portal", ["2025.10", "2026.02", "2026.06"]),
    ]
    static let categories = ["Installation", "Connectivity", "Performance", "Licensing", "Hardware fault", "How-to question"]
    static let organisations: [(String, String, [String])] = [
        ("Northwind Logistics", "northwind.example", ["Olivia Grant", "Marcus Lee", "Hannah Weiss"]),
        ("Contoso Health", "contoso-health.example", ["Dr Amir Haddad", "Julia Novak"]),
        ("Fabrikam Manufacturing", "fabrikam.example", ["Peter Stone", "Chen Wei", "Laura Diaz", "Ivan Petrov"]),
        ("Tailspin Airports", "tailspin.example", ["Grace Kim", "Owen Murphy"]),
        ("Hospital Central de Sevilla", "hcsevilla.es", ["Lucía Romero", "Javier Morales"]),
    ]
    static let stories = [
        Story(subject: "Controller reboots every night at 02:00",
              description: "Since the upgrade our Atlas controller restarts every night around 2 am. Steps: leave it running overnight, check the uptime in the morning. We already tried power-cycling and reseating the network cable.",
              note: "Crash dump shows the watchdog firing during the nightly log rotation. Looks like the known rotation bug.",
              reply: "Thank you for the details. The restart comes from the log rotation job; as a workaround please move the rotation to 04:00 in Settings > Maintenance while we prepare the fix.",
              followUp: "Moved the rotation and it survived the night. Thanks!"),
        Story(subject: "Gateway drops VPN tunnel under load",
              description: "The Beacon gateway loses the site-to-site VPN tunnel whenever traffic goes above roughly 400 Mbit/s. It recovers after a minute. We tried disabling compression, no change.",
              note: "Reproduced in the lab with 450 Mbit/s iperf. Escalating to engineering with the pcap.",
              reply: "We reproduced the drop in our lab and engineering is working on it. Could you send the output of 'diag vpn status' taken during a drop?",
              followUp: "Attached the output from this morning's drop. This is really hurting our warehouse scanners."),
        Story(subject: "Cannot log in to the portal after password reset",
              description: "After resetting my password the portal keeps saying 'session expired' straight after login. Cleared cookies and tried another browser.",
              note: "Session cookie domain mismatch after the SSO change; fix in 2026.06.",
              reply: "Sorry for the trouble. Please use the direct link https://portal.example/login until the update next week; it avoids the faulty redirect.",
              followUp: "The direct link works. Please let me know when the update is out."),
        Story(subject: "Licence shows as expired although renewed",
              description: "Our licence was renewed last week but the controller still shows 'expired' and blocks new devices. Invoice number INV-20931.",
              note: "Renewal went through; the licence file was not regenerated. Sent to licensing team.",
              reply: "Your renewal is confirmed. A new licence file is attached; please upload it under Settings > Licence.",
              followUp: "Uploaded the file, all devices are back. Thank you for the quick help."),
        Story(subject: "Slow dashboard when more than 500 devices are listed",
              description: "The dashboard takes over 20 seconds to load since we passed 500 devices. Browser is Chrome 131. We tried the compact view with no improvement.",
              note: "Known N+1 query on the device list; engineering ticket exists.",
              reply: "This slowness is a known issue with large device lists. A fix is planned for the next release; meanwhile filtering by site keeps the page fast.",
              followUp: "Still slow even with filters, this is the third time I report this."),
        Story(subject: "How do I export the audit log?",
              description: "Our auditors need the audit log for the last quarter as CSV. Where can I find that?",
              note: "Standard how-to; pointed to the export article.",
              reply: "You can export it under Reports > Audit log > Export CSV, choosing the date range. Let us know if anything is missing.",
              followUp: "Found it, thanks."),
        Story(subject: "Fan noise and overheating alarm on rack unit",
              description: "The rack unit in room B2 shows an overheating alarm and the fan is very loud. Ambient temperature is normal.",
              note: "Likely failed fan module; ordering a spare part (FAN-220).",
              reply: "We have ordered a replacement fan module and a technician will fit it as soon as it arrives, expected within three working days.",
              followUp: "The alarm is back again today, please hurry."),
    ]
}
