package labops.ingress.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import labops.ingress.IngressTest;
import labops.schemas.DeadLetterHeaders;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import labops.testsupport.Eventually;
import labops.testsupport.HostileInputs;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;

/**
 * The FHIR intake as a hospital's EHR uses it, through HAPI FHIR's generic client with tokens from the real
 * tenant-service: creates and a transaction stored exactly as sent before the answer, conditional create recognised,
 * and every refusal an OperationOutcome.
 */
class FhirIntakeTest extends IngressTest {

    @org.springframework.beans.factory.annotation.Autowired
    labops.ingress.intake.AccessRefusals refusals;

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        // The first Bundle validated after start-up loads HAPI's base R4 definitions (10-12 s on a busy 2-core
        // machine); HAPI's client gives up after 10 s by default.
        FHIR.getRestfulClientFactory().setSocketTimeout(60_000);
    }

    @Test
    void eachResourceTypeInJsonOrXmlIsStoredBeforeTheAnswerUnderTheIdAnswered() throws Exception {
        String tenant = newTenant(admin());
        var client = client(tenant, "sandbox", clientToken(admin(), tenant, "sandbox"));

        var json = client.create().resource(order("PON-F1")).execute();
        client.setEncoding(EncodingEnum.XML);
        var xml = client.create().resource(order("PON-F2")).execute();

        assertThat(json.getCreated()).isTrue();
        assertThat(json.getId().getResourceType()).isEqualTo("ServiceRequest");
        var plain = post(tenant, "sandbox", clientToken(admin(), tenant, "sandbox"), "ServiceRequest",
                FHIR.newJsonParser().encodeResourceToString(order("PON-F3")));
        String id = plain.headers().firstValue("Location").orElseThrow().replaceAll(".*/ServiceRequest/", "")
                .replaceAll("/.*", "");
        assertThat(plain.body()).as("the answer says where to read what became of it")
                .contains("stored as Lab Ops message " + id,
                        "/api/tenants/" + tenant + "/environments/sandbox/messages/" + id);
        var stored = raw(json.getId().getIdPart());
        assertThat(header(stored, RawHeaders.TENANT)).isEqualTo(tenant);
        assertThat(header(stored, RawHeaders.CHANNEL)).isEqualTo("fhir-rest");
        assertThat(header(stored, RawHeaders.CONTENT_TYPE)).startsWith("application/fhir+json");
        assertThat(new String(stored.value(), StandardCharsets.UTF_8)).contains("PON-F1", "2345-7");
        client.setEncoding(EncodingEnum.JSON);
        var patient = client.create().resource(new Patient().addIdentifier(new Identifier()
                .setSystem("https://ehr.hospital.example/mrn").setValue("MRN-P1"))).execute();
        var specimen = new org.hl7.fhir.r4.model.Specimen();
        specimen.setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0487", "SER", "Serum")));
        var sample = client.create().resource(specimen).execute();
        assertThat(patient.getId().getResourceType()).isEqualTo("Patient");
        assertThat(new String(raw(patient.getId().getIdPart()).value(), StandardCharsets.UTF_8)).contains("MRN-P1");
        assertThat(sample.getId().getResourceType()).isEqualTo("Specimen");
        assertThat(new String(raw(sample.getId().getIdPart()).value(), StandardCharsets.UTF_8)).contains("SER");
        var storedXml = raw(xml.getId().getIdPart());
        assertThat(header(storedXml, RawHeaders.CONTENT_TYPE)).startsWith("application/fhir+xml");
        assertThat(new String(storedXml.value(), StandardCharsets.UTF_8)).startsWith("<ServiceRequest").contains("PON-F2");
    }

    @Test
    void aTransactionWithUrnUuidReferencesIsOneStoredMessageAnsweredEntryByEntry() {
        String tenant = newTenant(admin());
        var client = client(tenant, "sandbox", clientToken(admin(), tenant, "sandbox"));
        var bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        var patient = new Patient().addIdentifier(new Identifier().setSystem("https://ehr.hospital.example/mrn").setValue("MRN-7"));
        bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(patient).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
        var order = order("PON-T1").setSubject(new Reference(bundle.getEntryFirstRep().getFullUrl()));
        bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(order).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("ServiceRequest");

        Bundle response = client.transaction().withBundle(bundle).execute();

        assertThat(response.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
        assertThat(response.getEntry()).extracting(e -> e.getResponse().getStatus())
                .containsExactly("201 Created", "201 Created");
        String location = response.getEntry().get(1).getResponse().getLocation();
        assertThat(location).startsWith("ServiceRequest/").endsWith("-2");
        String messageId = location.substring("ServiceRequest/".length(), location.length() - 2);
        assertThat(new String(raw(messageId).value(), StandardCharsets.UTF_8)).contains("MRN-7", "PON-T1");
    }

    @Test
    void aTransactionMayReferToThePatientByIdentifier() {
        String tenant = newTenant(admin());
        var client = client(tenant, "sandbox", clientToken(admin(), tenant, "sandbox"));
        var bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(order("PON-T2").setSubject(new Reference(
                        "Patient?identifier=https://ehr.hospital.example/mrn|MRN-9")))
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("ServiceRequest");

        Bundle response = client.transaction().withBundle(bundle).execute();

        String location = response.getEntryFirstRep().getResponse().getLocation();
        String messageId = location.substring("ServiceRequest/".length(), location.length() - 2);
        var stored = raw(messageId);
        assertThat(new String(stored.value(), StandardCharsets.UTF_8)).contains("Patient?identifier=");
        assertThat(new String(stored.key(), StandardCharsets.UTF_8)).as("keyed by a hash, not the MRN")
                .startsWith(tenant + "|").doesNotContain("MRN-9");
    }

    @Test
    void aBatchAcceptsItsGoodEntriesAndAnswersTheBadOneInItsEntry() {
        String tenant = newTenant(admin());
        var client = client(tenant, "sandbox", clientToken(admin(), tenant, "sandbox"));
        var bundle = new Bundle().setType(Bundle.BundleType.BATCH);
        bundle.addEntry().setResource(order("PON-B1")).getRequest().setMethod(Bundle.HTTPVerb.POST)
                .setUrl("ServiceRequest");
        bundle.addEntry().setResource(order("PON-B2").setSubject(null)).getRequest().setMethod(Bundle.HTTPVerb.POST)
                .setUrl("ServiceRequest");
        bundle.addEntry().setResource(new Patient().addIdentifier(new Identifier()
                        .setSystem("https://ehr.hospital.example/mrn").setValue("MRN-8")))
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient")
                .setIfNoneExist("identifier=https://ehr.hospital.example/mrn|MRN-8");

        Bundle response = client.transaction().withBundle(bundle).execute();
        Bundle again = client.transaction().withBundle(bundle).execute();

        assertThat(response.getType()).isEqualTo(Bundle.BundleType.BATCHRESPONSE);
        assertThat(response.getEntry()).extracting(e -> e.getResponse().getStatus())
                .containsExactly("201 Created", "422 Unprocessable Content", "201 Created");
        var refused = (OperationOutcome) response.getEntry().get(1).getResponse().getOutcome();
        assertThat(refused.getIssue()).anySatisfy(issue -> {
            assertThat(issue.getExpression()).extracting(Object::toString).anyMatch(e -> e.contains("subject"));
            assertThat(issue.getDiagnostics()).isNotBlank();
        });
        String first = response.getEntry().get(0).getResponse().getLocation().substring("ServiceRequest/".length());
        assertThat(new String(raw(first).value(), StandardCharsets.UTF_8)).contains("PON-B1").doesNotContain("PON-B2");
        assertThat(again.getEntry().get(2).getResponse().getStatus()).as("ifNoneExist: the patient is recognised")
                .isEqualTo("200 OK");
        assertThat(again.getEntry().get(2).getResponse().getLocation())
                .isEqualTo(response.getEntry().get(2).getResponse().getLocation());
        Eventually.await("the bad entry kept for ops", Duration.ofSeconds(20), () -> KafkaTopicReader.readAll(
                        LabOpsInfrastructure.kafka().bootstrapServers(), Topics.deadLetterOf(Topics.RAW_FHIR)).stream()
                .filter(r -> header(r, RawHeaders.TENANT).equals(tenant))
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains("PON-B2")).findFirst());
    }

    @Test
    void aConditionalCreateSentTwiceIsStoredOnce() {
        String tenant = newTenant(admin());
        var client = client(tenant, "sandbox", clientToken(admin(), tenant, "sandbox"));
        String criteria = "ServiceRequest?identifier=https://ehr.hospital.example/orders|PON-C1";

        var first = client.create().resource(order("PON-C1")).conditionalByUrl(criteria).execute();
        var second = client.create().resource(order("PON-C1")).conditionalByUrl(criteria).execute();

        assertThat(first.getCreated()).isTrue();
        assertThat(second.getCreated()).as("the resend is recognised").isNotEqualTo(Boolean.TRUE);
        assertThat(second.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
        // The same criteria for another order (another priority) is not a copy: refused, named, kept.
        assertThatThrownBy(() -> client.create().resource(order("PON-C1")
                        .setPriority(ServiceRequest.ServiceRequestPriority.STAT)).conditionalByUrl(criteria).execute())
                .isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("conditional create of ServiceRequest with the same criteria was used within "
                        + "the duplicate window for other content (Lab Ops message " + first.getId().getIdPart());
        Eventually.await("one stored copy", Duration.ofSeconds(20), () -> {
            var copies = KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(), Topics.RAW_FHIR)
                    .stream().filter(r -> header(r, RawHeaders.TENANT).equals(tenant)).toList();
            return copies.size() == 1 ? java.util.Optional.of(copies) : java.util.Optional.empty();
        });
        Eventually.await("the other content kept on the DLT", Duration.ofSeconds(20), () -> KafkaTopicReader.readAll(
                        LabOpsInfrastructure.kafka().bootstrapServers(), Topics.deadLetterOf(Topics.RAW_FHIR)).stream()
                .filter(r -> header(r, RawHeaders.TENANT).equals(tenant))
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains("stat")).findFirst());
    }

    @Test
    void everyRefusalIsAnOperationOutcomeWithTheRightStatus() throws Exception {
        var admin = admin();
        String tenant = newTenant(admin);
        String other = newTenant(admin);
        String token = clientToken(admin, tenant, "sandbox");

        assertThatThrownBy(() -> client(tenant, "sandbox", token).create()
                .resource(order("PON-B1").setSubject(null)).execute())
                .isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("ServiceRequest.subject");
        assertThatThrownBy(() -> client(tenant, "sandbox", token).create()
                .resource(order("PON-B2").setCode(null)).execute())
                .isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("ServiceRequest.code is required");

        assertOutcome(post(tenant, "sandbox", token, "ServiceRequest", "{\"resourceType\": \"ServiceRequest\", \"sta"),
                400, "");
        assertOutcome(post(tenant, "sandbox", token, "Observation", "{\"resourceType\": \"Observation\"}"), 404,
                "Observation");
        String dangling = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [{"resource": %s,
                  "request": {"method": "POST", "url": "ServiceRequest"}}]}""".formatted(
                FHIR.newJsonParser().encodeResourceToString(order("PON-B4").setSubject(new Reference("urn:uuid:"
                        + UUID.randomUUID()))));
        assertOutcome(post(tenant, "sandbox", token, "", dangling), 422, "resolves to no entry of this Bundle");
        assertOutcome(post(tenant, "sandbox", token, "ServiceRequest", "{\"resourceType\": \"ServiceRequest\", "
                + "\"note\": [{\"text\": \"" + "x".repeat(10_500_000) + "\"}]}"), 413, "larger than");
        var nul = post(tenant, "sandbox", token, "Patient", "{\"resourceType\": \"Patient\", \"name\": [{\"family\": "
                + "\"Doe\\u0000\"}]}");
        assertOutcome(nul, 422, "holds control character 0x00");
        assertThat(((OperationOutcome) FHIR.newJsonParser().parseResource(nul.body())).getIssueFirstRep()
                .getExpression()).extracting(Object::toString).containsExactly("Patient.name.family");
        String valid = FHIR.newJsonParser().encodeResourceToString(order("PON-B3"));
        assertOutcome(post(tenant, "sandbox", token, "ServiceRequest", valid, "text/csv"), 415, "Content-Type");
        assertOutcome(post(tenant, "sandbox", null, "ServiceRequest", valid), 401, "bearer token");
        assertOutcome(post(tenant, "sandbox", "not-a-token", "ServiceRequest", valid), 401, "not valid");
        assertOutcome(post(other, "sandbox", token, "ServiceRequest", valid), 404, "no such FHIR base");
        assertOutcome(post(tenant, "production", token, "ServiceRequest", valid), 403, "sandbox environment");

        var kept = Eventually.await("every refusal of an admitted caller kept with its reason", Duration.ofSeconds(20),
                () -> {
                    var reasons = KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(),
                                    Topics.deadLetterOf(Topics.RAW_FHIR)).stream()
                            .filter(r -> header(r, RawHeaders.TENANT).equals(tenant))
                            .map(r -> header(r, DeadLetterHeaders.REASON)).toList();
                    return reasons.size() >= 7 ? Optional.of(reasons) : Optional.empty();
                });
        assertThat(kept).anyMatch(r -> r.contains("ServiceRequest.subject")).anyMatch(r -> r.startsWith("400 "))
                .anyMatch(r -> r.startsWith("404 ")).anyMatch(r -> r.startsWith("422 ") && r.contains("resolves to no"))
                .anyMatch(r -> r.startsWith("413 ")).anyMatch(r -> r.startsWith("415 "))
                .anyMatch(r -> r.contains("Patient.name.family: holds control character 0x00"));
        refusals.flush(); // instead of waiting for the minute they are aggregated over
        var refusedAtTheDoor = Eventually.await("turned-away callers in the tenant's audit trail", Duration.ofSeconds(20),
                () -> {
                    var details = KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(),
                                    Topics.AUDIT_DECISIONS).stream()
                            .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                            .filter(d -> d.contains("intake.access-refused") && d.contains("\"" + tenant + "\""))
                            .toList();
                    return details.size() >= 3 ? Optional.of(details) : Optional.empty();
                });
        assertThat(refusedAtTheDoor).anyMatch(d -> d.contains("401")).anyMatch(d -> d.contains("403"));
    }

    @Test
    void theCapabilityStatementSaysWhatThisBaseDoesAndWhereTokensComeFrom() {
        String tenant = newTenant(admin());

        var capabilities = client(tenant, "sandbox", null).capabilities().ofType(CapabilityStatement.class).execute();

        var rest = capabilities.getRestFirstRep();
        assertThat(rest.getResource()).filteredOn(r -> !r.getType().equals("OperationDefinition"))
                .extracting(r -> r.getType() + " " + r.getInteraction().stream().map(i -> i.getCode().toCode()).toList())
                .containsExactlyInAnyOrder("ServiceRequest [create]", "Patient [create]", "Specimen [create]");
        assertThat(rest.getInteraction()).extracting(i -> i.getCode().toCode()).contains("transaction", "batch");
        assertThat(rest.getSecurity().getExtensionByUrl(
                "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris").getExtensionString("token"))
                .endsWith("/oauth2/token");
    }

    private IGenericClient client(String tenant, String environment, String token) {
        var client = FHIR.newRestfulGenericClient(base(tenant, environment));
        if (token != null) {
            client.registerInterceptor(new BearerTokenAuthInterceptor(token));
        }
        return client;
    }

    private String base(String tenant, String environment) {
        return "http://127.0.0.1:" + port + "/fhir/" + tenant + "/" + environment;
    }

    /**
     * The hostile-input suite over HTTP: the sample transaction truncated, spliced, with control and delimiter bytes,
     * huge fields, or random bytes (CI sends {@code labops.fuzz.http}, default 60). Every answer is below 500 and an
     * OperationOutcome without a stack trace, and an ordinary order is taken afterwards.
     */
    @Test
    void hostileBodiesAreAnsweredWithoutA5xxOrAStackTraceAndTheIntakeGoesOn() throws Exception {
        String tenant = newTenant(admin());
        String token = clientToken(admin(), tenant, "sandbox");
        byte[] sample = Files.readAllBytes(Path.of("..", "samples", "fhir-transaction.json"));

        HostileInputs.mutationsOf(sample).sampleStream().limit(Integer.getInteger("labops.fuzz.http", 60))
                .forEach(body -> {
                    String text = new String(body, StandardCharsets.UTF_8);
                    try {
                        var answer = post(tenant, "sandbox", token, "", text);
                        assertThat(answer.statusCode()).as("answer %s to %s", answer.body(), preview(text))
                                .isBetween(200, 499);
                        assertThat(answer.body()).as(preview(text)).contains("OperationOutcome")
                                .doesNotContain("at ca.uhn", "at labops.", "Exception");
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });

        var ordinary = client(tenant, "sandbox", token).create().resource(order("PON-F1")).execute();
        assertThat(ordinary.getCreated()).isTrue();
    }

    private static String preview(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }

    private HttpResponse<String> post(String tenant, String environment, String token, String type, String body)
            throws Exception {
        return post(tenant, environment, token, type, body, "application/fhir+json");
    }

    private HttpResponse<String> post(String tenant, String environment, String token, String type, String body,
                                      String contentType) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(base(tenant, environment) + "/" + type))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertOutcome(HttpResponse<String> answer, int status, String diagnostics) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        var outcome = (OperationOutcome) FHIR.newJsonParser().parseResource(answer.body());
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains(diagnostics);
        assertThat(answer.body()).doesNotContain("at ca.uhn", "at labops.", "Exception");
    }

    private static ServiceRequest order(String placer) {
        var order = new ServiceRequest();
        order.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        order.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        order.addIdentifier(new Identifier().setSystem("https://ehr.hospital.example/orders").setValue(placer));
        order.setCode(new CodeableConcept(new Coding("http://loinc.org", "2345-7", "Glucose")));
        order.setSubject(new Reference().setIdentifier(new Identifier().setSystem("https://ehr.hospital.example/mrn").setValue("MRN-7")));
        return order;
    }

    private static ConsumerRecord<byte[], byte[]> raw(String messageId) {
        return Eventually.await("raw FHIR message " + messageId, Duration.ofSeconds(20), () ->
                KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(), Topics.RAW_FHIR).stream()
                        .filter(r -> header(r, RawHeaders.MESSAGE_ID).equals(messageId)).findFirst());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
