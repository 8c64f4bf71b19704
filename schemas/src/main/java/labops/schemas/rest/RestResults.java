package labops.schemas.rest;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * The REST JSON result format: what a small lab's system (or a person on the result-review page) posts to
 * {@code /api/results/{tenant}/{environment}}, one result or many. Validated and stored like orders, each result
 * its own raw message; the normalizer makes each a {@code LabResultEvent}, released under the tenant's policy like
 * any other.
 */
@Schema(description = "One or more lab results.")
public record RestResults(
        @Schema(description = "The results, each for one order (at most 1,000 per request).")
        @NotEmpty @Size(max = 1000) List<@NotNull @Valid Result> results) {

    /** The content type each result is stored with on {@code labops.raw.rest}, which REST orders share. */
    public static final String CONTENT_TYPE = "application/vnd.labops.results+json";

    /** The results of one order for one patient. */
    @Schema(description = "The results of one order for one patient.")
    public record Result(
            @Schema(description = "The hospital's order number (the placer order number) these results answer.",
                    example = "PON-2026-0042")
            @NotBlank @Size(max = 64) String orderNumber,
            @Schema(description = "Who assigns the order numbers.", example = "https://lis.small-lab.example/orders")
            @Size(max = 200) String orderNumberSystem,
            @Schema(description = "preliminary, final, corrected or cancelled; final when left out.",
                    allowableValues = {"preliminary", "final", "corrected", "cancelled"}, example = "final")
            @Pattern(regexp = "preliminary|final|corrected|cancelled",
                    message = "must be preliminary, final, corrected or cancelled") String status,
            @Schema(description = "When the lab issued the results (ISO 8601 instant).", example = "2026-11-25T11:30:00Z")
            Instant issuedAt,
            @NotNull @Valid Patient patient,
            @Schema(description = "What was measured.") @NotEmpty @Size(max = 100) List<@NotNull @Valid Observation> observations,
            @Schema(description = "Free-text comments on the results.") @Size(max = 20) List<@Size(max = 2000) String> notes) {
    }

    @Schema(description = "The patient, found by medical record number.")
    public record Patient(
            @Schema(example = "MRN-12345") @NotBlank @Size(max = 64) String mrn,
            @Schema(example = "https://lis.small-lab.example/mrn") @Size(max = 200) String mrnSystem) {
    }

    @Schema(description = "One measurement.")
    public record Observation(
            @Schema(example = "2345-7") @NotBlank @Size(max = 40) String code,
            @Schema(description = "http://loinc.org for LOINC; anything else is your own code system.",
                    example = "http://loinc.org") @Size(max = 200) String system,
            @Schema(example = "Glucose [Mass/volume] in Serum or Plasma") @Size(max = 200) String display,
            @Schema(description = "The value: a number, or text.", example = "182") @NotBlank @Size(max = 200) String value,
            @Schema(description = "UCUM unit of a numeric value.", example = "mg/dL") @Size(max = 40) String unit,
            @Schema(description = "The reference range as low-high, or text.", example = "70-99") @Size(max = 60)
            String referenceRange,
            @Schema(description = "How the value compares with its range.", allowableValues = {"normal", "low",
                    "high", "critical-low", "critical-high", "abnormal"}, example = "high")
            @Pattern(regexp = "normal|low|high|critical-low|critical-high|abnormal",
                    message = "must be normal, low, high, critical-low, critical-high or abnormal") String interpretation,
            @Schema(description = "When it was measured.", example = "2026-11-25T11:05:00Z") Instant observedAt) {
    }
}
