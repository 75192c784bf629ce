package ai.molecule.platform.budget;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.JsonMap;
import org.jdbi.v3.core.Jdbi;

import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/**
 * Budgets and token usage (spec §1.19). Spend is in USD cents; the proxy records usage per
 * UTC day in {@code workspace_token_usage}, and a trigger (V2 migration) moves
 * {@code monthly_spend} with it, which is what the proxy's 402 check reads.
 */
public final class BudgetService {
    private final Jdbi jdbi;

    public BudgetService(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Map<String, Object> budget(UUID workspaceId) {
        record Row(Long limit, long spend) {
        }
        Row row = jdbi.withHandle(h -> h.createQuery("SELECT budget_limit, monthly_spend FROM workspaces WHERE id = :id")
                        .bind("id", workspaceId)
                        .map((rs, c) -> new Row(rs.getObject("budget_limit") == null ? null : rs.getLong("budget_limit"),
                                rs.getLong("monthly_spend")))
                        .findOne())
                .orElseThrow(() -> ApiError.notFound("workspace not found"));
        Long remaining = row.limit() == null ? null : Math.max(0, row.limit() - row.spend());
        return JsonMap.of("budget_limit", row.limit(), "monthly_spend", row.spend(), "budget_remaining", remaining);
    }

    /** Sets (or, with null, clears) the limit; the caller validated it. */
    public Map<String, Object> setLimit(UUID workspaceId, Long limit) {
        int n = jdbi.withHandle(h -> h.createUpdate("UPDATE workspaces SET budget_limit = :limit, updated_at = now() WHERE id = :id")
                .bind("limit", limit).bind("id", workspaceId).execute());
        if (n == 0) throw ApiError.notFound("workspace not found");
        return budget(workspaceId);
    }

    /** Today's (UTC) usage: tokens, calls and the estimated cost as a 6-decimal string. */
    public Map<String, Object> metrics(UUID workspaceId) {
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).toLocalDate().atStartOfDay().atOffset(ZoneOffset.UTC);
        return jdbi.withHandle(h -> {
            if (h.createQuery("SELECT 1 FROM workspaces WHERE id = :id").bind("id", workspaceId).mapTo(Integer.class).findOne().isEmpty()) {
                throw ApiError.notFound("workspace not found");
            }
            return h.createQuery("""
                            SELECT coalesce(sum(input_tokens), 0) AS input_tokens, coalesce(sum(output_tokens), 0) AS output_tokens,
                                   coalesce(sum(call_count), 0) AS calls, coalesce(sum(estimated_cost_usd), 0) AS cost
                            FROM workspace_token_usage WHERE workspace_id = :id AND period_start = :start""")
                    .bind("id", workspaceId).bind("start", start)
                    .map((rs, c) -> JsonMap.of("input_tokens", rs.getLong("input_tokens"),
                            "output_tokens", rs.getLong("output_tokens"), "total_calls", rs.getLong("calls"),
                            "estimated_cost_usd", rs.getBigDecimal("cost").setScale(6, RoundingMode.HALF_UP).toPlainString(),
                            "period_start", start, "period_end", start.plusDays(1)))
                    .one();
        });
    }
}
