package labops.normalizer.fhir;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Specimen;

/**
 * The resources a reference may point at within one message: a Bundle's entries by fullUrl, by {@code Type/id} and
 * (a patient) by identifier, and the referring resource's contained ones. A reference to anything else (the hospital's own server) is not
 * followed: an order then carries what the reference itself says (its identifier).
 */
final class Resources {

    private static final String BY_IDENTIFIER = "Patient?identifier=";

    private final Map<String, Resource> byReference = new HashMap<>();
    private final List<Resource> entries = new ArrayList<>();

    Resources(Bundle bundle) {
        if (bundle != null) {
            for (var entry : bundle.getEntry()) {
                if (entry.hasResource()) {
                    entries.add(entry.getResource());
                    if (entry.hasFullUrl()) {
                        byReference.put(entry.getFullUrl(), entry.getResource());
                    }
                    var id = entry.getResource().getIdElement();
                    if (id.hasIdPart()) {
                        byReference.put(entry.getResource().fhirType() + "/" + id.getIdPart(), entry.getResource());
                    }
                }
            }
        }
    }

    Patient patient(ServiceRequest order) {
        return resolve(order, order.getSubject(), Patient.class);
    }

    Specimen specimen(ServiceRequest order) {
        return order.hasSpecimen() ? resolve(order, order.getSpecimenFirstRep(), Specimen.class) : null;
    }

    private <T extends Resource> T resolve(DomainResource from, Reference reference, Class<T> type) {
        if (reference == null || !reference.hasReference()) {
            return null;
        }
        String target = reference.getReference();
        if (target.startsWith("#")) {
            for (Resource contained : from.getContained()) {
                if (type.isInstance(contained) && target.substring(1).equals(contained.getIdElement().getIdPart())) {
                    return type.cast(contained);
                }
            }
            return null;
        }
        var byIdentifier = identifier(reference);
        if (byIdentifier != null) {
            return entries.stream().filter(type::isInstance).map(type::cast)
                    .filter(candidate -> candidate instanceof Patient patient && patient.getIdentifier().stream()
                            .anyMatch(i -> byIdentifier.getValue().equals(i.getValue())
                                    && Objects.equals(byIdentifier.getSystem(), i.getSystem())))
                    .findFirst().orElse(null);
        }
        Resource found = byReference.get(target);
        return type.isInstance(found) ? type.cast(found) : null;
    }

    /**
     * The identifier a reference names: its own {@code identifier}, or the criteria of a conditional reference
     * ({@code Patient?identifier=system|value}, as transaction Bundles use); null when it names none.
     */
    static Identifier identifier(Reference reference) {
        if (reference.hasIdentifier() && reference.getIdentifier().hasValue()) {
            return reference.getIdentifier();
        }
        String target = reference.getReference();
        if (target == null || !target.startsWith(BY_IDENTIFIER)) {
            return null;
        }
        String criteria = URLDecoder.decode(target.substring(BY_IDENTIFIER.length()), StandardCharsets.UTF_8);
        int bar = criteria.indexOf('|');
        return bar < 0 ? new Identifier().setValue(criteria)
                : new Identifier().setSystem(bar == 0 ? null : criteria.substring(0, bar))
                        .setValue(criteria.substring(bar + 1));
    }
}
