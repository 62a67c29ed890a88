import Metrics
import NIOConcurrencyHelpers
import Prometheus
import Vapor

/// One Prometheus registry per process. swift-metrics can be bootstrapped only once, and
/// tests start many applications, so the bootstrap is guarded.
public enum HakenMetrics {
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = NIOLockedValueBox(false)

    public static func bootstrapOnce() {
        bootstrapped.withLockedValue { done in
            guard !done else { return }
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            done = true
        }
    }

    /// `GET /metrics`: Prometheus text format. Vapor records `http_requests_total` and
    /// `http_request_duration_seconds` through swift-metrics; HakenDesk adds its own.
    static func render(_ request: Request) -> Response {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return Response(status: .ok, headers: headers, body: .init(data: Data(buffer)))
    }
}
