package labops.ingress.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import labops.ingress.hl7.Hl7Answer.Verdict;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** Over HTTP the status says what the ACK says: a client reading only the status never takes a refusal for success. */
class Hl7HttpStatusTest {

    @Test
    void eachVerdictHasItsStatus() {
        assertThat(Hl7HttpController.status(Verdict.ACCEPTED)).isEqualTo(HttpStatus.OK);
        assertThat(Hl7HttpController.status(Verdict.BAD_CONTENT)).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(Hl7HttpController.status(Verdict.NOT_ALLOWED)).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(Hl7HttpController.status(Verdict.NOT_ACCEPTED)).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
        assertThat(Hl7HttpController.status(Verdict.RETRY_LATER)).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    }

    @Test
    void aBatchTakesTheWorstOfItsMessages() {
        var accepted = new Hl7Answer(new byte[0], Verdict.ACCEPTED);
        var badContent = new Hl7Answer(new byte[0], Verdict.BAD_CONTENT);
        var retry = new Hl7Answer(new byte[0], Verdict.RETRY_LATER);

        assertThat(Hl7Answer.worst(List.of(accepted, badContent, accepted))).isEqualTo(Verdict.BAD_CONTENT);
        assertThat(Hl7Answer.worst(List.of(badContent, retry))).isEqualTo(Verdict.RETRY_LATER);
        assertThat(Hl7Answer.worst(List.of(accepted))).isEqualTo(Verdict.ACCEPTED);
    }
}
