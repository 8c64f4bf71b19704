package labops.workflow.report;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long from order to result counts as on time, by priority: reporting gives the share of orders within it.
 *
 * @param stat    STAT (default 60 minutes)
 * @param urgent  ASAP and URGENT (default 4 hours)
 * @param routine everything else (default 24 hours)
 */
@ConfigurationProperties("labops.workflow.turnaround-target")
public record TurnaroundTargets(@DefaultValue("PT60M") Duration stat, @DefaultValue("PT4H") Duration urgent,
                                @DefaultValue("PT24H") Duration routine) {
}
