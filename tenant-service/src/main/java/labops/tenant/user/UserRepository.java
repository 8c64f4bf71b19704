package labops.tenant.user;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import labops.schemas.auth.Role;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Repository;

/** People, and the sign-in look-up for the login form. Passwords are stored as bcrypt hashes only. */
@Repository
public class UserRepository implements UserDetailsService {

    private final JdbcClient jdbc;

    UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** False when the username is taken. */
    public boolean create(AppUser user, String passwordHash) {
        try {
            jdbc.sql("""
                            insert into app_user (id, username, display_name, password_hash, role, tenant_id, created_by,
                                                  created_at, access_changed_at)
                            values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(user.id(), user.username(), user.displayName(), passwordHash, user.role().id(),
                            user.tenantId(), user.createdBy(), Timestamp.from(user.createdAt()),
                            Timestamp.from(user.accessChangedAt()))
                    .update();
            return true;
        } catch (DuplicateKeyException taken) {
            return false;
        }
    }

    public Optional<AppUser> find(String username) {
        return jdbc.sql("select * from app_user where username = ?").param(username).query(UserRepository::user).optional();
    }

    public List<AppUser> byTenant(String tenantId) {
        return jdbc.sql("select * from app_user where tenant_id = ? order by username")
                .param(tenantId).query(UserRepository::user).list();
    }

    public boolean anyWithRole(Role role) {
        return jdbc.sql("select count(*) from app_user where role = ?").param(role.id()).query(Integer.class).single() > 0;
    }

    public boolean disable(String tenantId, UUID id) {
        return jdbc.sql("""
                        update app_user set disabled_at = now(), access_changed_at = now()
                        where id = ? and tenant_id = ? and disabled_at is null""")
                .params(id, tenantId).update() == 1;
    }

    /** False when there is no active person {@code id} in the tenant. */
    public boolean changeRole(String tenantId, UUID id, Role role) {
        return jdbc.sql("""
                        update app_user set role = ?, access_changed_at = now()
                        where id = ? and tenant_id = ? and disabled_at is null""")
                .params(role.id(), id, tenantId).update() == 1;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        return jdbc.sql("select username, password_hash, role, disabled_at from app_user where username = ?")
                .param(username)
                .query((rs, i) -> User.withUsername(rs.getString("username"))
                        .password(rs.getString("password_hash"))
                        .roles(rs.getString("role").toUpperCase().replace('-', '_'))
                        .disabled(rs.getTimestamp("disabled_at") != null)
                        .build())
                .optional()
                .orElseThrow(() -> new UsernameNotFoundException("unknown user"));
    }

    private static AppUser user(ResultSet rs, int row) throws SQLException {
        Timestamp disabled = rs.getTimestamp("disabled_at");
        return new AppUser(rs.getObject("id", UUID.class), rs.getString("username"), rs.getString("display_name"),
                Role.of(rs.getString("role")), rs.getString("tenant_id"), rs.getTimestamp("created_at").toInstant(),
                rs.getString("created_by"), disabled == null ? null : disabled.toInstant(),
                rs.getTimestamp("access_changed_at").toInstant());
    }
}
