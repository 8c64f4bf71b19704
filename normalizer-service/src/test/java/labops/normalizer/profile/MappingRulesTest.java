package labops.normalizer.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A profile is checked before it is saved, and the fields it names are read from the message text. */
class MappingRulesTest {

    @Test
    void everyProblemIsNamedByItsRule() {
        var rules = new MappingRules(
                List.of(new MappingRules.TestCode("GLU", "2345-7", "Glucose"),
                        new MappingRules.TestCode("GLU", "2345-7", "again"),
                        new MappingRules.TestCode("K", "2823-4", "Potassium, mistyped"),
                        new MappingRules.TestCode("NA SERUM", "glucose", null)),
                MappingRules.UnknownTestCodes.DEAD_LETTER,
                List.of(new MappingRules.PriorityCode("1", "STAT"), new MappingRules.PriorityCode("2", "SOON")),
                new MappingRules.Mrn(null, "HOSP"),
                new MappingRules.Code("", null),
                new MappingRules.HomeCollection("ZHC1", "Y", null, "ZHC-2", null));

        assertThat(rules.problems()).containsExactly(
                "testCodes[1].local: GLU is mapped twice",
                "testCodes[2].loinc: 2823-4 fails the LOINC check digit",
                "testCodes[3].local: a local code is 1-64 characters without spaces or HL7 delimiters",
                "testCodes[3].loinc: a LOINC code looks like 2345-7",
                "priorities[1].priority: one of [ROUTINE, URGENT, ASAP, STAT, UNSPECIFIED]",
                "mrn.identifierType: the CX-5 identifier type, e.g. MR",
                "defaultSpecimen.code: an HL7 table 0487 specimen type, e.g. BLD",
                "homeCollection.field: a segment and field like ZHC-1 or PV1-3.1");
    }

    @Test
    void validRulesHaveNoProblemsAndAbsentListsAreEmpty() {
        var rules = new MappingRules(List.of(new MappingRules.TestCode("GLU", "2345-7", "Glucose")), null, null,
                new MappingRules.Mrn("MR", null), new MappingRules.Code("BLD", "Whole blood"),
                new MappingRules.HomeCollection(null, null, List.of("HOME"), null, null));

        assertThat(rules.problems()).isEmpty();
        assertThat(rules.priorities()).isEmpty();
        assertThat(rules.unknownTestCodes()).isEqualTo(MappingRules.UnknownTestCodes.KEEP);
        assertThat(MappingRules.NONE.problems()).isEmpty();
    }

    @Test
    void loincCheckDigits() {
        assertThat(List.of("2345-7", "718-7", "2823-3", "4548-4", "94500-6"))
                .allMatch(MappingRules::loincCheckDigitHolds);
        assertThat(List.of("2345-8", "718-1", "2823-4")).noneMatch(MappingRules::loincCheckDigitHolds);
    }

    @Test
    void fieldPathsReadZSegmentsComponentsAndMsh() {
        String message = "MSH|^~\\&|EHR|HOSP|LABOPS|LAB|20261125083000||ORM^O01|M1|P|2.3\r"
                + "PV1|1|O|HOME^^^WARD\r"
                + "ZHC|Y|20261126080000~20261127080000| |ward 4\\S\\east\\T\\b|\\X0D\\\r";

        assertThat(FieldPath.parse("ZHC-1").read(message)).isEqualTo("Y");
        assertThat(FieldPath.parse("ZHC-2").read(message)).as("first repetition").isEqualTo("20261126080000");
        assertThat(FieldPath.parse("ZHC-3").read(message)).as("blank is absent").isNull();
        assertThat(FieldPath.parse("ZHC-4").read(message)).as("escapes decoded, as HAPI decodes other fields")
                .isEqualTo("ward 4^east&b");
        assertThat(FieldPath.parse("ZHC-5").read(message)).as("hexadecimal data kept as sent").isEqualTo("\\X0D\\");
        assertThat(FieldPath.parse("ZHC-9").read(message)).isNull();
        assertThat(FieldPath.parse("PV1-3").read(message)).isEqualTo("HOME");
        assertThat(FieldPath.parse("PV1-3.4").read(message)).isEqualTo("WARD");
        assertThat(FieldPath.parse("MSH-9.2").read(message)).isEqualTo("O01");
        assertThat(FieldPath.parse("MSH-10").read(message)).isEqualTo("M1");
        assertThat(FieldPath.parse("ZXX-1").read(message)).isNull();
        assertThat(List.of("ZHC", "zhc-1", "ZHC-0", "ZHC-1.x", "Z-1")).allMatch(text -> FieldPath.parse(text) == null);
    }
}
