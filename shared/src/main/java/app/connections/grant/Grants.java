package app.connections.grant;

import app.connections.ids.WorkspaceId;
import app.connections.auth.BuilderUser;
import app.connections.catalog.AppCatalog;
import app.connections.connection.Connection;
import app.connections.connection.Visibility;
import app.connections.connection.ConnectionStatus;
import app.connections.connection.ConnectionStore;
import app.connections.connection.Scope;
import app.connections.events.ConnectionEvent;
import app.connections.platform.InvalidState;
import app.connections.platform.NotVisible;
import app.connections.workspace.Workspace;
import app.connections.workspace.WorkspaceAccess;
import app.connections.workspace.WorkspaceRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Account-scoped connections reach workspaces only through grants; a grant can cap the workspace's
 * spend per UTC calendar month. The runtime meters in two steps — reserve an estimate before the
 * call, settle the actual cost after — so concurrent runs cannot overspend.
 */
public final class Grants {
    public static final String CAP_REACHED = "Grant Spend Cap Reached";

    private final ConnectionStore connections;
    private final GrantStore grants;
    private final SpendLedger ledger;
    private final WorkspaceRegistry workspaces;
    private final AppCatalog catalog;
    private final Clock clock;
    private final Duration reservationTtl;

    public Grants(ConnectionStore connections, GrantStore grants, SpendLedger ledger, WorkspaceRegistry workspaces,
                  AppCatalog catalog, Clock clock, Duration reservationTtl) {
        this.connections = connections;
        this.grants = grants;
        this.ledger = ledger;
        this.workspaces = workspaces;
        this.catalog = catalog;
        this.clock = clock;
        this.reservationTtl = reservationTtl;
    }

    /** A grant as the account admin sees it. Amounts in US dollars. */
    public record GrantView(String workspaceId, java.math.BigDecimal monthlySpendCapUsd, java.math.BigDecimal monthToDateSpendUsd,
                            java.math.BigDecimal remainingUsd, String month) {
    }

    /** The outcome of granting: a new grant, or the cap of an existing one changed. */
    public record Granted(GrantView grant, boolean created) {
    }

    public Granted grant(BuilderUser caller, String accountId, String connectionId, String workspaceId, Optional<Long> capMicros) {
        Connection c = accountConnection(caller, accountId, connectionId);
        WorkspaceId.require("workspaceId", workspaceId);
        workspaces.find(accountId, workspaceId).orElseThrow(() -> new NotVisible("workspace"));
        if (c.status() == ConnectionStatus.REVOKED) {
            throw new InvalidState("connection_revoked", "a revoked connection cannot be granted");
        }
        Instant now = clock.instant();
        // the copy is written only over the connection version it copies: a revoke (or any change) meanwhile
        // makes the put fail, and it is decided again on the connection as it now is
        boolean created = app.connections.connection.VersionedWrites.retryOnStale(attempt -> {
            Connection current = attempt == 0 ? c : connections.find(c.id()).orElseThrow(() -> new NotVisible("connection"));
            if (current.status() == ConnectionStatus.REVOKED) {
                throw new InvalidState("connection_revoked", "a revoked connection cannot be granted");
            }
            return grants.put(new Grant(current.id(), accountId, workspaceId, capMicros, now, now), current);
        });
        return new Granted(view(grants.find(c.id(), workspaceId).orElseThrow()), created);
    }

    public List<GrantView> list(BuilderUser caller, String accountId, String connectionId) {
        Connection c = accountConnection(caller, accountId, connectionId);
        return grants.of(c.id()).stream().map(this::view).toList();
    }

    /** The connection leaves the workspace's picker and resolver at once. */
    public void revoke(BuilderUser caller, String accountId, String connectionId, String workspaceId) {
        Connection c = accountConnection(caller, accountId, connectionId);
        if (!grants.delete(c.id(), workspaceId)) {
            throw new NotVisible("grant");
        }
    }

    /** A model-provider key of the account with its grants and their spend. */
    public record LlmKey(Connection connection, List<GrantView> grants) {
    }

    /** The LLM keys page: the account's model-provider connections and, for each, its grants and spend. */
    public List<LlmKey> llmKeys(BuilderUser caller, String accountId) {
        WorkspaceAccess.requireAccountAdmin(caller, accountId);
        return connections.ofAccount(accountId).stream()
                .filter(c -> catalog.find(c.app()).map(a -> a.category().equals("model_provider")).orElse(false))
                .map(c -> new LlmKey(c, grants.of(c.id()).stream().map(this::view).toList()))
                .toList();
    }

