package labops.normalizer.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.model.primitive.CommonTS;
import java.time.LocalDateTime;
import java.time.ZoneId;
import labops.normalizer.raw.UnmappableMessageException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** HL7 date/times read with java.time mean what HAPI's own TS reads them as. */
class FieldsTest {

    @ParameterizedTest
    @ValueSource(strings = {"20261125", "2026112508", "202611250830", "20261125083015", "20261125083015.1",
            "20261125083015.123", "20261125083015-0500", "202611250830+0130", "20261125083015.12+0000",
            "20260101-1100"})
    void aTimeReadsAsHapiReadsIt(String value) throws Exception {
        // HAPI reads a time without an offset in the JVM's zone: compared in that zone.
        assertThat(Fields.instant(value, "OBR-7", ZoneId.systemDefault()))
                .isEqualTo(new CommonTS(value).getValueAsCalendar().toInstant());
    }

    /** Where HAPI's Calendar goes wrong: month 0 and day 0 roll back (2026 read as 30 November 2025). */
    @ParameterizedTest
    @CsvSource({"2026,2026-01-01T00:00", "202611,2026-11-01T00:00", "20261125083015.1234,2026-11-25T08:30:15.1234"})
    void aShortTimeReadsAsItsFirstInstantAndTenThousandthsAreKept(String value, String local) throws Exception {
        assertThat(Fields.instant(value, "OBR-7", ZoneId.of("America/Chicago")))
                .isEqualTo(LocalDateTime.parse(local).atZone(ZoneId.of("America/Chicago")).toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-25", "20261325", "2026112", "20261125083015.12345", "today", "20261125 0830",
            "20261125083015+05"})
    void anInvalidTimeIsUnmappableNamingTheFieldNotTheValue(String value) {
        assertThatThrownBy(() -> Fields.instant(value, "OBR-7", ZoneId.of("UTC")))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessage("OBR-7 is not a valid HL7 date/time");
    }
}
