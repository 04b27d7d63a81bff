import CasebookCore
import Foundation
import Testing

@Suite("Where webhooks may point")
struct WebhookTargetTests {
    @Test("addresses are classified by where they lead, IPv4-mapped and NAT64 forms included")
    func scopes() {
        let expected: [(String, AddressScope?)] = [
            ("8.8.8.8", .global), ("127.0.0.1", .loopback), ("127.255.0.9", .loopback), ("10.0.0.1", .privateNetwork),
            ("172.16.0.1", .privateNetwork), ("172.31.255.255", .privateNetwork), ("172.32.0.1", .global), ("192.168.1.1", .privateNetwork),
            ("100.64.0.1", .privateNetwork), ("169.254.169.254", .linkLocal), ("0.0.0.0", .reserved), ("224.0.0.1", .reserved),
            ("255.255.255.255", .reserved), ("198.18.0.1", .reserved), ("192.0.2.10", .reserved),
            ("::1", .loopback), ("::", .reserved), ("[::1]", .loopback), ("fe80::1%eth0", .linkLocal), ("fd00::5", .privateNetwork),
            ("::ffff:127.0.0.1", .loopback), ("::ffff:7f00:1", .loopback), ("64:ff9b::a9fe:a9fe", .linkLocal), ("2001:db8::1", .reserved),
            ("2606:4700:4700::1111", .global), ("ff02::1", .reserved),
            ("example.com", nil), ("1.2.3", nil), ("1.2.3.256", nil), ("::1::2", nil), ("12345::", nil), ("1:2:3:4:5:6:7:8:9", nil),
        ]
        for (text, scope) in expected {
            #expect(NetworkAddress.scope(of: text) == scope, "\(text)")
        }
        #expect(NetworkAddress.ipv6("1:2:3:4:5:6:1.2.3.4") == [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4])
    }

    @Test("only http(s) URLs with a host and no credentials; private hosts need leave")
    func targets() throws {
        let target = try WebhookTarget("https://Hooks.Example.com/in?x=1", allowPrivate: false)
        #expect(target.host == "hooks.example.com" && target.port == 443 && target.isSecure)
        #expect(try WebhookTarget("http://example.com:8080/x", allowPrivate: false).port == 8080)
        for bad in ["", "ftp://example.com", "https://", "https://u:p@example.com/", "https://example.com/#top", "http://localhost/x",
                    "http://localhost./x", "http://db.internal/x", "http://printer.local/x", "http://10.0.0.1/x", "http://[::1]:8080/x",
                    "http://169.254.169.254/latest/meta-data", String(repeating: "a", count: 2100)] {
            #expect(throws: DomainError.self, "\(bad.prefix(40))") { try WebhookTarget(bad, allowPrivate: false) }
        }
        #expect(try WebhookTarget("http://127.0.0.1:9000/x", allowPrivate: true).port == 9000)
    }

    @Test("chat bodies escape Slack's control characters and carry the link")
    func chatBodies() throws {
        let notice = ChatNotice(headline: "New case CB-1: <b> & co", details: [("Status", "Open")], link: URL(string: "https://help.example.com/desk/cases/CB-1"),
                                linkLabel: "Open", isUrgent: true)
        let slack = try #require(try JSONSerialization.jsonObject(with: notice.body(for: .slack)) as? [String: Any])
        #expect(slack["text"] as? String == "New case CB-1: &lt;b&gt; &amp; co")
        let teams = String(decoding: notice.body(for: .teams), as: UTF8.self)
        #expect(teams.contains("https://help.example.com/desk/cases/CB-1") && teams.contains("Attention"))
        #expect(notice.body(for: .mattermost) == notice.body(for: .mattermost), "the same notice gives the same bytes")
    }
}

@Suite("Provider addresses")
struct ProviderURLTests {
    @Test("https anywhere, http only on this machine, never the metadata service, another scheme or credentials")
    func rules() {
        for good in ["https://login.microsoftonline.com/t/v2.0", "https://10.0.0.5/realms/staff", "http://127.0.0.1:8080", "http://localhost:9000/x",
                     "http://[::1]:8080"] {
            #expect(ProviderURL.isAcceptable(good), "\(good)")
        }
        for bad in ["http://login.example.com", "http://10.0.0.5", "https://169.254.169.254/latest/meta-data", "http://169.254.169.254",
                    "https://[fe80::1]/", "file:///etc/passwd", "gopher://127.0.0.1", "https://user:pw@login.example.com", "https://0.0.0.0/", "not a url"] {
            #expect(!ProviderURL.isAcceptable(bad), "\(bad)")
        }
    }
}
