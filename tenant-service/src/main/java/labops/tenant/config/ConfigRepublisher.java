package labops.tenant.config;

import java.time.Instant;
import labops.tenant.secret.SecretRepository;
import labops.tenant.tenant.TenantRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps {@code labops.tenant.config} equal to the database when no one changes anything: every tenant is republished
 * at start-up (healing a snapshot lost between a publish and a failed commit), and a tenant is republished the moment
 * one of its secrets' rotation overlap ends, since time alone changes which secrets are valid.
 */
@Component
class ConfigRepublisher {

    private static final Logger log = LoggerFactory.getLogger(ConfigRepublisher.class);

    private final TenantRepository tenants;
    private final SecretRepository secrets;
    private final TenantConfigPublisher publisher;
    private Instant checkedUntil = Instant.now();

    ConfigRepublisher(TenantRepository tenants, SecretRepository secrets, TenantConfigPublisher publisher) {
        this.tenants = tenants;
        this.secrets = secrets;
        this.publisher = publisher;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Transactional(readOnly = true)
    public void republishAll() {
        var ids = tenants.ids();
        ids.forEach(publisher::publish);
        log.info("event=tenant-config-republished tenants={}", ids.size());
    }

    @Scheduled(fixedDelayString = "${labops.tenant.expiry-check:1s}")
    @Transactional(readOnly = true)
    public void republishExpired() {
        Instant now = Instant.now();
        for (String tenantId : secrets.tenantsWithSecretsExpiredBetween(checkedUntil, now)) {
            publisher.publish(tenantId);
            log.info("event=secret-overlap-ended tenant={}", tenantId);
        }
        checkedUntil = now;
    }
}
