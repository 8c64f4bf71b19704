package labops.workflow.release;

import labops.events.LabResultEvent;
import labops.events.Observation;
import labops.platform.tenant.TenantConfiguration.ReleasePolicy;

/**
 * What the tenant's policy makes of a result when it arrives. A final or corrected result, verified by the lab's own
 * LIS, is released at once unless the tenant wants its tests reviewed; a preliminary one only where the tenant asks
 * for preliminaries; a cancelled one always goes past a person, who confirms what the hospital is told. A critical
 * value is released like any other: its call is a task of its own and never holds the result back. A result a person
 * entered in Lab Ops was verified by no LIS: it always waits for another person's review.
 */
final class ReleaseRules {

    enum Decision { RELEASE, REVIEW, WITHHOLD }

    private ReleaseRules() {
    }

    static Decision decide(LabResultEvent result, ReleasePolicy policy) {
        boolean reviewed = result.getEnteredBy() != null || policy.reviewAll() || result.getObservations().stream().map(Observation::getCode)
                .anyMatch(code -> policy.reviewTests().contains(code.getCode()));
        return switch (result.getStatus()) {
            case FINAL, CORRECTED -> reviewed ? Decision.REVIEW : Decision.RELEASE;
            case PRELIMINARY -> !policy.releasePreliminary() ? Decision.WITHHOLD
                    : reviewed ? Decision.REVIEW : Decision.RELEASE;
            case CANCELLED -> Decision.REVIEW;
        };
    }
}
