package labops.tenant.user;

import labops.schemas.auth.Role;
import labops.tenant.auth.AuthProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/** Creates the first Lab Ops admin from configuration when there is none: someone has to create the tenants. */
@Component
@Order(0)
class BootstrapAdmin implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdmin.class);

    private final UserRepository users;
    private final PasswordEncoder hashes;
    private final AuthProperties.BootstrapAdmin admin;

    BootstrapAdmin(UserRepository users, PasswordEncoder hashes, AuthProperties properties) {
        this.users = users;
        this.hashes = hashes;
        this.admin = properties.bootstrapAdmin();
    }

    @Override
    public void run(ApplicationArguments args) {
        if (admin.username() == null || admin.username().isBlank() || users.anyWithRole(Role.LABOPS_ADMIN)) {
            return;
        }
        users.create(AppUser.created(admin.username(), "Lab Ops admin", Role.LABOPS_ADMIN, null, "bootstrap"), hashes.encode(admin.password()));
        log.info("event=bootstrap-admin-created username={}", admin.username());
    }
}
