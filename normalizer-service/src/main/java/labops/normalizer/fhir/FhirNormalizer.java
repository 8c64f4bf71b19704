package labops.normalizer.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import labops.normalizer.raw.EventContext;
import labops.events.EventSource;
import labops.events.SourceFormat;
import labops.normalizer.profile.MappingProfile;
import labops.normalizer.profile.ProfileMapping;
import labops.normalizer.raw.CanonicalEvent;
import labops.normalizer.raw.RawMessageNormalizer;
import labops.normalizer.raw.RawRecord;
import labops.normalizer.raw.UnmappableMessageException;
import labops.schemas.topic.Topics;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.springframework.stereotype.Component;

/**
 * FHIR R4 as ingress stored it (JSON or XML, exactly as sent): a Patient to a {@code PatientEvent}; a ServiceRequest
 * to a {@code LabOrderEvent} (and a {@code PatientEvent} when its patient travels with it); a transaction Bundle to
 * the events of its entries, references resolved by fullUrl ({@code urn:uuid:}), by {@code Type/id} within the
 * Bundle, to contained resources, or by identifier.
 */
@Component
class FhirNormalizer implements RawMessageNormalizer {

    private final FhirContext fhir = FhirContext.forR4Cached();

    @Override
    public String topic() {
        return Topics.RAW_FHIR;
    }

    @Override
    public List<CanonicalEvent> normalize(RawRecord raw, MappingProfile profile) throws UnmappableMessageException {
        IBaseResource resource = parse(raw.payload());
        var context = new EventContext<>(raw, source(raw, resource, profile), raw.receivedAt(),
                new ProfileMapping(profile));
        var resources = new Resources(resource instanceof Bundle bundle ? bundle : null);
        var events = new ArrayList<CanonicalEvent>();
        if (resource instanceof Bundle bundle) {
            int patients = 0;
            int orders = 0;
            for (var entry : bundle.getEntry()) {
                if (entry.getResource() instanceof Patient patient) {
                    events.add(FhirPatientMapper.map(patient, "patient-" + ++patients, context));
                } else if (entry.getResource() instanceof ServiceRequest order) {
                    events.add(FhirOrderMapper.map(order, ++orders, resources, context));
                }
            }
            if (orders == 0 && patients == 0) {
                throw new UnmappableMessageException("Bundle.entry holds no ServiceRequest or Patient");
            }
        } else if (resource instanceof Patient patient) {
            events.add(FhirPatientMapper.map(patient, "patient-1", context));
        } else if (resource instanceof ServiceRequest order) {
            Patient patient = resources.patient(order);
            if (patient != null) {
                events.add(FhirPatientMapper.map(patient, "patient-1", context));
            }
            events.add(FhirOrderMapper.map(order, 1, resources, context));
        } else {
            throw new UnmappableMessageException(resource.fhirType() + " on its own makes no order or patient: send "
                    + "it in a transaction Bundle with its ServiceRequest");
        }
        return events;
    }

    private IBaseResource parse(byte[] payload) throws UnmappableMessageException {
        String text = new String(payload, StandardCharsets.UTF_8).strip();
        IParser parser = text.startsWith("<") ? fhir.newXmlParser() : fhir.newJsonParser();
        try {
            return parser.parseResource(text);
        } catch (DataFormatException e) {
            throw new UnmappableMessageException("FHIR resource cannot be parsed as R4 "
                    + (text.startsWith("<") ? "XML" : "JSON"));
        }
    }

    private static EventSource source(RawRecord raw, IBaseResource resource, MappingProfile profile) {
        String id = resource instanceof Resource r && r.hasIdElement() ? r.getIdElement().getIdPart() : null;
        return EventSource.newBuilder()
                .setFormat(SourceFormat.FHIR)
                .setChannel(raw.channel())
                .setOriginalMessageId(id)
                .setRawMessageId(raw.messageId())
                .setSender(raw.senderAddress())
                .setReceivedAt(raw.receivedAt())
                .setMappingProfileVersion(profile.version())
                .build();
    }
}