    // ---- the runtime

    /** The grant that lets {@code workspaceId} use this account connection, if any. */
    public Optional<Grant> grantOf(Connection c, String workspaceId) {
        return c.scope() == Scope.ACCOUNT ? grants.find(c.id(), workspaceId) : Optional.empty();
    }

    /** What metering decided for one resolve. */
    public sealed interface Metering {
        record NotMetered() implements Metering {
        }

        record Reserved(String reservationId) implements Metering {
        }

        record CapReached() implements Metering {
        }

        /** The estimate alone is larger than the whole monthly cap: no run could ever be given it. */
        record EstimateExceedsCap() implements Metering {
        }
    }

    /**
     * Reserves the estimate against the grant's month when it has a cap (expired reservations are
     * released and the reservation tried again when it does not fit). An estimate larger than the
     * whole cap is refused before the ledger is touched; only a reservation that does not fit under
     * the cap is "cap reached", and only the month's first one publishes {@value #CAP_REACHED}.
     */
    public Metering reserve(Grant grant, long estimateMicros, Connection c) {
        if (grant.capMicros().isEmpty()) {
            return new Metering.NotMetered();
        }
        Instant now = clock.instant();
        String month = month(now);
        long cap = grant.capMicros().get();
        if (estimateMicros > cap) {
            return new Metering.EstimateExceedsCap(); // says nothing about the month's spend: no cap event
        }
        SpendLedger.Reservation r = ledger.reserve(grant.connectionId(), grant.workspaceId(), month, estimateMicros, cap,
                now.plus(reservationTtl));
        if (r instanceof SpendLedger.Reservation.CapReached
                && ledger.releaseExpired(grant.connectionId(), grant.workspaceId(), month, now) > 0) {
            r = ledger.reserve(grant.connectionId(), grant.workspaceId(), month, estimateMicros, cap, now.plus(reservationTtl));
        }
        return switch (r) {
            case SpendLedger.Reservation.Reserved reserved -> new Metering.Reserved(reserved.reservationId());
            case SpendLedger.Reservation.CapReached reached -> {
                // one per grant and month: the id names them, and the record that it was reached commits it
                ledger.firstTimeCapReached(grant.connectionId(), grant.workspaceId(), month,
                        new ConnectionEvent(c.id() + ":" + grant.workspaceId() + ":" + month + ":grant-spend-cap-reached",
                                CAP_REACHED, Map.of("connectionId", c.id(), "accountId", c.accountId(),
                                "workspaceId", grant.workspaceId(), "app", c.app(), "month", month,
                                "monthlySpendCapUsd", Money.dollars(cap), "time", now.toString())));
                yield new Metering.CapReached();
            }
        };
    }

    /** Gives back a reservation whose call did not happen (the resolve gave no credential). */
    public boolean release(String reservationId) {
        return ledger.release(reservationId);
    }

    public SpendLedger.Settlement settle(String reservationId, long actualMicros) {
        return ledger.settle(reservationId, actualMicros, clock.instant());
    }

    private GrantView view(Grant g) {
        Instant now = clock.instant();
        String month = month(now);
        ledger.releaseExpired(g.connectionId(), g.workspaceId(), month, now);
        SpendLedger.MonthSpend spend = ledger.spend(g.connectionId(), g.workspaceId(), month);
        return new GrantView(g.workspaceId(), g.capMicros().map(Money::dollars).orElse(null), Money.dollars(spend.spentMicros()),
                g.capMicros().map(cap -> Money.dollars(Math.max(0, cap - spend.committedMicros()))).orElse(null), month);
    }

    private Connection accountConnection(BuilderUser caller, String accountId, String connectionId) {
        WorkspaceAccess.requireAccountAdmin(caller, accountId);
        Connection c = Optional.ofNullable(connectionId).filter(Visibility::plausibleId).flatMap(connections::find)
                .filter(x -> Visibility.toAccount(x, accountId)).orElseThrow(() -> new NotVisible("connection"));
        if (c.scope() != Scope.ACCOUNT) {
            throw new InvalidState("workspace_scoped", "a workspace-scoped connection cannot be granted to other workspaces");
        }
        return c;
    }

    /** UTC calendar month: no reset job; a new month is a new ledger partition. */
    public static String month(Instant now) {
        return YearMonth.from(now.atZone(ZoneOffset.UTC)).toString();
    }
}
