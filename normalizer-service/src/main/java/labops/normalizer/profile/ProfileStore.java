package labops.normalizer.profile;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import labops.events.Environment;
import labops.normalizer.NormalizerProperties;
import labops.platform.tenant.EnvironmentNames;
import labops.platform.web.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every saved version of every tenant's mapping profiles. The normalizer asks for the profile in force once per
 * message, so it is kept in memory for {@code profile-cache-ttl}: a saved version applies on every instance within
 * that time, and a message is never held up by the database.
 */
@Repository
public class ProfileStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Key(String tenantId, Environment environment) {
    }

    private record Cached(MappingProfile profile, Instant until) {
    }

    private final JdbcClient jdbc;
    private final Duration ttl;
    private final Map<Key, Cached> inForce = new ConcurrentHashMap<>();

    ProfileStore(JdbcClient jdbc, NormalizerProperties properties) {
        this.jdbc = jdbc;
        this.ttl = properties.profileCacheTtl();
    }

    /** The profile in force: the newest version, or {@link MappingProfile#BUILT_IN} when none was saved. */
    public MappingProfile inForce(String tenantId, Environment environment) {
        var key = new Key(tenantId, environment);
        Instant now = Instant.now();
        Cached cached = inForce.get(key);
        if (cached == null || cached.until().isBefore(now)) {
            cached = new Cached(newest(tenantId, environment), now.plus(ttl));
            inForce.put(key, cached);
        }
        return cached.profile();
    }

    private MappingProfile newest(String tenantId, Environment environment) {
        return jdbc.sql("""
                        select * from mapping_profile where tenant_id = ? and environment = ?
                        order by version desc limit 1""")
                .params(tenantId, name(environment))
                .query(ProfileStore::profile).optional().orElse(MappingProfile.BUILT_IN);
    }

    /** Saves {@code rules} as the next version; the caller has checked them. */
    public MappingProfile save(String tenantId, Environment environment, MappingRules rules, String savedBy) {
        for (int attempt = 0; ; attempt++) {
            int next = newest(tenantId, environment).version() + 1;
            try {
                jdbc.sql("""
                                insert into mapping_profile (tenant_id, environment, version, rules, saved_by)
                                values (?, ?, ?, cast(? as jsonb), ?)""")
                        .params(tenantId, name(environment), next, JSON.writeValueAsString(rules), savedBy).update();
                inForce.remove(new Key(tenantId, environment));
                return version(tenantId, environment, next);
            } catch (DuplicateKeyException raced) {
                // Two admins saved at once: the other took this number, this save takes the next.
                if (attempt == 3) {
                    throw raced;
                }
            }
        }
    }

    public MappingProfile version(String tenantId, Environment environment, int version) {
        return jdbc.sql("select * from mapping_profile where tenant_id = ? and environment = ? and version = ?")
                .params(tenantId, name(environment), version)
                .query(ProfileStore::profile).optional().orElse(null);
    }

    /** Every saved version, newest first. */
    public List<MappingProfile> versions(String tenantId, Environment environment) {
        return jdbc.sql("select * from mapping_profile where tenant_id = ? and environment = ? order by version desc")
                .params(tenantId, name(environment))
                .query(ProfileStore::profile).list();
    }

    private static String name(Environment environment) {
        return EnvironmentNames.of(environment);
    }

    private static MappingProfile profile(ResultSet rs, int row) throws SQLException {
        return new MappingProfile(rs.getInt("version"), rs.getTimestamp("saved_at").toInstant(),
                rs.getString("saved_by"), JSON.readValue(rs.getString("rules"), MappingRules.class));
    }

    /** The environment a path names; 404 for any other. */
    public static Environment environment(String name) {
        return switch (name) {
            case "sandbox" -> Environment.SANDBOX;
            case "production" -> Environment.PRODUCTION;
            default -> throw Problems.of(HttpStatus.NOT_FOUND, "no such environment");
        };
    }
}
