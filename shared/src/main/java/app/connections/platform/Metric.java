package app.connections.platform;

import java.util.List;

/**
 * The service's metrics: a small, named set (CloudWatch namespace {@code METRICS_NAMESPACE}), each
 * with its unit and the dimensions it is broken down by — low-cardinality only (an app, an outcome,
 * a route; never an id). Every data point is also counted without those dimensions (only
 * {@code Service}), which is what the template's alarms read.
 */
public enum Metric {
    /** Refreshes that reached a result, by outcome class ({@code refreshed}, {@code invalid_grant}, {@code transient}, …). */
    REFRESHES("Refreshes", Unit.COUNT, List.of("app", "outcome")),
    /** The failed ones of {@link #REFRESHES} (the failure ratio's numerator). */
    REFRESH_FAILURES("RefreshFailures", Unit.COUNT, List.of("app", "outcome")),
    /** How long a provider's token endpoint took to answer a refresh. */
    TOKEN_ENDPOINT_LATENCY("TokenEndpointLatency", Unit.MILLISECONDS, List.of("app")),
    /** Resolves by outcome ({@code ok}, {@code waiting:…}, {@code denied:…}, {@code failed:…}). */
    RESOLVES("Resolves", Unit.COUNT, List.of("outcome")),
    /** Connections that went to ERROR and asked their workspace to reauthorize. */
    REAUTHORIZATIONS_REQUIRED("ReauthorizationsRequired", Unit.COUNT, List.of("app")),
    /** A token endpoint refused our OAuth app's own credentials ({@code invalid_client}). */
    INVALID_CLIENT("InvalidClient", Unit.COUNT, List.of("app")),
    /** Provider revocations due for a retry when the refresher ran. */
    PENDING_REVOCATIONS("PendingRevocations", Unit.COUNT, List.of()),
    /** The oldest of those: at least this long since the connection was revoked. */
    PENDING_REVOCATION_AGE("PendingRevocationAge", Unit.SECONDS, List.of()),
    /** Spend reservations of granted connections, by outcome ({@code reserved}, {@code cap_reached}, {@code estimate_exceeds_cap}, {@code released}: given back by a resolve that gave no credential). */
    SPEND_RESERVATIONS("SpendReservations", Unit.COUNT, List.of("outcome")),
    /** Resolves answered {@code denied/credential_unreadable}: the vault refused the credential for good (key disabled, ciphertext not the connection's). */
    CREDENTIAL_UNREADABLE("CredentialUnreadable", Unit.COUNT, List.of("app")),
    /** Resolves refused because the grant's monthly cap was reached. */
    SPEND_CAP_REACHED("SpendCapReached", Unit.COUNT, List.of("app")),
    /** API answers 400–499, by route. */
    API_CLIENT_ERRORS("ApiClientErrors", Unit.COUNT, List.of("route")),
    /** API answers 500–599, by route. */
    API_SERVER_ERRORS("ApiServerErrors", Unit.COUNT, List.of("route")),
    /** AWS requests that failed throttled after the SDK's retries, by service. */
    AWS_THROTTLES("AwsThrottles", Unit.COUNT, List.of("service")),
    /** How long after its write an outbox event was handed to the bus (the oldest of a stream batch). */
    OUTBOX_LAG("OutboxLag", Unit.SECONDS, List.of()),
    /** Outbox events the bus did not take in one delivery (retried by the stream). */
    OUTBOX_DELIVERY_FAILURES("OutboxDeliveryFailures", Unit.COUNT, List.of()),
    /** Pending provider revocations given up after their last attempt. */
    REVOCATIONS_GIVEN_UP("RevocationsGivenUp", Unit.COUNT, List.of());

    /** The units the service uses (CloudWatch's names). */
    public enum Unit { COUNT, MILLISECONDS, SECONDS }

    private final String metricName;
    private final Unit unit;
    private final List<String> dimensions;

    Metric(String metricName, Unit unit, List<String> dimensions) {
        this.metricName = metricName;
        this.unit = unit;
        this.dimensions = dimensions;
    }

    /** The CloudWatch metric name. */
    public String metricName() {
        return metricName;
    }

    public Unit unit() {
        return unit;
    }

    /** The dimension names it is broken down by (besides {@code Service}). */
    public List<String> dimensions() {
        return dimensions;
    }
}
