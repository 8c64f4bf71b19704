package labops.workflow.task;

import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long a task may wait before it is overdue, by the priority of what it is for: the queue sorts by the due time
 * this gives (after STAT) and colours a task amber in its last quarter and red once overdue.
 *
 * @param stat    STAT orders and critical calls (default one hour, the usual critical-call limit)
 * @param urgent  ASAP and URGENT (default four hours)
 * @param routine everything else (default a day)
 */
@ConfigurationProperties("labops.workflow.sla")
public record TaskSla(@DefaultValue("PT1H") Duration stat, @DefaultValue("PT4H") Duration urgent,
                      @DefaultValue("PT24H") Duration routine) {

    Instant due(String priority, Instant from) {
        Duration allowed = switch (priority) {
            case "STAT" -> stat;
            case "ASAP", "URGENT" -> urgent;
            default -> routine;
        };
        return from.plus(allowed);
    }
}
