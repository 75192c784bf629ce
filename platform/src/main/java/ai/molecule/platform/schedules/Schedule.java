package ai.molecule.platform.schedules;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A {@code workspace_schedules} row, as the scheduler and the health report read it. */
record Schedule(UUID id, UUID workspaceId, String name, String cronExpr, String timezone, String prompt,
                OffsetDateTime lastRunAt, int consecutiveEmptyRuns) {

    static Schedule map(ResultSet rs) throws SQLException {
        return new Schedule(rs.getObject("id", UUID.class), rs.getObject("workspace_id", UUID.class), rs.getString("name"),
                rs.getString("cron_expr"), rs.getString("timezone"), rs.getString("prompt"),
                rs.getObject("last_run_at", OffsetDateTime.class), rs.getInt("consecutive_empty_runs"));
    }

    ScheduleTiming timing() {
        return ScheduleTiming.stored(cronExpr, timezone);
    }
}
