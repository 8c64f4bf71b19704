package labops.normalizer.fhir;

import java.util.HashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Specimen;

/**
 * The resources a reference may point at within one message: a Bundle's entries by fullUrl and by {@code Type/id},
 * and the referring resource's contained ones. A reference to anything else (the hospital's own server) is not
 * followed: an order then carries what the reference itself says (its identifier).
 */
final class Resources {

    private final Map<String, Resource> byReference = new HashMap<>();

    Resources(Bundle bundle) {
        if (bundle != null) {
            for (var entry : bundle.getEntry()) {
                if (entry.hasResource()) {
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
        Resource found = byReference.get(target);
        return type.isInstance(found) ? type.cast(found) : null;
    }
}
