package labops.schemas.rest;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The REST JSON order format: what a lab's own system posts to {@code /api/orders/{tenant}/{environment}}, one order
 * or many. Ingress validates it (Bean Validation, every failing field named by JSON Pointer) and stores each order as
 * its own raw message; the normalizer reads the same records. Local codes (tests, priorities) go through the tenant's
 * mapping profile like HL7 and FHIR codes.
 */
@Schema(description = "One or more lab orders.")
public record RestOrders(
        @Schema(description = "The orders, each stored and normalized on its own (at most 1,000 per request).")
        @NotEmpty @Size(max = 1000) List<@NotNull @Valid Order> orders) {

    /** One lab order for one patient. */
    @Schema(description = "One lab order for one patient.")
    public record Order(
            @Schema(description = "Your order number (the placer order number); one order per number.",
                    example = "PON-2026-0042")
            @NotBlank @Size(max = 64) String orderNumber,
            @Schema(description = "Who assigns your order numbers, e.g. a URL of your system.",
                    example = "https://lis.small-lab.example/orders")
            @Size(max = 200) String orderNumberSystem,
            @Schema(description = "What this message does to the order; new when left out.",
                    allowableValues = {"new", "update", "cancel", "hold", "resume"}, example = "new")
            @Pattern(regexp = "new|update|cancel|hold|resume", message = "must be new, update, cancel, hold or resume")
            String action,
            @Schema(description = "routine, urgent, asap or stat, or a priority code of yours in your mapping profile.",
                    example = "stat")
            @Size(max = 20) String priority,
            @Schema(description = "When the order was placed (ISO 8601 instant).", example = "2026-11-25T08:25:00Z")
            Instant orderedAt,
            @Valid Provider orderingProvider,
            @Schema(description = "The tests ordered: LOINC, or your own codes mapped in your mapping profile.")
            @NotEmpty @Size(max = 50) List<@NotNull @Valid Test> tests,
            @Valid Specimen specimen,
            @Schema(description = "Free-text notes for the lab.") @Size(max = 20) List<@Size(max = 2000) String> notes,
            @NotNull @Valid Patient patient,
            @Schema(description = "Set when the sample is to be collected at the patient's home.")
            @Valid HomeCollection homeCollection) {
    }

    @Schema(description = "A test: a LOINC code, or your own code.")
    public record Test(
            @Schema(example = "2345-7") @NotBlank @Size(max = 40) String code,
            @Schema(description = "http://loinc.org for LOINC; anything else is your own code system.",
                    example = "http://loinc.org") @Size(max = 200) String system,
            @Schema(example = "Glucose [Mass/volume] in Serum or Plasma") @Size(max = 200) String display) {
    }

    @Schema(description = "The patient, found by medical record number.")
    public record Patient(
            @Schema(description = "Medical record number.", example = "MRN-12345") @NotBlank @Size(max = 64) String mrn,
            @Schema(description = "Who assigns the MRN.", example = "https://lis.small-lab.example/mrn")
            @Size(max = 200) String mrnSystem,
            @Schema(example = "Doe") @Size(max = 100) String family,
            @Schema(example = "[\"Jane\"]") @Size(max = 5) List<@Size(max = 100) String> given,
            @Schema(example = "1970-01-01") LocalDate birthDate,
            @Schema(allowableValues = {"female", "male", "other", "unknown"})
            @Pattern(regexp = "female|male|other|unknown", message = "must be female, male, other or unknown") String sex,
            @Schema(example = "+1 555 0100") @Size(max = 40) String phone,
            @Email @Size(max = 200) String email,
            @Valid Address address) {
    }

    @Schema(description = "The practitioner who ordered the tests.")
    public record Provider(
            @Schema(example = "1234567893") @NotBlank @Size(max = 64) String id,
            @Schema(example = "http://hl7.org/fhir/sid/us-npi") @Size(max = 200) String system,
            @Schema(example = "House") @Size(max = 100) String family,
            @Schema(example = "Greg") @Size(max = 100) String given) {
    }

    @Schema(description = "The specimen, when already known.")
    public record Specimen(
            @Schema(description = "HL7 table 0487 code.", example = "SER") @Size(max = 20) String type,
            @Schema(example = "2026-11-25T08:15:00Z") Instant collectedAt) {
    }

    public record Address(
            @Size(max = 4) List<@Size(max = 200) String> lines,
            @Size(max = 100) String city,
            @Size(max = 100) String state,
            @Size(max = 20) String postalCode,
            @Size(max = 100) String country) {
    }

    @Schema(description = "Collection at home: at this address, else the patient's, within the window.")
    public record HomeCollection(
            @Valid Address address,
            @Schema(example = "2026-11-26T08:00:00Z") Instant windowStart,
            @Schema(example = "2026-11-26T12:00:00Z") Instant windowEnd) {
    }
}
