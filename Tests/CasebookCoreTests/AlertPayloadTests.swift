@testable import CasebookCore
import Foundation
import Testing

@Suite("Monitoring alert payloads and flap damping")
struct AlertPayloadTests {
    static let grouped = """
    {"version":"4","groupKey":"{}:{alertname=\\"DiskFull\\"}","truncatedAlerts":0,"status":"firing","receiver":"casebook",
     "groupLabels":{"alertname":"DiskFull"},"commonLabels":{"alertname":"DiskFull","severity":"critical"},
     "commonAnnotations":{},"externalURL":"http://am:9093",
     "alerts":[
      {"status":"firing","labels":{"alertname":"DiskFull","severity":"critical","instance":"db1:9100"},
       "annotations":{"summary":"Disk / is 97% full"},"startsAt":"2026-11-23T07:00:00.123456789Z","endsAt":"0001-01-01T00:00:00Z",
       "generatorURL":"http://prom/graph","fingerprint":"a1b2c3d4e5f60718"},
      {"status":"resolved","labels":{"alertname":"DiskFull","instance":"db2:9100"},
       "annotations":{},"startsAt":"2026-11-23T06:00:00Z","endsAt":"2026-11-23T06:30:00+01:00","fingerprint":"0f0e0d0c0b0a0908"}
     ]}
    """

    @Test("Alertmanager v4: grouped alerts with their status, labels, fingerprint and times")
    func alertmanager() throws {
        let signals = try AlertmanagerWebhook.parse(Data(Self.grouped.utf8))
        #expect(signals.count == 2)
        #expect(signals[0].status == .firing && signals[0].fingerprint == "a1b2c3d4e5f60718")
        #expect(signals[0].summary == "Disk / is 97% full" && signals[0].priority == .urgent)
        #expect(signals[0].assetKeys == ["db1:9100", "db1"])
        #expect(abs(signals[0].startsAt!.timeIntervalSince1970 - 1_795_417_200.123) < 0.001)
        #expect(signals[0].endsAt == nil)
        // Common labels fill in what an alert leaves out.
        #expect(signals[1].status == .resolved && signals[1].severity == "critical" && signals[1].summary == "DiskFull")
        #expect(signals[1].endsAt == ISO8601DateFormatter().date(from: "2026-11-23T05:30:00Z"))
    }

    @Test("bad Alertmanager payloads are refused with the field at fault", arguments: [
        ("[]", "not JSON"), (#"{"alerts":[]}"#, "version"), (#"{"version":"3","alerts":[{}]}"#, "version"),
        (#"{"version":"4"}"#, "alerts"), (#"{"version":"4","alerts":[]}"#, "alerts"),
        (#"{"version":"4","alerts":[{"status":"burning","labels":{"a":"b"}}]}"#, "alerts[0].status"),
        (#"{"version":"4","alerts":[{"status":"firing","labels":{}}]}"#, "alerts[0].labels"),
        (#"{"version":"4","alerts":[{"status":"firing","labels":{"a":1}}]}"#, "alerts[0].labels.a"),
        (#"{"version":"4","alerts":[{"status":"firing","labels":{"a":"b"},"startsAt":"yesterday"}]}"#, "alerts[0].startsAt"),
    ])
    func badAlertmanager(body: String, field: String) {
        do {
            _ = try AlertmanagerWebhook.parse(Data(body.utf8))
            Issue.record("accepted \(body)")
        } catch {
            #expect(error.description.contains(field) || (field == "not JSON" && error == .notJSON), "\(error)")
        }
    }

    @Test("generic webhook: one alert or a list, fingerprints derived from the labels when absent")
    func generic() throws {
        let one = try GenericAlertWebhook.parse(Data(#"{"title":"UPS on battery","source":"nut","status":"problem","asset":"SN-123","labels":{"site":"madrid"}}"#.utf8))
        #expect(one.count == 1 && one[0].status == .firing && one[0].labels["asset"] == "SN-123" && one[0].source == "nut")
        let again = try GenericAlertWebhook.parse(Data(#"{"title":"UPS on battery","source":"nut","status":"ok","labels":{"site":"madrid"},"asset":"SN-123"}"#.utf8))
        #expect(again[0].status == .resolved && again[0].fingerprint == one[0].fingerprint)
        let other = try GenericAlertWebhook.parse(Data(#"{"title":"UPS on battery","source":"nut","labels":{"site":"lisbon"}}"#.utf8))
        #expect(other[0].fingerprint != one[0].fingerprint)
        let list = try GenericAlertWebhook.parse(Data(#"{"alerts":[{"title":"a"},{"title":"b","fingerprint":"fixed","severity":"info"}]}"#.utf8))
        #expect(list.map(\.fingerprint).last == "fixed" && list[1].priority == .low)
        #expect(throws: AlertPayloadError.self) { try GenericAlertWebhook.parse(Data(#"{"status":"firing"}"#.utf8)) }
        #expect(throws: AlertPayloadError.self) { try GenericAlertWebhook.parse(Data(#"{"title":"x","status":"meh"}"#.utf8)) }
        #expect(throws: AlertPayloadError.self) { try GenericAlertWebhook.parse(Data(#"{"alerts":[]}"#.utf8)) }
        #expect(throws: AlertPayloadError.self) { try GenericAlertWebhook.parse(Data(#"{"alerts":[3]}"#.utf8)) }
    }

    @Test("flapping starts at the threshold of changes in the window and stops once they thin out")
    func flapping() {
        let damper = FlapDamper(window: 3_600, threshold: 4)
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        var state = FlapState()
        var changes: [FlapDamper.Change] = []
        for minute in [0, 5, 10, 15, 20] {
            let result = damper.recordChange(at: t0.addingTimeInterval(Double(minute) * 60), in: state)
            state = result.0
            changes.append(result.1)
        }
        #expect(changes == [.none, .none, .none, .started, .none])
        #expect(state.flapping)
        // Forty minutes on, the early changes have aged out but three remain: still flapping.
        #expect(damper.settle(state, at: t0.addingTimeInterval(62 * 60)).1 == .none)
        let (settled, change) = damper.settle(state, at: t0.addingTimeInterval(80 * 60))
        #expect(change == .stopped && !settled.flapping && settled.changes.isEmpty)
        // Changes spread wider than the window never flap.
        var slow = FlapState()
        for hour in 0..<10 { slow = damper.recordChange(at: t0.addingTimeInterval(Double(hour) * 1_900), in: slow).0 }
        #expect(!slow.flapping)
    }
}
