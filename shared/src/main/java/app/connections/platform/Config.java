package app.connections.platform;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The service's configuration, read once from the environment. Missing settings fail fast at
 * start-up with the variable's name, never later on a request path.
 *
 * @param tableName DynamoDB table holding every item type
 * @param eventBusName EventBridge bus the outbox delivers events to ({@code EVENT_BUS_NAME}; only the outbox
 *     function has it, empty elsewhere: no other function publishes)
 * @param kmsKeyId KMS key (id, ARN or alias) for connection secrets
 * @param secretNamePrefix every secret is named {@code <prefix>/<accountId>/<connectionId>}
 * @param builderOrigin exact origin of the visual builder
 * @param catalogFile a custom catalog file adding or replacing apps ({@code CATALOG_FILE}), if any
 * @param fingerprintKeyId KMS HMAC key for keyed fingerprints of keys ({@code FINGERPRINT_KEY_ID})
 * @param secretRecoveryDays recovery window of deleted secrets, 7 to 30 ({@code SECRET_RECOVERY_DAYS}, default 30)
 * @param oauthRedirectUri our registered OAuth redirect URI, {@code https://<api>/oauth/callback} ({@code OAUTH_REDIRECT_URI})
 * @param refreshLead the longest lead before expiry ({@code REFRESH_LEAD_MINUTES}, default 15); a token's
 *     own lead is at most half its lifetime (README, "Refresh policy")
 * @param refreshPeriod how often the scheduled refresher runs ({@code REFRESH_PERIOD_MINUTES}, the template's
 *     schedule rate, default 5)
 * @param refreshKeepAlive the longest a refresh token goes unused ({@code REFRESH_KEEPALIVE_HOURS}, default 24)
 * @param refreshMinInterval no connection is refreshed twice within this ({@code REFRESH_MIN_INTERVAL_SECONDS},
 *     default 10)
 * @param refreshWriteBudget secret writes per second all refreshes may spend ({@code REFRESH_WRITE_BUDGET_PER_SECOND}, default 40)
 * @param refreshParallelism concurrent refreshes in one run ({@code REFRESH_PARALLELISM}, default 32)
 * @param reservationTtl how long an unsettled spend reservation holds ({@code SPEND_RESERVATION_TTL_SECONDS}, default 900)
 * @param providerTimeout how long one provider call may take, body and redirects included ({@code PROVIDER_TIMEOUT_MS}, default 10000)
 * @param outboundAllowLoopback lets provider calls reach loopback over http; only the local stack
 *     sets it ({@code OUTBOUND_ALLOW_LOOPBACK=true})
 * @param credentialCacheTtl how long the resolver keeps a credential it read, per connection record
 *     version ({@code CREDENTIAL_CACHE_SECONDS}, default 60; 0 turns the cache off)
 * @param vaultMode where new credentials are stored ({@code VAULT_MODE}: {@code SecretsManager}, the
 *     default, or {@code DynamoDB}; docs/scale.md)
 * @param observability log level, service name, debug sampling and metrics namespace ({@code LOG_LEVEL},
 *     {@code SERVICE_NAME}, {@code LOG_DEBUG_SAMPLE_RATE}, {@code METRICS_NAMESPACE})
 * @param revocationBudget provider time one invocation's revocations may spend, under the function's timeout
 *     ({@code REVOCATION_BUDGET_SECONDS}, default 12); work left when it is spent stays recorded and due
 */
public record Config(String tableName, String eventBusName, String kmsKeyId, String secretNamePrefix,
                     String builderOrigin, Optional<Path> catalogFile, String fingerprintKeyId,
                     int secretRecoveryDays, java.net.URI oauthRedirectUri, java.time.Duration refreshLead,
                     java.time.Duration refreshPeriod, java.time.Duration refreshKeepAlive, java.time.Duration refreshMinInterval,
                     double refreshWriteBudget, int refreshParallelism, java.time.Duration reservationTtl, java.time.Duration providerTimeout,
                     boolean outboundAllowLoopback, java.time.Duration credentialCacheTtl, String vaultMode,
                     Observability observability, java.time.Duration revocationBudget) {

    public Config {
        Objects.requireNonNull(tableName, "tableName");
        Objects.requireNonNull(eventBusName, "eventBusName");
        Objects.requireNonNull(kmsKeyId, "kmsKeyId");
        Objects.requireNonNull(secretNamePrefix, "secretNamePrefix");
        Objects.requireNonNull(builderOrigin, "builderOrigin");
        Objects.requireNonNull(catalogFile, "catalogFile");
        Objects.requireNonNull(fingerprintKeyId, "fingerprintKeyId");
        Objects.requireNonNull(oauthRedirectUri, "oauthRedirectUri");
        Objects.requireNonNull(observability, "observability");
        if (!oauthRedirectUri.isAbsolute() || !oauthRedirectUri.getPath().endsWith("/oauth/callback")) {
            throw new IllegalStateException("OAUTH_REDIRECT_URI must be an absolute URL ending in /oauth/callback");
        }
        if (credentialCacheTtl.isNegative() || credentialCacheTtl.compareTo(java.time.Duration.ofMinutes(5)) > 0) {
            throw new IllegalStateException("CREDENTIAL_CACHE_SECONDS must be 0 to 300");
        }
        if (refreshMinInterval.isNegative() || refreshMinInterval.compareTo(refreshPeriod) >= 0) {
            throw new IllegalStateException("REFRESH_MIN_INTERVAL_SECONDS must be 0 or more and under the refresh period");
        }
        if (!java.util.List.of("SecretsManager", "DynamoDB").contains(vaultMode)) {
            throw new IllegalStateException("VAULT_MODE must be SecretsManager or DynamoDB");
        }
        if (secretRecoveryDays < 7 || secretRecoveryDays > 30) {
            throw new IllegalStateException("SECRET_RECOVERY_DAYS must be 7 to 30");
        }
    }

    public static Config fromEnvironment() {
        return from(Environment.current());
    }

    public static Config from(Map<String, String> env) {
        return new Config(
                required(env, "TABLE_NAME"),
                env.getOrDefault("EVENT_BUS_NAME", ""),
                required(env, "KMS_KEY_ID"),
                required(env, "SECRET_NAME_PREFIX"),
                required(env, "BUILDER_ORIGIN"),
                Optional.ofNullable(env.get("CATALOG_FILE")).filter(v -> !v.isBlank()).map(Path::of),
                required(env, "FINGERPRINT_KEY_ID"),
                Integer.parseInt(env.getOrDefault("SECRET_RECOVERY_DAYS", "30")),
                java.net.URI.create(required(env, "OAUTH_REDIRECT_URI")),
                java.time.Duration.ofMinutes(Long.parseLong(env.getOrDefault("REFRESH_LEAD_MINUTES", "15"))),
                java.time.Duration.ofMinutes(Long.parseLong(env.getOrDefault("REFRESH_PERIOD_MINUTES", "5"))),
                java.time.Duration.ofHours(Long.parseLong(env.getOrDefault("REFRESH_KEEPALIVE_HOURS", "24"))),
                java.time.Duration.ofSeconds(Long.parseLong(env.getOrDefault("REFRESH_MIN_INTERVAL_SECONDS", "10"))),
                Double.parseDouble(env.getOrDefault("REFRESH_WRITE_BUDGET_PER_SECOND", "40")),
                Integer.parseInt(env.getOrDefault("REFRESH_PARALLELISM", "32")),
                java.time.Duration.ofSeconds(Long.parseLong(env.getOrDefault("SPEND_RESERVATION_TTL_SECONDS", "900"))),
                java.time.Duration.ofMillis(Long.parseLong(env.getOrDefault("PROVIDER_TIMEOUT_MS", "10000"))),
                Boolean.parseBoolean(env.getOrDefault("OUTBOUND_ALLOW_LOOPBACK", "false")),
                java.time.Duration.ofSeconds(Long.parseLong(env.getOrDefault("CREDENTIAL_CACHE_SECONDS", "60"))),
                env.getOrDefault("VAULT_MODE", "SecretsManager"),
                Observability.from(env),
                java.time.Duration.ofSeconds(Long.parseLong(env.getOrDefault("REVOCATION_BUDGET_SECONDS", "12"))));
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is required");
        }
        return value;
    }
}
