package labops.ingress.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirDefaultPolicyAdvisor;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r5.conformance.profile.ProfileUtilities;
import org.hl7.fhir.r5.elementmodel.JsonParser;
import org.hl7.fhir.r5.elementmodel.ParserBase;
import org.hl7.fhir.r5.elementmodel.ValidatedFragment;
import org.hl7.fhir.r5.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;

/**
 * HAPI's validator against base R4 (the core {@link InstanceValidator}, set up as HAPI's {@code FhirInstanceValidator}
 * sets it up), shared across requests so that it holds under load.
 *
 * <p>Why not {@code FhirInstanceValidator} itself: it builds a new InstanceValidator for every resource, and each
 * constructor reads the OID registry CSV again, about half of a Bundle's validation CPU and megabytes of garbage per
 * request (eight clients ran a 512 MB heap out of memory). Here one validation support chain and one worker context
 * (structure definitions, snapshots, terminology, all cached) serve a fixed number of InstanceValidators, each reused
 * for a bounded number of resources and then replaced, because an InstanceValidator keeps every resource it validated.
 * That number of validators is also how many validations run at once: a request finding none free within the wait gets
 * 503 with Retry-After, so the memory validation takes is bounded however many requests arrive.
 */
final class FhirValidation {

    /**
     * Resources (or, for large ones, their bytes) one InstanceValidator validates before it is replaced: building one
     * costs what about a hundred small Bundles' validations cost, and what it keeps of each stays below ~50 times the
     * resource's size.
     */
    private static final int USES = 256;
    private static final long BYTES = 512 << 10;

    private final FhirContext fhir;
    private final WorkerContextValidationSupportAdapter context;
    private final BlockingQueue<Validator> idle;
    private final Duration wait;

    /**
     * @param validators how many validations may run at once (and InstanceValidators are kept)
     * @param wait       how long a request waits for one before it is answered 503
     */
    FhirValidation(FhirContext fhir, int validators, Duration wait) {
        this.fhir = fhir;
        this.wait = wait;
        var support = new ValidationSupportChain(new DefaultProfileValidationSupport(fhir),
                new SnapshotGeneratingValidationSupport(fhir), new InMemoryTerminologyServerValidationSupport(fhir),
                new CommonCodeSystemsTerminologyService(fhir));
        this.context = WorkerContextValidationSupportAdapter.newVersionSpecificWorkerContextWrapper(support);
        this.idle = new ArrayBlockingQueue<>(validators);
        for (int i = 0; i < validators; i++) {
            idle.add(new Validator());
        }
    }

    /**
     * The errors (and fatal errors) base R4 finds in {@code resource}, as HAPI's validator reports them: in the JSON
     * it was sent as when there is one (what is stored is what is checked), else in HAPI's JSON of it.
     *
     * @throws FhirIntake.Unavailable when no validator became free within the wait
     */
    List<SingleValidationMessage> problems(IBaseResource resource, byte[] sentJson) {
        byte[] json = sentJson != null ? sentJson
                : fhir.newJsonParser().encodeResourceToString(resource).getBytes(StandardCharsets.UTF_8);
        Validator validator;
        try {
            validator = idle.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            validator = null;
        }
        if (validator == null) {
            throw new FhirIntake.Unavailable("every validator is busy; nothing was stored, resend later");
        }
        try {
            return validator.validate(json).stream()
                    .filter(m -> m.getLevel() != null && m.getLevel().isError())
                    .filter(FhirValidation::reported)
                    .map(FhirValidation::hapi)
                    .toList();
        } finally {
            idle.add(validator.used(json.length) ? validator : new Validator());
        }
    }

    /** What HAPI's own wrapper leaves out: bindings without a value set, and the mime-type value set it lacks. */
    private static boolean reported(ValidationMessage message) {
        String id = message.getMessageId();
        return id == null || !(id.equals(I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE)
                || id.equals(I18nConstants.TERMINOLOGY_TX_VALUESET_NOTFOUND)
                && message.getMessage().contains("http://hl7.org/fhir/ValueSet/mimetypes"));
    }

    private static SingleValidationMessage hapi(ValidationMessage message) {
        var hapi = new SingleValidationMessage();
        hapi.setSeverity(ResultSeverityEnum.fromCode(message.getLevel().toCode()));
        hapi.setLocationString(message.getLocation());
        hapi.setMessage(message.getMessage());
        if (message.getLine() != -1) {
            hapi.setLocationLine(message.getLine());
        }
        if (message.getCol() != -1) {
            hapi.setLocationCol(message.getCol());
        }
        return hapi;
    }

    /** One InstanceValidator with what it has validated so far. Used by one request at a time. */
    private final class Validator {

        private final InstanceValidator instance;
        /**
         * Reused: InstanceValidator's stream validation builds a parser per call, and each parser a FHIRPath engine
         * and profile utilities and the set of resource names (a tenth of a small Bundle's validation).
         */
        private final JsonParser parser = new JsonParser(context,
                new ProfileUtilities(context, null, null, new FHIRPathEngine(context)));
        private int uses;
        private long bytes;

        Validator() {
            instance = new InstanceValidator(context, new FhirInstanceValidator.NullEvaluationContext(),
                    new XVerExtensionManagerOld(context), new ValidatorSession(), new ValidatorSettings());
            // As FhirInstanceValidator's defaults set it up.
            instance.setAssumeValidRestReferences(false);
            instance.setBestPracticeWarningLevel(BestPracticeWarningLevel.Hint);
            instance.setAnyExtensionsAllowed(true);
            instance.setResourceIdRule(IdStatus.OPTIONAL);
            instance.setErrorForUnknownProfiles(true);
            instance.setUnknownCodeSystemsCauseErrors(true);
            instance.setPolicyAdvisor(new FhirDefaultPolicyAdvisor());
            instance.setAllowXsiLocation(true);
            parser.setupValidation(ParserBase.ValidationPolicy.EVERYTHING);
        }

        List<ValidationMessage> validate(byte[] json) {
            List<ValidationMessage> messages = new ArrayList<>();
            List<ValidatedFragment> fragments;
            try {
                fragments = parser.parse(new ByteArrayInputStream(json));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // What InstanceValidator.validate(InputStream) does, with this validator's parser rather than a new one.
            for (ValidatedFragment fragment : fragments) {
                if (fragment.getElement() != null) {
                    instance.validate(null, fragment.getErrors(), null, fragment.getElement(), new ArrayList<>());
                }
                messages.addAll(fragment.getErrors());
            }
            return messages;
        }

        /** Whether it may validate again, having now validated {@code length} more bytes. */
        boolean used(int length) {
            return ++uses < USES && (bytes += length) < BYTES;
        }
    }
}
