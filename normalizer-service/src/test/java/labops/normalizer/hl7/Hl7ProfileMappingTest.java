package labops.normalizer.hl7;

import static labops.normalizer.hl7.Hl7TestMessages.raw;
import static labops.normalizer.hl7.Hl7TestMessages.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import labops.events.CodedConcept;
import labops.events.CollectionType;
import labops.events.EventSource;
import labops.events.LabOrderEvent;
import labops.events.LabResultEvent;
import labops.events.OrderPriority;
import labops.events.PatientEvent;
import labops.normalizer.profile.MappingProfile;
import labops.normalizer.profile.MappingRules;
import labops.normalizer.raw.CanonicalEvent;
import labops.normalizer.raw.UnmappableMessageException;
import org.junit.jupiter.api.Test;

/** A tenant's mapping profile applied to real messages: each rule changes exactly what it says. */
class Hl7ProfileMappingTest {

    private static final String ORDER = "MSH|^~\\&|EHR|HOSP|LABOPS|LAB|20261125083000||ORM^O01|M-1|P|2.3\r"
            + "PID|1||4711^^^HOSP^PI~MRN-9^^^HOSP^MR||DOE^JANE||19700101|F|||1 Elm St^^Springfield^IL^62701\r"
            + "PV1|1|O|CLINIC\r"
            + "ORC|NW|PON-1^EHR|||||^^^^^1||20261125082500\r"
            + "OBR|1|PON-1^EHR||GLU^Glucose fasting^L\r"
            + "ZHC|Y|20261126080000|20261126120000\r";

    private final Hl7Normalizer normalizer = new Hl7Normalizer();

    @Test
    void theStandardMappingAloneIsVersionZeroOnEveryEvent() throws Exception {
        List<CanonicalEvent> events = normalizer.normalize(raw(ORDER));

        assertThat(events).hasSize(2).allSatisfy(event -> assertThat(source(event).getMappingProfileVersion()).isZero());
        var order = order(events);
        assertThat(order.getTests()).containsExactly(new CodedConcept("GLU", "L", "Glucose fasting"));
        assertThat(order.getPriority()).isEqualTo(OrderPriority.UNSPECIFIED);
        assertThat(order.getSpecimen()).isNull();
        assertThat(order.getCollection().getMode()).isEqualTo(CollectionType.IN_LAB);
        assertThat(order.getPatient().getIdentifiers().get(0).getValue()).isEqualTo("4711");
    }

    @Test
    void everyRuleAppliesAndEveryEventNamesTheVersion() throws Exception {
        var profile = profile(7, new MappingRules(
                List.of(new MappingRules.TestCode("GLU", "1558-6", "Fasting glucose [Mass/volume] in Serum or Plasma")),
                MappingRules.UnknownTestCodes.DEAD_LETTER,
                List.of(new MappingRules.PriorityCode("1", "STAT")),
                new MappingRules.Mrn("MR", "HOSP"),
                new MappingRules.Code("BLD", "Whole blood"),
                new MappingRules.HomeCollection("ZHC-1", "Y", null, "ZHC-2", "ZHC-3")));

        List<CanonicalEvent> events = normalizer.normalize(raw(ORDER), profile);

        var patient = (PatientEvent) events.get(0).value();
        assertThat(patient.getSource().getMappingProfileVersion()).isEqualTo(7);
        assertThat(patient.getIdentifiers()).extracting(i -> i.getValue()).containsExactly("MRN-9", "4711");
        var order = order(events);
        assertThat(order.getSource().getMappingProfileVersion()).isEqualTo(7);
        assertThat(order.getTests()).containsExactly(new CodedConcept("1558-6", "http://loinc.org",
                "Fasting glucose [Mass/volume] in Serum or Plasma"));
        assertThat(order.getPriority()).isEqualTo(OrderPriority.STAT);
        assertThat(order.getSpecimen().getType()).isEqualTo(new CodedConcept("BLD",
                "http://terminology.hl7.org/CodeSystem/v2-0487", "Whole blood"));
        assertThat(order.getPatient().getIdentifiers().get(0).getValue()).isEqualTo("MRN-9");
        var collection = order.getCollection();
        assertThat(collection.getMode()).isEqualTo(CollectionType.HOME_COLLECTION);
        assertThat(collection.getAddress().getLines()).containsExactly("1 Elm St");
        assertThat(collection.getAddress().getPostalCode()).isEqualTo("62701");
        assertThat(collection.getWindowStart()).isEqualTo(Fields.instant("20261126080000", "ZHC-2", java.time.ZoneOffset.UTC));
        assertThat(collection.getWindowEnd()).isEqualTo(Fields.instant("20261126120000", "ZHC-3", java.time.ZoneOffset.UTC));
    }

    @Test
    void aSpecimenTheOrderNamesIsKeptAndLoincStaysLoinc() throws Exception {
        var profile = profile(2, new MappingRules(List.of(), MappingRules.UnknownTestCodes.DEAD_LETTER, List.of(), null,
                new MappingRules.Code("BLD", "Whole blood"), null));

        var order = order(normalizer.normalize(raw(sample("orm-o01-v23.hl7")), profile));

        assertThat(order.getSpecimen().getType().getCode()).isEqualTo("SER");
        assertThat(order.getTests().get(0).getCode()).isEqualTo("2345-7");
        assertThat(order.getPriority()).as("HL7's own table still applies").isEqualTo(OrderPriority.ROUTINE);
    }

