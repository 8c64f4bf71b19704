package labops.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import labops.schemas.topic.Topics;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void everyRawTopicHasADeadLetterCompanion() {
        assertThat(Topics.names()).containsAll(Topics.RAW.stream().map(Topics::deadLetterOf).toList());
    }

    @Test
    void deliveryRetriesAndDeadLetterAreDeclared() {
        assertThat(Topics.names()).contains(
                Topics.deliveryRetry(0), Topics.deliveryRetry(Topics.DELIVERY_ATTEMPTS - 2), Topics.deliveryDeadLetter());
    }

    @Test
    void namesAreUnique() {
        assertThat(Topics.names()).doesNotHaveDuplicates();
    }
}
