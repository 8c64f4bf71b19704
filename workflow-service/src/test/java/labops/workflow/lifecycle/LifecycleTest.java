package labops.workflow.lifecycle;

import static labops.events.OrderStatus.ACCEPTED;
import static labops.events.OrderStatus.CANCELLED;
import static labops.events.OrderStatus.IN_PROGRESS;
import static labops.events.OrderStatus.ON_HOLD;
import static labops.events.OrderStatus.RECEIVED;
import static labops.events.OrderStatus.REJECTED;
import static labops.events.OrderStatus.RESULTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import labops.events.OrderAction;
import labops.events.OrderStatus;
import labops.events.ResultStatus;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    @Test
    void aHoldRemembersWhereTheOrderWasAndAResumeReturnsThere() {
        assertThat(Lifecycle.onOrder(OrderAction.NEW, null, null)).isEqualTo(RECEIVED);
        assertThat(Lifecycle.onOrder(OrderAction.HOLD, ACCEPTED, null)).isEqualTo(ON_HOLD);
        assertThat(Lifecycle.onOrder(OrderAction.RESUME, ON_HOLD, ACCEPTED)).isEqualTo(ACCEPTED);
        assertThat(Lifecycle.onOrder(OrderAction.NEW, ACCEPTED, null)).as("a resent order keeps its progress")
                .isEqualTo(ACCEPTED);
    }

    @Test
    void resultsOnlyMoveAnOrderForward() {
        assertThat(Lifecycle.onResult(ResultStatus.PRELIMINARY, ACCEPTED)).isEqualTo(IN_PROGRESS);
        assertThat(Lifecycle.onResult(ResultStatus.FINAL, IN_PROGRESS)).isEqualTo(RESULTED);
        assertThat(Lifecycle.onResult(ResultStatus.PRELIMINARY, RESULTED)).as("a late preliminary").isEqualTo(RESULTED);
        assertThat(Lifecycle.onResult(ResultStatus.FINAL, CANCELLED)).isEqualTo(CANCELLED);
        assertThat(Lifecycle.onResult(ResultStatus.FINAL, ON_HOLD)).isEqualTo(ON_HOLD);
    }

    @Test
    void onlyAReceivedOrderIsReviewed() {
        assertThat(Lifecycle.onReview(true, RECEIVED)).contains(ACCEPTED);
        assertThat(Lifecycle.onReview(false, RECEIVED)).contains(REJECTED);
        assertThat(Lifecycle.onReview(true, CANCELLED)).isEmpty();
    }

    /** Whatever arrives after, in whatever order, a cancelled or rejected order stays closed. */
    @Test
    void aClosedOrderStaysClosedUnderAnySequenceOfEvents() {
        var random = new Random(29);
        OrderAction[] actions = OrderAction.values();
        for (int run = 0; run < 1_000; run++) {
            OrderStatus status = random.nextBoolean() ? CANCELLED : REJECTED;
            OrderStatus closed = status;
            for (int step = 0; step < 20; step++) {
                status = random.nextBoolean()
                        ? Lifecycle.onOrder(actions[random.nextInt(actions.length)], status, null)
                        : Lifecycle.onResult(ResultStatus.values()[random.nextInt(ResultStatus.values().length)], status);
                assertThat(status).isEqualTo(closed);
            }
        }
    }

    @Test
    void storedNamesRoundTrip() {
        for (OrderStatus status : OrderStatus.values()) {
            assertThat(Lifecycle.of(Lifecycle.stored(status))).isEqualTo(status);
        }
        assertThat(Lifecycle.stored(OrderStatus.COLLECTION_SCHEDULED)).isEqualTo("collection-scheduled");
    }
}
