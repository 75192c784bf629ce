package ai.molecule.platform.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

import javax.sql.DataSource;

/** The connection pool, the schema migrations and the JDBI handle every service shares. */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final HikariDataSource relaxedSource;
    private final Jdbi jdbi;
    private final Jdbi relaxed;
    private final DatabaseUrl url;

    private Database(HikariDataSource ds, HikariDataSource relaxedSource, DatabaseUrl url) {
        this.dataSource = ds;
        this.relaxedSource = relaxedSource;
        this.url = url;
        this.jdbi = jdbi(ds);
        this.relaxed = jdbi(relaxedSource);
    }

    private static Jdbi jdbi(DataSource ds) {
        Jdbi j = Jdbi.create(ds).installPlugin(new PostgresPlugin());
        // Optional filters bind their value whether or not the SQL text uses it.
        j.getConfig(org.jdbi.v3.core.statement.SqlStatements.class).setUnusedBindingAllowed(true);
        return j;
    }

    public static Database connect(DatabaseUrl url) {
        HikariDataSource main = new HikariDataSource(pool(url, "molecule", 16, null));
        // Commits on this pool do not wait for the WAL flush: a crash may lose the last few
        // hundred milliseconds of what is written here, never corrupt it (PostgreSQL
        // "asynchronous commit"). Only for logs and counters that tolerate that.
        HikariDataSource relaxed = new HikariDataSource(pool(url, "molecule-relaxed", 8, "-c synchronous_commit=off"));
        Database db = new Database(main, relaxed, url);
        db.migrate();
        return db;
    }

    /** {@code options}: server settings for every connection of the pool (libpq's startup options). */
    private static HikariConfig pool(DatabaseUrl url, String name, int size, String options) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) cfg.setUsername(url.user());
        if (url.password() != null) cfg.setPassword(url.password());
        cfg.setMaximumPoolSize(size);
        cfg.setPoolName(name);
        cfg.setConnectionTimeout(10_000);
        if (options != null) {
            cfg.addDataSourceProperty("options", options);
            cfg.setMinimumIdle(1);
            // the write-behind's batches go out as multi-row INSERTs: one statement per 128 rows, not per row
            cfg.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        return cfg;
    }

    private void migrate() {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** Asynchronous commit: for write-behind logs and in-flight counters, never for the durable queue. */
    public Jdbi relaxed() {
        return relaxed;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public DatabaseUrl url() {
        return url;
    }

    @Override
    public void close() {
        relaxedSource.close();
        dataSource.close();
    }
}