    @Test
    void homeCollectionByPatientLocationAndNotWhenTheSignalDiffers() throws Exception {
        var byLocation = profile(3, rulesWithHome(new MappingRules.HomeCollection(null, null, List.of("CLINIC"), null,
                null)));
        var otherValue = profile(3, rulesWithHome(new MappingRules.HomeCollection("ZHC-1", "N", List.of("HOME"), null,
                null)));

        assertThat(order(normalizer.normalize(raw(ORDER), byLocation)).getCollection().getMode())
                .isEqualTo(CollectionType.HOME_COLLECTION);
        assertThat(order(normalizer.normalize(raw(ORDER), otherValue)).getCollection().getMode())
                .isEqualTo(CollectionType.IN_LAB);
    }

    @Test
    void unmappableUnderTheProfileNamesTheFieldAndVersion() {
        var strict = profile(4, new MappingRules(List.of(), MappingRules.UnknownTestCodes.DEAD_LETTER, List.of(), null,
                null, null));
        var mrn = profile(5, new MappingRules(List.of(), null, List.of(), new MappingRules.Mrn("MR", "OTHER"), null,
                null));

        assertThatThrownBy(() -> normalizer.normalize(raw(ORDER), strict))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessage("OBR-4.1 (order group 1) test code GLU is not in the mapping profile (version 4)");
        assertThatThrownBy(() -> normalizer.normalize(raw(ORDER), mrn))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessage("PID-3 has no identifier of type MR assigned by OTHER, the MRN in the mapping profile "
                        + "(version 5)")
                .message().doesNotContain("4711", "MRN-9");
    }

    @Test
    void resultObservationCodesMapButAreNeverRefused() throws Exception {
        String result = sample("oru-r01.hl7").replace("|NM|2345-7^Glucose [Mass/volume] in Serum or Plasma^LN|",
                "|NM|GLU^Glucose^L|");
        String unknown = sample("oru-r01.hl7").replace("|NM|2345-7^Glucose [Mass/volume] in Serum or Plasma^LN|",
                "|NM|XYZ^Something^L|");
        var profile = profile(6, new MappingRules(List.of(new MappingRules.TestCode("GLU", "2345-7", null)),
                MappingRules.UnknownTestCodes.DEAD_LETTER, List.of(), null, null, null));

        var mapped = (LabResultEvent) normalizer.normalize(raw(result), profile).get(0).value();
        var kept = (LabResultEvent) normalizer.normalize(raw(unknown), profile).get(0).value();

        assertThat(mapped.getObservations().get(0).getCode())
                .isEqualTo(new CodedConcept("2345-7", "http://loinc.org", "Glucose"));
        assertThat(mapped.getSource().getMappingProfileVersion()).isEqualTo(6);
        assertThat(kept.getObservations().get(0).getCode().getCode()).isEqualTo("XYZ");
    }

    @Test
    void timesWithoutAnOffsetAreReadInTheTenantsTimeZoneAndUtcWithoutOneNeverTheServers() throws Exception {
        var chicago = profile(8, new MappingRules(List.of(), null, List.of(), null, null,
                new MappingRules.HomeCollection("ZHC-1", "Y", null, "ZHC-2", "ZHC-3"), "America/Chicago"));
        var inChicago = order(normalizer.normalize(raw(ORDER), chicago));
        assertThat(inChicago.getOrderedAt()).isEqualTo(Instant.parse("2026-11-25T14:25:00Z"));
        assertThat(inChicago.getCollection().getWindowStart()).isEqualTo(Instant.parse("2026-11-26T14:00:00Z"));

        var unset = order(normalizer.normalize(raw(ORDER)));
        assertThat(unset.getOrderedAt()).isEqualTo(Instant.parse("2026-11-25T08:25:00Z"));
        var withOffset = order(normalizer.normalize(raw(ORDER.replace("||20261125082500", "||20261125082500+0100")),
                chicago));
        assertThat(withOffset.getOrderedAt()).as("an offset sent wins").isEqualTo(Instant.parse("2026-11-25T07:25:00Z"));

        assertThat(new MappingRules(List.of(), null, List.of(), null, null, null, "Mars/Olympus").problems())
                .containsExactly("timeZone: Mars/Olympus is not a time zone: use an IANA name such as America/Chicago "
                        + "or Europe/Berlin");
    }

    private static EventSource source(CanonicalEvent event) {
        return (EventSource) event.value().get(event.value().getSchema().getField("source").pos());
    }

    private static MappingRules rulesWithHome(MappingRules.HomeCollection home) {
        return new MappingRules(List.of(), null, List.of(), null, null, home);
    }

    private static MappingProfile profile(int version, MappingRules rules) {
        assertThat(rules.problems()).isEmpty();
        return new MappingProfile(version, Instant.now(), "tester", rules);
    }

    private static LabOrderEvent order(List<CanonicalEvent> events) {
        return (LabOrderEvent) events.stream().filter(e -> e.value() instanceof LabOrderEvent).findFirst()
                .orElseThrow().value();
    }
}
