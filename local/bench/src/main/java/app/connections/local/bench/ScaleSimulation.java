package app.connections.local.bench;

import java.util.Random;

/**
 * The scale and cost plan's numbers (docs/scale.md): 1 million OAuth connections with 1-hour
 * tokens in 10,000 workspaces. Part one is arithmetic: what each refresh costs in AWS requests,
 * how that compares with each quota, and what a month costs per 1,000 connections in each vault
 * mode. Part two is a small second-by-second simulation of one cell's refresher under its secret
 * write budget: expiries spread evenly, and a bad case where a tenth of all tokens were issued in
 * the same minute (a bulk import); it reports the backlog and whether any token expired before
 * its refresh.
 */
public final class ScaleSimulation {
    // the fleet
    static final long CONNECTIONS = 1_000_000;
    static final long WORKSPACES = 10_000;
    static final double TOKEN_LIFETIME_S = 3_600;
    static final double REFRESH_LEAD_S = 15 * 60;

    // quotas per account and region (AWS service quotas pages, Nov 2026)
    static final double SECRETS_WRITE_TPS = 50; // PutSecretValue (shared with the other write APIs)
    static final double SECRETS_READ_TPS = 10_000; // GetSecretValue
    static final double KMS_SYMMETRIC_TPS = 10_000; // most regions; 5,500 in some, 50,000 in the largest
    static final double DDB_PARTITION_WCU = 1_000; // per partition
    static final double DUE_SHARDS = 16; // ConnectionItems.DUE_SHARDS
    static final double WRITE_BUDGET = 40; // REFRESH_WRITE_BUDGET_PER_SECOND default: 80 % of the quota

    // us-east-1 list prices (USD)
    static final double SECRET_MONTH = 0.40;
    static final double SECRETS_PER_10K_CALLS = 0.05;
    static final double KMS_PER_10K = 0.03;
    static final double KMS_KEY_MONTH = 1.00;
    static final double DDB_PER_M_WRU = 0.625;
    static final double DDB_PER_M_RRU = 0.125;
    static final double DDB_GB_MONTH = 0.25;
    static final double LAMBDA_GB_S = 0.0000166667;
    static final double LAMBDA_PER_M_REQ = 0.20;

    /** AWS requests one refresh makes in a vault mode, as {@link VaultModeBenchmark} measures them. */
    record PerRefresh(String mode, double secretsReads, double secretsWrites, double kms, double wru, double rru) {
    }

    private ScaleSimulation() {
    }

    public static void main(String[] args) {
        // a token is refreshed when it enters the lead window, so it is renewed every lifetime - lead
        double refreshesPerSecond = CONNECTIONS / (TOKEN_LIFETIME_S - REFRESH_LEAD_S);
        System.out.printf("%nScale plan: %,d OAuth connections, %,d workspaces, %.0f-minute tokens -> %.0f refreshes/s"
                + " if renewed at expiry, %.0f refreshes/s renewed %.0f minutes ahead (as the refresher does)%n",
                CONNECTIONS, WORKSPACES, TOKEN_LIFETIME_S / 60, CONNECTIONS / TOKEN_LIFETIME_S, refreshesPerSecond,
                REFRESH_LEAD_S / 60);
        System.out.println("(AWS requests, quota use and cost per vault mode: part 5, VaultModeBenchmark, measured)");
        simulate("expiries spread evenly", 0.0, 0);
        simulate("a tenth of all tokens issued in the same minute", 0.10, 0);
        simulate("the same burst, idle budget refreshing up to 45 minutes ahead", 0.10, 45 * 60);
        simulate("a third of all tokens issued in the same minute", 0.33, 0);
        simulate("the same third, idle budget refreshing up to 45 minutes ahead", 0.33, 45 * 60);
    }

    static void row(String name, double demand, double quota) {
        System.out.printf("| %s | %,.1f | %,.0f | %.0f %% |%n", name, demand, quota, 100 * demand / quota);
    }

