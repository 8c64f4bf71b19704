package labops.platform.kafka;

import io.apicurio.registry.rest.client.exception.RestClientException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import labops.schemas.DeadLetterHeaders.Code;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells an outage from a bad record, by exception type alone, for the one consumer failure policy. An outage (the
 * database, broker or registry unreachable, overloaded or shutting down) is waited out and never dead-letters
 * anything; any other failure is the record's own and, after bounded retries, costs that record alone.
 *
 * <p>Outages: Spring's transient, recoverable and resource-failure data access exceptions (which include "cannot get a
 * connection"), a transaction that could not begin, JDBC's transient and recoverable exceptions, SQLSTATE classes 08
 * (connection), 40 (serialization failure, deadlock), 53 (insufficient resources), 57 (operator intervention, e.g.
 * shutdown) and 58 (system error), Kafka's retriable exceptions, and the network's refused, reset, timed-out and
 * unresolvable connections (the registry's client surfaces those). Everything else, in particular SQLSTATE 22 (data
 * exception: a NUL byte, an out-of-range time) and 23 (integrity), is the record's.
 */
public final class ConsumerFailures {

    private static final Set<String> OUTAGE_SQL_STATE_CLASSES = Set.of("08", "40", "53", "57", "58");

    private ConsumerFailures() {
    }

    /** A failure known to be an outage, whatever it wraps (a decoding failure because the registry was down). */
    public static final class Outage extends RuntimeException {

        public Outage(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** True when {@code failure}, or anything that caused it, says a dependency is unavailable rather than the record bad. */
    public static boolean isOutage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof Outage || cause instanceof TransientDataAccessException || cause instanceof DataAccessResourceFailureException
                    || cause instanceof RecoverableDataAccessException
                    || cause instanceof CannotCreateTransactionException
                    || cause instanceof SQLTransientException || cause instanceof SQLRecoverableException
                    || cause instanceof org.apache.kafka.common.errors.RetriableException
                    || cause instanceof ConnectException || cause instanceof NoRouteToHostException
                    || cause instanceof SocketTimeoutException || cause instanceof UnknownHostException
                    || cause instanceof HttpTimeoutException || cause instanceof SocketException) {
                return true;
            }
            // The registry answering 5xx (its own store busy, e.g. two schemas registered at once) is the registry's
            // outage, not the record's fault.
            if (cause instanceof RestClientException registry && registry.getError() != null
                    && registry.getError().getErrorCode() != null && registry.getError().getErrorCode() >= 500) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2
                    && OUTAGE_SQL_STATE_CLASSES.contains(sql.getSQLState().substring(0, 2))) {
                return true;
            }
        }
        return false;
    }

    /** Why a record failed, for machines. */
    public static Code code(Throwable failure) {
        if (find(failure, DeserializationException.class) != null) {
            return Code.UNDECODABLE;
        }
        if (find(failure, SQLException.class) != null || find(failure, DataAccessException.class) != null) {
            return Code.UNSTORABLE;
        }
        return Code.PROCESSING_FAILED;
    }

    /**
     * Why a record failed, for people: the kind of failure and what the code or database called it, never an
     * exception's message (a database's message can quote the value it refused).
     */
    public static String reason(Throwable failure) {
        if (find(failure, DeserializationException.class) != null) {
            return "the record's value could not be decoded as this topic's format";
        }
        SQLException sql = find(failure, SQLException.class);
        if (sql != null) {
            return "the database refused the record (SQLSTATE " + sql.getSQLState() + ")";
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "processing failed: " + root.getClass().getSimpleName();
    }

    /** The first of {@code failure}'s causes (itself included) of {@code type}; null when none is. */
    public static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
