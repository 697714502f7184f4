package app.connections.connection.aws;

import static app.connections.platform.aws.Items.n;
import static app.connections.platform.aws.Items.num;
import static app.connections.platform.aws.Items.optStr;
import static app.connections.platform.aws.Items.s;
import static app.connections.platform.aws.Items.str;

import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.catalog.CredentialKind;
import app.connections.connection.Labels;
import app.connections.connection.RefreshTiming;
import app.connections.connection.Scope;
import app.connections.vault.SecretRef;
import app.connections.connection.TokenSchedule;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The connection item (docs/data-model.md): {@code pk = CONNECTION#<id>}, {@code sk = CONNECTION}.
 * While the picker offers it, it also carries the sparse {@code picker} index keys:
 * {@code pickerPk = WS#<accountId>#<workspaceId>} (or {@code ACCT#<accountId>} for account scope: workspace
 * ids are chosen per account, so they are never used without their account) and
 * {@code pickerSk = <app>#<label sort key>#<id>}.
 */
public final class ConnectionItems {
    static final String SK = "CONNECTION";

    private ConnectionItems() {
    }

    public static Map<String, AttributeValue> key(String connectionId) {
        return Map.of("pk", s(pk(connectionId)), "sk", s(SK));
    }

    public static String pk(String connectionId) {
        return "CONNECTION#" + connectionId;
    }

    public static Map<String, AttributeValue> toItem(Connection c) {
        Map<String, AttributeValue> item = new HashMap<>(key(c.id()));
        item.put("type", s("connection"));
        item.put("id", s(c.id()));
        item.put("accountId", s(c.accountId()));
        c.workspaceId().ifPresent(ws -> item.put("workspaceId", s(ws)));
        item.put("scope", s(c.scope().name()));
        item.put("app", s(c.app()));
        item.put("label", s(c.label()));
        item.put("credentialKind", s(c.credentialKind().name()));
        item.put("status", s(c.status().name()));
        if (!c.fields().isEmpty()) {
            item.put("fields", AttributeValue.fromM(c.fields().entrySet().stream()
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> s(e.getValue())))));
        }
        c.secretRef().ifPresent(ref -> item.put("secretRef", s(ref.id())));
        c.externalIdentity().ifPresent(identity -> item.put("externalIdentity", s(identity)));
        c.externalAccount().ifPresent(account -> item.put("externalAccount", s(account)));
        c.secretFingerprint().ifPresent(fp -> item.put("secretFingerprint", s(fp)));
        c.tokenSchedule().ifPresent(t -> {
            t.expiresAt().ifPresent(at -> item.put("tokenExpiresAt", s(at.toString())));
            item.put("tokenIssuedAt", s(t.issuedAt().toString()));
            t.dueAt().ifPresent(at -> item.put("tokenDueAt", s(at.toString())));
            item.put("tokenSweepAt", s(t.sweepAt().toString()));
            item.put("refreshable", AttributeValue.fromBool(t.refreshable()));
            t.refreshedAt().ifPresent(at -> item.put("refreshedAt", s(at.toString())));
            item.put("refreshFailures", n(t.failedAttempts()));
            t.retryAt().ifPresent(at -> item.put("retryAt", s(at.toString())));
        });
        c.statusReason().ifPresent(r -> item.put("statusReason", s(r)));
        item.put("statusSince", s(c.statusSince().toString()));
        item.put("createdBy", s(c.createdBy()));
        c.authorizedBy().ifPresent(by -> item.put("authorizedBy", s(by)));
        item.put("createdAt", s(c.createdAt().toString()));
        item.put("updatedAt", s(c.updatedAt().toString()));
        item.put("version", n(c.version()));
        if (c.status() == ConnectionStatus.PENDING) {
            // clean-up only (a day after the flow could have ended); nothing depends on TTL running
            item.put("ttl", n(c.createdAt().getEpochSecond() + 86_400));
        }
        if (c.status().offeredByPicker()) {
            item.put("pickerPk", s(pickerPartition(c)));
            item.put("pickerSk", s(c.app() + "#" + Labels.sortKey(c.label()) + "#" + c.id()));
        }
        if (c.status() == ConnectionStatus.ACTIVE && c.tokenSchedule().map(TokenSchedule::refreshable).orElse(false)) {
            TokenSchedule t = c.tokenSchedule().orElseThrow();
            item.put("duePk", s(duePartition(c.id())));
            item.put("dueSk", s(sortable(t.nextSweep()) + "#" + c.id()));
        }
        if (c.status() == ConnectionStatus.ERROR) {
            item.put("attentionPk", s(pickerPartition(c)));
            item.put("attentionSk", s(sortable(c.statusSince()) + "#" + c.id()));
        }
        if (c.credentialKind() == CredentialKind.OAUTH2 && c.authorizedBy().isPresent() && c.workspaceId().isPresent()
                && c.status() != ConnectionStatus.PENDING) {
            item.put("authorizerPk", s(pickerPartition(c) + "#USER#" + c.authorizedBy().get()));
            item.put("authorizerSk", s(sortable(c.createdAt()) + "#" + c.id()));
        }
        return item;
    }

    static String pickerPartition(Connection c) {
        return c.workspaceId().map(ws -> workspacePartition(c.accountId(), ws)).orElse("ACCT#" + c.accountId());
    }

    /** The refresher's shards: fixed, since every due item is written under one of them. */
    static final int DUE_SHARDS = 16;

    static String duePartition(String connectionId) {
        return "DUE#" + Math.floorMod(connectionId.hashCode(), DUE_SHARDS);
    }

    /** A time as a fixed-width string that sorts like the time (ISO-8601 strings do not: fractions vary). */
    static String sortable(Instant time) {
        return String.format("%015d", time.toEpochMilli());
    }

    public static String workspacePartition(String accountId, String workspaceId) {
        return "WS#" + accountId + "#" + workspaceId;
    }

    private static Optional<TokenSchedule> tokenSchedule(Map<String, AttributeValue> item) {
        if (!item.containsKey("tokenIssuedAt") && !item.containsKey("tokenExpiresAt")) {
            return Optional.empty();
        }
        Optional<Instant> expiresAt = optStr(item, "tokenExpiresAt").map(Instant::parse);
        boolean refreshable = Boolean.TRUE.equals(item.get("refreshable").bool());
        Optional<Instant> refreshedAt = optStr(item, "refreshedAt").map(Instant::parse);
        Instant issuedAt = optStr(item, "tokenIssuedAt").map(Instant::parse)
                .orElse(refreshedAt.orElse(Instant.parse(str(item, "createdAt"))));
        TokenSchedule timed = optStr(item, "tokenSweepAt").isPresent()
                ? new TokenSchedule(expiresAt, issuedAt, refreshable, refreshedAt, 0, Optional.empty(),
                        optStr(item, "tokenDueAt").map(Instant::parse), Instant.parse(str(item, "tokenSweepAt")))
                // written before the schedule was stored: timed as the template's defaults would
                : RefreshTiming.DEFAULT.granted(expiresAt, refreshable, issuedAt);
        return Optional.of(new TokenSchedule(timed.expiresAt(), issuedAt, refreshable, refreshedAt,
                item.containsKey("refreshFailures") ? (int) num(item, "refreshFailures") : 0,
                optStr(item, "retryAt").map(Instant::parse), timed.dueAt(), timed.sweepAt()));
    }

    private static Map<String, String> fields(Map<String, AttributeValue> item) {
        AttributeValue value = item.get("fields");
        if (value == null || !value.hasM()) {
            return Map.of();
        }
        Map<String, String> fields = new HashMap<>();
        value.m().forEach((k, v) -> fields.put(k, v.s()));
        return fields;
    }

    public static Connection fromItem(Map<String, AttributeValue> item) {
        return new Connection(
                str(item, "id"),
                str(item, "accountId"),
                optStr(item, "workspaceId"),
                Scope.valueOf(str(item, "scope")),
                str(item, "app"),
                str(item, "label"),
                CredentialKind.valueOf(str(item, "credentialKind")),
                ConnectionStatus.valueOf(str(item, "status")),
                fields(item),
                optStr(item, "secretRef").map(SecretRef::new),
                optStr(item, "externalIdentity"),
                optStr(item, "externalAccount"),
                optStr(item, "secretFingerprint"),
                tokenSchedule(item),
                optStr(item, "statusReason"),
                optStr(item, "statusSince").map(Instant::parse).orElse(Instant.parse(str(item, "updatedAt"))),
                str(item, "createdBy"),
                optStr(item, "authorizedBy"),
                Instant.parse(str(item, "createdAt")),
                Instant.parse(str(item, "updatedAt")),
                num(item, "version"));
    }
}