    static double[] cost(PerRefresh m, double refreshes, boolean secretPerConnection) {
        double secrets = secretPerConnection ? 1_000 * SECRET_MONTH : 0;
        double secretsApi = refreshes * (m.secretsReads() + m.secretsWrites()) / 10_000 * SECRETS_PER_10K_CALLS;
        double kms = refreshes * m.kms() / 10_000 * KMS_PER_10K + KMS_KEY_MONTH / 1_000; // the key shared by all
        double ddb = refreshes * (m.wru() * DDB_PER_M_WRU + m.rru() * DDB_PER_M_RRU) / 1e6 + 1_000 * 4e-6 * DDB_GB_MONTH;
        // measured: one 1,024 MB invocation refreshes ~1,250/min, i.e. 0.048 GB-s per refresh; one invocation per 5 min
        double lambda = refreshes * 0.048 * LAMBDA_GB_S + 8_640 / 1e6 * LAMBDA_PER_M_REQ / 1_000;
        return new double[] {secrets, secretsApi, kms, ddb, lambda, secrets + secretsApi + kms + ddb + lambda};
    }

    /**
     * One cell at the write budget, one-second steps over three hours: each token comes due
     * {@code lead} before it expires and is refreshed when the budget lets it; a refreshed token
     * expires again an hour later. With {@code lookAhead}, budget left in a second refreshes the
     * tokens expiring soonest within that window early (spreading). Reports the largest backlog,
     * the longest wait and any token that expired first.
     */
    private static void simulate(String label, double burstShare, int lookAhead) {
        // a cell filled to 90 % of its budget: a token is renewed every lifetime - lead
        int perCell = (int) (WRITE_BUDGET * (TOKEN_LIFETIME_S - REFRESH_LEAD_S) * 0.9);
        int horizon = 3 * 3_600;
        int lifetime = (int) TOKEN_LIFETIME_S;
        int lead = (int) REFRESH_LEAD_S;
        Random random = new Random(20261125);
        int[] dueAt = new int[horizon + lifetime + 1];
        int[] expiry = new int[perCell];
        for (int i = 0; i < perCell; i++) {
            // steady state: nothing is due at the start; the burst expires together 70 minutes in
            expiry[i] = random.nextDouble() < burstShare ? lead + 70 * 60 + random.nextInt(60) : lead + 1 + random.nextInt(lifetime - lead);
        }
        // queue of tokens by due second: a bucketed list in due order
        java.util.List<java.util.ArrayDeque<Integer>> buckets = new java.util.ArrayList<>();
        for (int s = 0; s < dueAt.length; s++) {
            buckets.add(new java.util.ArrayDeque<>());
        }
        for (int i = 0; i < perCell; i++) {
            buckets.get(Math.max(0, expiry[i] - lead)).add(i);
        }
        java.util.ArrayDeque<Integer> backlog = new java.util.ArrayDeque<>();
        long maxBacklog = 0;
        long expiredFirst = 0;
        long maxWaitS = 0;
        double credit = 0;
        for (int t = 0; t < horizon; t++) {
            backlog.addAll(buckets.get(t));
            credit = Math.min(WRITE_BUDGET, credit + WRITE_BUDGET);
            while (credit >= 1 && !backlog.isEmpty()) {
                int i = backlog.poll();
                credit -= 1;
                maxWaitS = Math.max(maxWaitS, t - (expiry[i] - lead));
                if (expiry[i] < t) {
                    expiredFirst++;
                }
                expiry[i] = t + lifetime;
                if (expiry[i] - lead < dueAt.length) {
                    buckets.get(expiry[i] - lead).add(i);
                }
            }
            maxBacklog = Math.max(maxBacklog, backlog.size());
            // spreading: budget left this second refreshes the earliest tokens within the look-ahead
            for (int s = t + 1; lookAhead > 0 && credit >= 1 && s <= t + lookAhead - lead && s < dueAt.length; s++) {
                java.util.ArrayDeque<Integer> early = buckets.get(s);
                while (credit >= 1 && !early.isEmpty()) {
                    int i = early.poll();
                    credit -= 1;
                    expiry[i] = t + lifetime;
                    if (expiry[i] - lead < dueAt.length) {
                        buckets.get(expiry[i] - lead).add(i);
                    }
                }
            }
        }
        System.out.printf("%nSimulation, one cell of %,d connections at %.0f writes/s, 3 hours, %s%n", perCell, WRITE_BUDGET, label);
        System.out.printf("| largest backlog | longest wait after coming due | tokens that expired before their refresh |%n");
        System.out.printf("| --- | --- | --- |%n");
        System.out.printf("| %,d | %d s (lead window %d s) | %,d |%n", maxBacklog, maxWaitS, lead, expiredFirst);
    }
}
