package labops.systemtests;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import labops.testsupport.Api;
import labops.testsupport.Eventually;
import labops.testsupport.MllpPeer;
import labops.testsupport.Ports;
import labops.testsupport.TenantFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The console in Debian's headless Chromium, as a Lab Ops admin onboards a hospital: create the tenant, open each
 * direction, create a credential (its secret shown exactly once), use it in sandbox, rotate and revoke it, complete
 * the go-live checklist and activate production; then that hospital's admin signs in and cannot see another tenant.
 * Another hospital's admin previews and saves a mapping profile that maps its next order. Screenshots in
 * target/screenshots.
 */
@Order(3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {

    private static final Path SHOTS = Path.of("target", "screenshots");
    private static final List<String> CHROMIUM_FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync");
    private static final List<String> CHECKLIST = List.of("data-flow", "mapping", "patient-data-policy",
            "audit-requirements", "testing-window", "error-contact", "support-owner", "security-approval");

    private LabOpsSystem system;
    private Playwright playwright;
    private Browser browser;

    @BeforeAll
    void browser() {
        system = LabOpsSystem.get();
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Path.of("/usr/bin/chromium")).setHeadless(true).setArgs(CHROMIUM_FLAGS));
    }

    @AfterAll
    void close() {
        browser.close();
        playwright.close();
    }

    @Test
    void anAdminOnboardsAHospitalAndItsAdminSeesOnlyItsOwnTenant() {
        String tenant = "browser-" + UUID.randomUUID().toString().substring(0, 6);
        var context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        Page page = context.newPage();
        page.setDefaultTimeout(20_000);

        signIn(page, "admin", LabOpsSystem.ADMIN_PASSWORD);
        assertThat(page.locator("h1")).hasText("Tenants");
        page.fill("input[name=id]", tenant);
        page.fill("input[name=name]", "Browser General Hospital");
        page.click("text=Create tenant");
        assertThat(page.locator("h1")).containsText("Browser General Hospital");
        for (String direction : List.of("#receive-orders", "#pull-data", "#send-results")) {
            assertThat(page.locator(direction)).isVisible();
        }
        shot(page, "01-new-tenant-integration");

        // Pull approved data and send results back, as the hospital's IT told us.
        page.fill("#pull-data input[name=fhirBaseUrl]", "https://ehr.browser.example/fhir/r4");
        page.fill("#pull-data input[name=clientId]", "labops-browser");
        page.fill("#pull-data input[name=scopes]", "system/ServiceRequest.rs system/Patient.rs");
        page.fill("#pull-data input[name=testPatient]", "test-patient-7");
        page.click("#pull-data button:has-text('Save')");
        assertThat(page.locator(".notice")).hasText("Pull approved data saved.");
        page.fill("#send-results input[name=address]", "https://ehr.browser.example/lab-results");
        page.click("#send-results button:has-text('Save')");
        assertThat(page.locator(".notice")).hasText("Result destination saved.");
        page.locator("#pull-data").scrollIntoViewIfNeeded();
        shot(page, "02-directions-configured");

        // A credential: its secret is on the page once, and only in the answer that created it.
        page.fill("#credentials input[name=name]", "Browser EHR");
        page.click("text=Create credential");
        var revealed = page.locator("#revealed-secret code.value");
        assertThat(revealed).isVisible();
        String secret = revealed.textContent();
        String clientId = page.locator("#revealed-secret code").first().textContent();
        system.sawSecret(secret);
        shot(page, "03-credential-secret-shown-once");
        page.navigate(console() + "/tenants/" + tenant);
        assertThat(page.locator("#credentials")).containsText(clientId);
        assertThat(page.content()).doesNotContain(secret);

        sendSandboxOrder(tenant, clientId, secret);

        page.locator("tr[data-client-id='" + clientId + "'] button:has-text('Rotate')").click();
        assertThat(page.locator("#revealed-secret")).isVisible();
        String rotated = page.locator("#revealed-secret code.value").textContent();
        system.sawSecret(rotated);
        assertThat(rotated).isNotEqualTo(secret);
        shot(page, "04-credential-rotated");
        page.locator("tr[data-client-id='" + clientId + "'] button:has-text('Revoke')").click();
        assertThat(page.locator("tr[data-client-id='" + clientId + "']")).containsText("revoked");
        assertThat(system.tenantService().tokens().requestClientCredentials(clientId, rotated).statusCode())
                .isEqualTo(401);

        // Production: the checklist, with who and when, then activation.
        page.click(".tabs >> text=Production");
        assertThat(page.locator("#credentials h2")).containsText("production");
        assertThat(page.locator("#go-live")).isVisible();
        var receiveOrders = page.locator("#go-live [data-direction='receive-orders']");
        for (String item : CHECKLIST) {
            receiveOrders.locator("tr[data-item='" + item + "'] input[name=note]").fill("agreed with Browser IT");
            receiveOrders.locator("tr[data-item='" + item + "'] button").click();
            assertThat(receiveOrders.locator("tr[data-item='" + item + "']")).containsText("by admin");
        }
        assertThat(receiveOrders).containsText("accepted over http-hl7");
        receiveOrders.locator("button:has-text('Activate production receive-orders')").click();
        assertThat(page.locator("#go-live [data-direction='receive-orders'] h3")).containsText("live in production");
        assertThat(page.locator("#receive-orders h2")).containsText("live");
        shot(page, "05-production-live");

        // The hospital's own admin, who must not see anyone else.
        page.click(".tabs >> text=Sandbox");
        assertThat(page.locator("#credentials h2")).containsText("sandbox");
        page.fill("#people input[name=username]", "it-" + tenant);
        page.fill("#people input[name=displayName]", "Browser IT lead");
        page.selectOption("#people select[name=role]", "tenant-admin");
        page.fill("#people input[name=password]", "browser-it-password");
        page.click("text=Add person");
        assertThat(page.locator(".notice")).hasText("User it-" + tenant + " added.");
        page.click("header.top button:has-text('Sign out')");

        signIn(page, "it-" + tenant, "browser-it-password");
        assertThat(page.locator("h1")).containsText("Browser General Hospital");
        assertThat(page.locator("header.top")).containsText("tenant-admin");
        shot(page, "06-tenant-admin-own-tenant");
        page.navigate(console() + "/tenants/" + LabOpsSystem.TENANT);
        assertThat(page.locator("h1")).hasText("Not found");
        assertThat(page.locator(".error")).containsText("no such tenant");
        shot(page, "07-tenant-admin-other-tenant-refused");
        page.navigate(console() + "/tenants");
        assertThat(page.locator("h1")).containsText("Browser General Hospital");

        // Disabled while signed in: the open console session ends within seconds, and signing in again fails.
        var labOps = system.tenantService().api(system.adminToken());
        String people = Api.ok(labOps.get("/api/tenants/" + tenant + "/users"));
        String userId = com.jayway.jsonpath.JsonPath.<List<String>>read(people,
                "$[?(@.username == 'it-" + tenant + "')].id").get(0);
        Api.ok(labOps.post("/api/tenants/" + tenant + "/users/" + userId + "/disable", null));
        java.time.Instant disabled = java.time.Instant.now();
        Eventually.await("the disabled person's console session ended", Duration.ofSeconds(5), () -> {
            page.navigate(console() + "/tenants/" + tenant);
            return page.locator("h1").textContent().contains("Signed out") ? Optional.of(true) : Optional.empty();
        });
        System.out.printf("disabled person: console session ended %d ms after the change%n",
                Duration.between(disabled, java.time.Instant.now()).toMillis());
        assertThat(page.locator(".error")).containsText("signed out");
        shot(page, "08-disabled-person-signed-out");
        page.navigate(console() + "/");
        page.waitForURL(url -> url.contains("/login"));
        page.fill("#username", "it-" + tenant);
        page.fill("#password", "browser-it-password");
        page.click("button:has-text('Sign in')");
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/login\\?error.*"));
        context.close();
    }

    /**
     * A hospital's admin maps its local glucose code to LOINC and its priority "1" to STAT: a wrong LOINC is refused
     * with the reason, the preview shows the events, the saved version maps the next order that arrives.
     */
    @Test
    void aTenantAdminPreviewsAndSavesAMappingProfileThatMapsTheNextOrder() {
        var hospital = TenantFixture.create(system.tenantService());
        var context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        Page page = context.newPage();
        page.setDefaultTimeout(20_000);
        signIn(page, "admin-" + hospital.tenantId(), TenantFixture.PASSWORD);
        page.click("#mapping-link");
        assertThat(page.locator("h1")).containsText("Mapping profile");
        assertThat(page.locator("#versions")).containsText("None saved yet");

        page.fill("textarea[name=testCodes]", "GLU = 1558-7 | Fasting glucose [Mass/volume] in Serum or Plasma");
        page.fill("textarea[name=priorities]", "1 = STAT");
        page.selectOption("select[name=unknownTestCodes]", "DEAD_LETTER");
        page.fill("textarea[name=sample]", order("PREVIEW-1", "GLU").replace('\r', '\n'));
        page.click("button:has-text('Preview')");
        assertThat(page.locator("#preview")).containsText("testCodes[0].loinc: 1558-7 fails the LOINC check digit");
        page.click("button:has-text('Save as new version')");
        assertThat(page.locator("#problems")).containsText("1558-7 fails the LOINC check digit");
        shot(page, "08-mapping-invalid-loinc");

        page.fill("textarea[name=testCodes]", "GLU = 1558-6 | Fasting glucose [Mass/volume] in Serum or Plasma");
        page.click("button:has-text('Preview')");
        var order = page.locator("#preview .event").nth(1);
        assertThat(order.locator("h3")).containsText("LabOrderEvent");
        assertThat(order.locator("pre")).containsText(Pattern.compile("\"code\"\\s*:\\s*\"1558-6\""));
        assertThat(order.locator("pre")).containsText(Pattern.compile("\"priority\"\\s*:\\s*\"STAT\""));
        assertThat(order.locator("pre")).containsText(Pattern.compile("\"mappingProfileVersion\"\\s*:\\s*1\\b"));
        shot(page, "09-mapping-preview");
        page.fill("textarea[name=sample]", order("PREVIEW-2", "XYZ").replace('\r', '\n'));
        page.click("button:has-text('Preview')");
        assertThat(page.locator("#unmappable")).containsText("OBR-4.1 (order group 1) test code XYZ is not in the "
                + "mapping profile (version 1)");

        page.click("button:has-text('Save as new version')");
        assertThat(page.locator(".notice")).hasText("Version 1 saved: new messages are mapped with it within seconds.");
        assertThat(page.locator("#versions tr[data-version='1']")).containsText("admin-" + hospital.tenantId());
        assertThat(page.locator("textarea[name=testCodes]")).hasValue(
                "GLU = 1558-6 | Fasting glucose [Mass/volume] in Serum or Plasma");
        shot(page, "10-mapping-saved");
        context.close();

        String placer = "PON-MAP-" + UUID.randomUUID().toString().substring(0, 6);
        var queue = system.api("workflow-service", hospital.staffToken());
        Eventually.await("the next order mapped with version 1", Duration.ofSeconds(40), () -> {
            String tasks = Api.ok(queue.get("/api/tenants/" + hospital.tenantId() + "/tasks"));
            if (tasks.contains(placer)) {
                return Optional.of(tasks);
            }
            post(hospital, order(placer, "GLU"));
            return Optional.empty();
        });
        String tasks = Api.ok(queue.get("/api/tenants/" + hospital.tenantId() + "/tasks"));
        assertThat(tasks).contains("1558-6").contains("STAT");
    }

    /**
     * A day in the lab, as the issue's acceptance walks it: the tenant's admin requires review of fasting glucose; a
     * STAT order over MLLP tops the queue; a colleague's stale page cannot reject the order another person claimed,
     * who then assigns it to the colleague and claims the other two together;
     * the STAT order is accepted, its specimen is rejected and recollected; a CSV order marked
     * for home collection gets its visit scheduled; a critical fasting glucose arrives, its call is documented with
     * the read-back; the result a reviewer entered herself is refused to her, the critical one she releases reaches
     * the hospital's webhook only then; the order shows delivered on the reporting page; a cancel closes the tasks
     * of another order.
     */
    @Test
    void aDayInTheLabFromAStatOrderToItsDeliveredResult() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String routine = "PON-DAY-R-" + suffix;
        String stat = "PON-DAY-S-" + suffix;
        String home = "PON-DAY-H-" + suffix;
        String staff = "day-staff-" + suffix;
        String reviewer = "day-reviewer-" + suffix;
        String colleague = "day-colleague-" + suffix;
        var admin = system.tenantService().api(system.adminToken());
        for (String[] person : new String[][] {{staff, "lab-staff"}, {colleague, "lab-staff"},
                {reviewer, "lab-reviewer"}}) {
            Api.ok(admin.post("/api/tenants/" + LabOpsSystem.TENANT + "/users", "{\"username\":\"" + person[0]
                    + "\",\"displayName\":\"" + person[1] + "\",\"role\":\"" + person[1] + "\",\"password\":\""
                    + TenantFixture.PASSWORD + "\"}"));
        }
        var tenantAdmin = system.tenantService().api(system.tenantAdminToken());
        var context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 900));
        try {
            Page page = context.newPage();
            page.setDefaultTimeout(20_000);

            // The tenant's admin: fasting glucose is reviewed in the lab before it goes to the hospital.
            signIn(page, "demo-admin", LabOpsSystem.TENANT_ADMIN_PASSWORD);
            page.click("#release-link");
            page.fill("#release-policy input[name=reviewTests]", "1558-6");
            page.click("#release-policy button:has-text('Save')");
            assertThat(page.locator("#flash .notice")).containsText("Saved");
            shot(page, "20-day-release-policy");
            page.click("button:has-text('Sign out')");
            context.clearCookies();

            // Ordered in the EHR twenty minutes ago, so the turnaround is the morning's own.
            String ordered = java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
                    .format(java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusMinutes(20));
            assertThat(MllpPeer.send(system.ordersPort(), bytes(withPriority(order(routine, "GLU"), "R")
                    .replace("20261125082500", ordered))).field("MSA", 1)).isEqualTo("AA");
            assertThat(MllpPeer.send(system.ordersPort(), bytes(withPriority(order(stat, "GLU"), "S")
                    .replace("20261125082500", ordered))).field("MSA", 1)).isEqualTo("AA");
            String staffToken = system.tenantService().tokens().person(system.tenantService().console(), staff,
                    TenantFixture.PASSWORD);
            importHomeCollection(staffToken, home);

            signIn(page, staff, TenantFixture.PASSWORD);
            String queue = console() + "/tenants/" + LabOpsSystem.TENANT + "/tasks?q=PON-DAY-";
            awaitRows(page, queue + "&environment=sandbox", "#queue tbody tr:has-text('" + suffix + "')", 3);
            var rows = page.locator("#queue tbody tr:has-text('" + suffix + "')");
            assertThat(rows.first()).hasAttribute("data-order", stat);
            // Whom to call or visit, when asked for (each view audited with who looked).
            var patient = rows.first().locator("details.patient");
            patient.locator("summary").click();
            assertThat(patient.locator(".patient-details")).containsText("DOE, JANE");
            assertThat(patient.locator(".patient-details")).containsText("born 1970-01-01");
            shot(page, "21-day-stat-tops-the-queue");
            patient.locator("summary").click();

            // Two people on one task: the colleague's page is stale once the routine order is claimed.
            var theirs = browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 900));
            Page stale = theirs.newPage();
            stale.setDefaultTimeout(20_000);
            signIn(stale, colleague, TenantFixture.PASSWORD);
            stale.navigate(queue + "&environment=sandbox");
            var unclaimed = stale.locator("tr[data-order='" + routine + "']");
            // The colleague starts rejecting it: the queue stops refreshing while a form is open.
            unclaimed.locator("summary:has-text('Reject')").click();
            unclaimed.locator("select[name=reasonCode]").selectOption("duplicate-order");
            row(page, routine, "Review new order").locator("button:has-text('Claim')").click();
            assertThat(page.locator("#flash .notice")).containsText("claimed");
            unclaimed.locator("button:has-text('Reject order')").click();
            assertThat(stale.locator("#flash .error")).containsText("Not saved: the task changed since version 0");
            assertThat(stale.locator("#flash .error")).containsText("assigned to " + staff);
            shot(stale, "21b-day-stale-page-refused");
            theirs.close();
            // The claimed order handed to the colleague; the other two claimed together.
            var routineReview = row(page, routine, "Review new order");
            routineReview.locator("summary:has-text('Assign')").click();
            routineReview.locator("input[name=assignee]").fill(colleague);
            routineReview.locator("button:has-text('Assign')").click();
            assertThat(page.locator("#flash .notice")).containsText(routine + ": assigned");
            assertThat(row(page, routine, "Review new order")).containsText(colleague);
            row(page, stat, "Review new order").locator("input[name=selected]").check();
            row(page, home, "Review new order").locator("input[name=selected]").check();
            page.click("#bulk button:has-text('Claim selected')");
            assertThat(page.locator("#flash .notice")).containsText("Claimed 2.");
            assertThat(row(page, stat, "Review new order")).containsText(staff);
            assertThat(row(page, home, "Review new order")).containsText(staff);

            // The STAT order: accepted, its first specimen haemolysed, the second collected.
            act(page, stat, "Review new order", "button:has-text('Accept')", stat + ": done");
            var collect = row(page, stat, "Collect specimen");
            collect.locator("summary:has-text('Specimen rejected')").click();
            collect.locator("select[name=reasonCode]").selectOption("haemolysed");
            collect.locator("button:has-text('Specimen rejected')").click();
            assertThat(page.locator("#flash .notice")).containsText(stat + ": rejected");
            assertThat(row(page, stat, "Collect specimen")).containsText("recollect");
            act(page, stat, "Collect specimen", "button:has-text('Collected')", stat + ": done");

            // The CSV order for home collection: accepted, its visit agreed with the patient.
            act(page, home, "Review new order", "button:has-text('Accept')", home + ": done");
            var visit = row(page, home, "Schedule home collection");
            visit.locator("summary:has-text('Schedule visit')").click();
            visit.locator("input[name=visitWindow]").fill("2026-12-08 08:00-10:00");
            visit.locator("input[name=collector]").fill("Sam Rider");
            visit.locator("button:has-text('Visit scheduled')").click();
            assertThat(page.locator("#flash .notice")).containsText(home + ": done");
            assertThat(row(page, home, "Collect specimen")).containsText("home visit");
            shot(page, "22-day-collections");

            // A critical fasting glucose for the STAT order: the call is documented with the value read back.
            int before = system.receiver().verified().size();
            assertThat(MllpPeer.send(system.resultsPort(), WalkingSkeletonSystemTest.sample("oru-r01.hl7",
                    "MSG-ORU-0001", "MSG-" + stat, "PON-1001", stat, "|H|||F", "|HH|||F",
                    "2345-7^Glucose", "1558-6^Fasting glucose")).field("MSA", 1)).isEqualTo("AA");
            awaitRows(page, queue + "&environment=sandbox", "#queue tr[data-order='" + stat
                    + "']:has-text('Review results')", 1);
            var call = row(page, stat, "Critical call");
            call.locator("summary:has-text('Document call')").click();
            call.locator("input[name=contactName]").fill("Dr Grey");
            call.locator("input[name=contactRole]").fill("attending physician");
            call.locator("input[name=readBack]").fill("fasting glucose 182 mg/dL");
            call.locator("input[name=readBackConfirmed]").check();
            call.locator("button:has-text('Call documented')").click();
            assertThat(page.locator("#flash .notice")).containsText("Critical call " + stat + ": done");
            page.navigate(queue + "&status=done");
            assertThat(page.locator("tr[data-order='" + stat + "'] .call")).hasText(
                    "called Dr Grey (attending physician), read back: fasting glucose 182 mg/dL");
            shot(page, "22b-day-call-documented");
            page.click("button:has-text('Sign out')");
            context.clearCookies();
            assertThat(system.receiver().verified().stream().filter(body -> body.contains(stat)).toList())
                    .as("not released yet: the tenant reviews fasting glucose").isEmpty();

            // The reviewer enters a result herself: it waits, and she may not release it.
            signIn(page, reviewer, TenantFixture.PASSWORD);
            page.click("#results-link");
            var form = page.locator("#result-entry");
            form.locator("input[name=orderNumber]").fill(routine);
            form.locator("input[name=orderNumberSystem]").fill("EHR");
            form.locator("input[name=mrn]").fill("MRN-9");
            form.locator("input[name=mrnSystem]").fill("HOSP");
            form.locator("input[name=code]").fill("2345-7");
            form.locator("input[name=display]").fill("Glucose");
            form.locator("input[name=value]").fill("95");
            form.locator("input[name=unit]").fill("mg/dL");
            form.locator("input[name=referenceRange]").fill("70-99");
            form.locator("select[name=interpretation]").selectOption("normal");
            shot(page, "23-day-entering-a-result");
            form.locator("button:has-text('Store for review')").click();
            assertThat(page.locator("#flash .notice")).containsText("Result for " + routine + " stored");
            // The reviewer's own queue: results waiting for review, nothing else.
            awaitRows(page, queue + "&environment=sandbox&kind=review-results", "#queue tr[data-order='" + routine
                    + "']:has-text('Review results')", 1);
            assertThat(page.locator("#queue tbody tr:has-text('Review new order')")).hasCount(0);
            act(page, routine, "Review results", "button:has-text('Release')", null);
            assertThat(page.locator("#flash .error"))
                    .containsText("you entered this result: another person must release it");
            shot(page, "24-day-self-verification-refused");

            act(page, stat, "Review results", "button:has-text('Release')", stat + ": done");
            String delivered = Eventually.await("the released result at the hospital's webhook",
                    Duration.ofSeconds(60), () -> system.receiver().verified().stream().skip(before)
                            .filter(body -> body.contains(stat)).findFirst());
            assertThat(delivered).contains("\"1558-6\"");

            // The order delivered, with its turnaround, on the reporting page.
            var avro = new labops.testsupport.ConfluentAvroReader(
                    labops.testsupport.LabOpsInfrastructure.registry().confluentUrl());
            Eventually.await("the order delivered", Duration.ofSeconds(30), () -> labops.testsupport.KafkaTopicReader
                    .readAll(labops.testsupport.LabOpsInfrastructure.kafka().bootstrapServers(),
                            labops.schemas.topic.Topics.WORKFLOW_ORDERS).stream()
                    .map(record -> avro.decode(record.value()))
                    .filter(e -> stat.equals(e.get("orderNumber").toString())
                            && "DELIVERED".equals(e.get("status").toString())).findFirst());
            page.click("#reports-link");
            assertThat(page.locator("#volume")).containsText("delivered");
            // Other tests' orders share this tenant's report: the day's STAT glucose row, whatever else is there.
            assertThat(page.locator("#turnaround tr[data-priority='STAT']:has-text('Glucose fasting')")).isVisible();
            assertThat(page.locator("#turnaround-chart canvas")).hasCount(1);
            page.waitForTimeout(1_000); // the chart's drawing animation
            shot(page, "25-day-reports-delivered");

            // A cancel for the routine order closes its tasks, the review of the result entered for it included.
            String cancel = "MSH|^~\\&|EHR|HOSP|LABOPS|LAB|20261125093000||ORM^O01|CA-" + suffix + "|P|2.3\r"
                    + "PID|1||MRN-9^^^HOSP^MR\r" + "ORC|CA|" + routine + "^EHR\r" + "OBR|1|" + routine + "^EHR||GLU^Glucose^L\r";
            assertThat(MllpPeer.send(system.ordersPort(), bytes(cancel)).field("MSA", 1)).isEqualTo("AA");
            awaitRows(page, queue + "&status=cancelled", "#queue tr[data-order='" + routine + "']", 2);
            shot(page, "26-day-cancelled");
        } finally {
            context.close();
            Api.ok(tenantAdmin.put("/api/tenants/" + LabOpsSystem.TENANT + "/release-policy",
                    "{\"reviewAll\":false,\"reviewTests\":[],\"releasePreliminary\":false}"));
        }
    }

    /** Loads {@code url} until at least {@code count} elements match {@code selector}. */
    private static void awaitRows(Page page, String url, String selector, int count) {
        Eventually.await(count + " of " + selector, Duration.ofSeconds(60), () -> {
            page.navigate(url);
            return page.locator(selector).count() >= count ? Optional.of(true) : Optional.empty();
        });
    }

    /** The open task of {@code kind} (as the queue names it) for {@code order}. */
    private static com.microsoft.playwright.Locator row(Page page, String order, String kind) {
        return page.locator("#queue tr[data-order='" + order + "']:has-text('" + kind + "')");
    }

    /** Clicks {@code button} on the order's task of {@code kind}; waits for the notice, if one is named. */
    private static void act(Page page, String order, String kind, String button, String notice) {
        row(page, order, kind).locator(button).click();
        if (notice != null) {
            assertThat(page.locator("#flash .notice")).containsText(notice);
        }
    }

    /** A CSV order marked for collection at home, uploaded and approved through the import API by lab staff. */
    private void importHomeCollection(String staffToken, String order) throws Exception {
        String csv = "order_number,mrn,family_name,given_name,birth_date,sex,tests,home_collection,collection_address\r\n"
                + order + ",MRN-H1,Roe,Ann,1950-01-01,F,2345-7,yes,\"12 Oak Street, Springfield\"\r\n";
        var http = HttpClient.newHttpClient();
        String base = system.url("ingress-service") + "/api/imports/" + LabOpsSystem.TENANT + "/sandbox";
        var uploaded = http.send(HttpRequest.newBuilder(URI.create(base + "?fileName=home.csv"))
                .header("Authorization", "Bearer " + staffToken).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isBetween(200, 201);
        String batch = com.jayway.jsonpath.JsonPath.read(uploaded.body(), "$.id");
        var approved = http.send(HttpRequest.newBuilder(URI.create(base + "/" + batch + "/approve"))
                .header("Authorization", "Bearer " + staffToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"rows\": [2]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(approved.statusCode()).as(approved.body()).isBetween(200, 202);
    }

    private static byte[] bytes(String message) {
        return message.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String withPriority(String message, String priority) {
        return message.replace("|^^^^^1|", "|^^^^^" + priority + "|");
    }

    private static String order(String placer, String code) {
        return String.join("\r", "MSH|^~\\&|EHR|HOSP|LABOPS|LAB|20261125083000||ORM^O01|" + placer + "|P|2.3",
                "PID|1||MRN-9^^^HOSP^MR||DOE^JANE||19700101|F", "PV1|1|O",
                "ORC|NW|" + placer + "^EHR|||||^^^^^1||20261125082500",
                "OBR|1|" + placer + "^EHR||" + code + "^Glucose fasting^L") + "\r";
    }

    /** The demo tenant's page at {@code instance} with only the console session cookie: its status. */
    private static int consolePage(String instance, String session) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(instance + "/tenants/"
                            + LabOpsSystem.TENANT)).header("Cookie", "LABOPS_CONSOLE_SESSION=" + session).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** An order over HL7-over-HTTP with the hospital's API client; answered AA once ingress knows the tenant. */
    private void post(TenantFixture hospital, String message) {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            system.url("ingress-service") + "/hl7/" + hospital.tenantId() + "/sandbox"))
                    .header("Authorization", "Bearer " + hospital.clientToken())
                    .header("Content-Type", "application/hl7-v2")
                    .POST(HttpRequest.BodyPublishers.ofString(message, StandardCharsets.ISO_8859_1)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Two console instances sharing sessions in PostgreSQL behind a balancer that alternates every request, as the
     * Kubernetes manifests run it: the sign-in starts on one instance and its callback lands on the other, every page
     * is served by whichever comes next, and signing out on one ends the session on both.
     */
    @Test
    void aPersonSignsInAndWorksThroughTwoConsoleInstancesTakingTurns() throws Exception {
        var second = system.startSecond("console", Map.of());
        try (var balancer = new AlternatingProxy(Ports.free(), List.of(console(),
                "http://127.0.0.1:" + second.port()))) {
            var context = browser.newContext();
            Page page = context.newPage();
            page.navigate(balancer.url() + "/tenants/" + LabOpsSystem.TENANT);
            page.waitForURL(url -> url.contains("/login"));
            page.fill("#username", "admin");
            page.fill("#password", LabOpsSystem.ADMIN_PASSWORD);
            page.click("button:has-text('Sign in')");
            page.waitForURL(url -> url.startsWith(balancer.url() + "/tenants/"));
            assertThat(page.locator("h1")).containsText("Demo");
            for (int i = 0; i < 4; i++) {
                page.navigate(balancer.url() + (i % 2 == 0 ? "/tenants" : "/tenants/" + LabOpsSystem.TENANT));
                assertThat(page.locator("header.top")).containsText("labops-admin");
            }
            shot(page, "09-console-behind-an-alternating-balancer");
            int started = balancer.servedBy("/oauth2/authorization/labops").get(0);
            int called = balancer.servedBy("/login/oauth2/code/labops").get(0);
            System.out.printf("two consoles: sign-in started on instance %d, its callback on %d; pages on %s and %s%n",
                    started, called, balancer.servedBy("/tenants"), balancer.servedBy("/tenants/" + LabOpsSystem.TENANT));
            assertThat(called).as("the callback on the other instance than the one that started the sign-in")
                    .isNotEqualTo(started);
            assertThat(balancer.servedBy("/tenants/" + LabOpsSystem.TENANT)).contains(0, 1);

            String session = context.cookies().stream().filter(c -> c.name.equals("LABOPS_CONSOLE_SESSION"))
                    .findFirst().orElseThrow().value;
            String other = "http://127.0.0.1:" + second.port();
            assertThat(consolePage(console(), session)).as("the session, on the first instance").isEqualTo(200);
            assertThat(consolePage(other, session)).as("the session, on the second instance").isEqualTo(200);
            page.click("header.top button:has-text('Sign out')");
            page.waitForURL(url -> !url.contains("/tenants/"));
            assertThat(consolePage(console(), session)).as("signed out: the first instance").isEqualTo(302);
            assertThat(consolePage(other, session)).as("signed out: the second instance").isEqualTo(302);
            context.close();
        } finally {
            second.close();
        }
    }

    @Test
    void aLabUploadsAWorkbookFixesARefusedRowApprovesItsOrdersAndExportsThem() throws Exception {
        var lab = TenantFixture.create(system.tenantService());
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        Path file = Path.of("target", "import-" + suffix + ".xlsx");
        workbook(file, new String[][] {{"Order No", "MRN", "Name", "Born", "Test"},
                {"PON-UI1-" + suffix, "MRN-UI-1", "Müller", "01.02.1970", "2345-7"},
                {"PON-UI2-" + suffix, "MRN-UI-2", "Roe", "31.13.1970", "2345-7"}});
        var context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900)
                .setAcceptDownloads(true));
        Page page = context.newPage();
        page.setDefaultTimeout(20_000);
        signIn(page, "admin-" + lab.tenantId(), TenantFixture.PASSWORD);

        page.navigate(console() + "/tenants/" + lab.tenantId());
        page.locator("#rest-example summary").click();
        assertThat(page.locator("#rest-example pre").first())
                .containsText(Pattern.compile("\"orderNumber\"\\s*:\\s*\"PON-EXAMPLE-1\""));
        assertThat(page.locator("#rest-example pre").nth(2)).containsText("labops.canonical.orders");
        page.locator("#rest-guide").scrollIntoViewIfNeeded();
        shot(page, "11-integration-rest-example");

        page.click("#imports-link");
        assertThat(page.locator("h1")).containsText("Imports and exports");
        page.fill("input[name='column.orderNumber']", "Order No");
        page.fill("input[name='column.mrn']", "MRN");
        page.fill("input[name='column.family']", "Name");
        page.fill("input[name='column.birthDate']", "Born");
        page.fill("input[name='column.tests']", "Test");
        page.fill("input[name=dateFormat]", "dd.MM.yyyy");
        page.click("button:has-text('Save mapping')");
        assertThat(page.locator(".notice")).hasText("Column mapping saved.");
        assertThat(page.locator("input[name='column.orderNumber']")).hasValue("Order No");
        var template = page.request().get(console() + page.locator("#template").getAttribute("href"));
        assertThat(template.text()).as("a template with the mapped columns")
                .startsWith("Order No,MRN,Name,given_name,Born,sex,Test,");

        Path large = Path.of("target", "import-large-" + suffix + ".csv");
        var rows = new StringBuilder("Order No,MRN,Name,Born,Test\r\n");
        for (int i = 0; i < 30_000; i++) {
            rows.append("PON-L").append(i).append('-').append(suffix).append(",MRN-L").append(i % 997)
                    .append(",Doe,01.02.1970,2345-7\r\n");
        }
        Files.writeString(large, rows, StandardCharsets.UTF_8);
        page.setInputFiles("input[name=file]", large);
        page.click("button:has-text('Upload and check')");
        assertThat(page.locator("#upload-progress span")).containsText(Pattern.compile("[0-9,]+ checked so far"),
                new LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
        shot(page, "12-import-progress");
        assertThat(page.locator("#summary")).containsText("30000 rows: 30000 ready",
                new LocatorAssertions.ContainsTextOptions().setTimeout(60_000));

        page.setInputFiles("input[name=file]", file);
        page.fill("input[name=sheet]", "Orders");
        page.click("button:has-text('Upload and check')");
        assertThat(page.locator("#summary")).containsText("2 rows: 1 ready, 1 refused");
        assertThat(page.locator("tr[data-row='3']")).containsText("column 'Born': '31.13.1970' is not a date (dd.MM.yyyy)");
        assertThat(page.locator("tr[data-row='2']")).containsText("Müller");
        assertThat(page.locator("#preview [data-row='2'] pre"))
                .containsText(Pattern.compile("\"value\"\\s*:\\s*\"PON-UI1-" + suffix + "\""));
        assertThat(page.locator("#preview [data-row='2'] pre")).containsText(Pattern.compile("\"format\"\\s*:\\s*\"CSV\""));
        shot(page, "13-import-report");
        page.locator("#preview").scrollIntoViewIfNeeded();
        shot(page, "14-import-preview");

        page.locator("tr[data-row='3'] input[name='value.Born']").fill("31.12.1970");
        page.locator("tr[data-row='3'] button:has-text('Check again')").click();
        assertThat(page.locator(".notice")).hasText("Row 3 is valid now.");
        assertThat(page.locator("#summary")).containsText("2 rows: 2 ready, 0 refused");
        shot(page, "15-import-row-fixed");

        page.click("button:has-text('Approve the checked rows')");
        assertThat(page.locator(".notice")).containsText("2 order(s) approved");
        assertThat(page.locator("#summary")).containsText("2 approved");
        assertThat(page.locator("button:has-text('Approve the checked rows')")).hasCount(0);
        shot(page, "16-import-approved");

        var queue = system.api("workflow-service", lab.staffToken());
        Eventually.await("both imported orders in the staff queue and the export", Duration.ofSeconds(40), () -> {
            String tasks = Api.ok(queue.get("/api/tenants/" + lab.tenantId() + "/tasks"));
            String orders = Api.ok(queue.get("/api/exports/" + lab.tenantId() + "/sandbox/orders?from=2026-01-01"));
            return tasks.contains("PON-UI2-" + suffix) && orders.contains("PON-UI2-" + suffix) ? Optional.of(tasks)
                    : Optional.empty();
        });
        page.click("text=Staff queue");
        assertThat(page.locator("main")).containsText("PON-UI1-" + suffix);
        assertThat(page.locator("main")).containsText("PON-UI2-" + suffix);
        shot(page, "17-imported-orders-in-queue");

        page.click("#imports-link");
        page.fill("#exports input[name=from]", "2026-01-01");
        var download = page.waitForDownload(() -> page.click("#export-orders"));
        String exported = Files.readString(download.path(), StandardCharsets.UTF_8);
        assertThat(exported).startsWith("order_number,status,priority,tests,patient_id,")
                .contains("PON-UI1-" + suffix + ",received,", "PON-UI2-" + suffix + ",received,");
        assertThat(download.suggestedFilename()).startsWith(lab.tenantId() + "-sandbox-orders-2026-01-01-")
                .endsWith(".csv");
        page.locator("#exports").scrollIntoViewIfNeeded();
        shot(page, "18-exports");
        context.close();
    }

    /** A workbook as a lab keeps one: a sheet of instructions first, then the orders, every cell text. */
    private static void workbook(Path file, String[][] orders) throws Exception {
        try (var workbook = new org.apache.poi.xssf.usermodel.XSSFWorkbook();
             var out = Files.newOutputStream(file)) {
            workbook.createSheet("Instructions").createRow(0).createCell(0).setCellValue("One order per row");
            var sheet = workbook.createSheet("Orders");
            for (int r = 0; r < orders.length; r++) {
                var row = sheet.createRow(r);
                for (int c = 0; c < orders[r].length; c++) {
                    row.createCell(c).setCellValue(orders[r][c]);
                }
            }
            workbook.write(out);
        }
    }

    private void signIn(Page page, String username, String password) {
        page.navigate(console() + "/");
        page.waitForURL(url -> url.contains("/login"));
        page.fill("#username", username);
        page.fill("#password", password);
        page.click("button:has-text('Sign in')");
        page.waitForURL(url -> url.startsWith(console()));
    }

    /** The hospital's first sandbox order, with the credential the page showed: evidence for going live. */
    private void sendSandboxOrder(String tenant, String clientId, String secret) {
        String token = system.tenantService().tokens().clientCredentials(clientId, secret);
        byte[] order = WalkingSkeletonSystemTest.sample("orm-o01-v23.hl7", "MSG-ORM-0001", "MSG-BROWSER-1");
        Eventually.await("the sandbox order accepted", Duration.ofSeconds(20), () -> {
            try {
                var answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                                system.url("ingress-service") + "/hl7/" + tenant + "/sandbox"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/hl7-v2")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(order)).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
                return answer.body().contains("MSA|AA") ? Optional.of(true) : Optional.empty();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        var admin = system.tenantService().api(system.adminToken());
        Eventually.await("sandbox evidence", Duration.ofSeconds(20), () ->
                Api.ok(admin.get("/api/tenants/" + tenant + "/integration")).contains("accepted over http-hl7")
                        ? Optional.of(true) : Optional.empty());
    }

    private String console() {
        return system.url("console");
    }

    private static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
    }
}
