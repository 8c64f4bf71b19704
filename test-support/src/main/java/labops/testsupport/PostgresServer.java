package labops.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import javax.sql.DataSource;

/**
 * A real PostgreSQL 17 server (zonky's embedded binaries), with one database for all Lab Ops services. It can be
 * stopped and started again on the same port with its data, as a failover or a restart does to the services using it.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String DATABASE = "labops";
    public static final String USER = "postgres";

    private final Path dataDirectory;
    private final boolean temporary;
    private final int port;
    private volatile EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres, Path dataDirectory, boolean temporary) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.temporary = temporary;
        this.port = postgres.getPort();
    }

    /** Starts PostgreSQL on a free port with a throw-away data directory. */
    public static PostgresServer start() {
        return start(0, null);
    }

    /**
     * Starts PostgreSQL on {@code port} (0 for any free port), keeping its data in {@code dataDirectory}
     * when given (survives restarts) or in a temporary directory otherwise.
     */
    public static PostgresServer start(int port, Path dataDirectory) {
        try {
            boolean temporary = dataDirectory == null;
            Path directory = temporary ? Files.createTempDirectory("labops-postgres-") : dataDirectory;
            var server = new PostgresServer(launch(port, directory, temporary), directory, temporary);
            server.createDatabase();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
    }

    /**
     * A temporary server is stopped by its owner's {@link #close()}, which then removes its directory: zonky's own
     * shutdown hook would race it (and log a failed stop).
     */
    private static EmbeddedPostgres launch(int port, Path dataDirectory, boolean temporary) throws IOException {
        var builder = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false)
                .setRegisterShutdownHook(!temporary);
        if (port > 0) {
            builder.setPort(port);
        }
        return builder.start();
    }

    /**
     * An outage: the server stops (a fast shutdown: connections are cut, committed data kept), stays down for
     * {@code down}, then starts again on the same port with the same data.
     */
    public synchronized void outage(Duration down) {
        try {
            postgres.close();
            Thread.sleep(down.toMillis());
            postgres = launch(port, dataDirectory, temporary);
        } catch (IOException e) {
            throw new UncheckedIOException("could not restart embedded PostgreSQL", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during an outage", e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, DATABASE);
    }

    public int port() {
        return port;
    }

    public DataSource dataSource() {
        return postgres.getDatabase(USER, DATABASE);
    }

    @Override
    public void close() {
        try {
            postgres.close();
            if (temporary) {
                try (var paths = Files.walk(dataDirectory)) {
                    for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void createDatabase() {
        try (var connection = postgres.getPostgresDatabase().getConnection();
             var statement = connection.createStatement();
             var exists = statement.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
            if (!exists.next()) {
                statement.execute("create database " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + DATABASE, e);
        }
    }
}
