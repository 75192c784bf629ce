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
    private final Jdbi jdbi;
    private final DatabaseUrl url;

    private Database(HikariDataSource ds, DatabaseUrl url) {
        this.dataSource = ds;
        this.url = url;
        this.jdbi = Jdbi.create(ds).installPlugin(new PostgresPlugin());
        // Optional filters bind their value whether or not the SQL text uses it.
        jdbi.getConfig(org.jdbi.v3.core.statement.SqlStatements.class).setUnusedBindingAllowed(true);
    }

    public static Database connect(DatabaseUrl url) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) cfg.setUsername(url.user());
        if (url.password() != null) cfg.setPassword(url.password());
        cfg.setMaximumPoolSize(16);
        cfg.setPoolName("molecule");
        cfg.setConnectionTimeout(10_000);
        Database db = new Database(new HikariDataSource(cfg), url);
        db.migrate();
        return db;
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

    public DataSource dataSource() {
        return dataSource;
    }

    public DatabaseUrl url() {
        return url;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
