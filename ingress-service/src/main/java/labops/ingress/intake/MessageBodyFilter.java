package labops.ingress.intake;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import labops.ingress.IngressProperties;
import labops.platform.kafka.LabOpsKafkaProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The body of every message channel over HTTP (HL7 over HTTP, REST orders, FHIR), read here once and held to the one
 * largest message size however it comes: declared ({@code Content-Length}), chunked, or gzip-compressed (the decoded
 * size counts; a gzip body is handed on decoded). A body over the limit is not held: the channel finds
 * {@link #TOO_LARGE} (the limit) and the body's first {@value #HEAD_BYTES} bytes, and answers in its own protocol
 * (AR, 413 OperationOutcome, 413 problem). Bodies being read or held share one memory budget per instance
 * ({@code labops.ingress.http-body-budget}); a request that would exceed it waits a moment, then gets 503 with
 * {@code Retry-After}, never an {@code OutOfMemoryError}.
 */
@Component
// After Spring Security: a caller without a valid token is turned away before a byte of its body is read.
@Order(Ordered.LOWEST_PRECEDENCE - 10)
public class MessageBodyFilter extends OncePerRequestFilter {

    /** Request attribute set when the body was larger than the limit: the limit in bytes (an Integer). */
    public static final String TOO_LARGE = MessageBodyFilter.class.getName() + ".tooLarge";
    static final int HEAD_BYTES = 64 * 1024;
    private static final List<String> CHANNELS = List.of("/hl7/", "/api/orders/", "/fhir/");
    private static final int CHUNK = 64 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final int limit;
    private final Semaphore budget;

    MessageBodyFilter(LabOpsKafkaProperties kafka, IngressProperties ingress) {
        this.limit = kafka.maxMessageBytes();
        this.budget = new Semaphore(kilobytes(ingress.httpBodyBudgetBytes()), true);
    }

    /** How every channel tells a sender its message was over the limit: "larger than 10485760 bytes, the limit (10 MB)". */
    public static String overLimit(int limit) {
        String readable = limit >= 1024 * 1024 && limit % (1024 * 1024) == 0 ? limit / (1024 * 1024) + " MB"
                : limit >= 1024 ? limit / 1024 + " KB" : limit + " bytes";
        return "larger than " + limit + " bytes, the limit (" + readable + ")";
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !"POST".equals(request.getMethod()) || CHANNELS.stream().noneMatch(path::startsWith);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String encoding = request.getHeader("Content-Encoding");
        boolean gzip = encoding != null && encoding.trim().equalsIgnoreCase("gzip");
        if (encoding != null && !gzip && !encoding.trim().equalsIgnoreCase("identity")) {
            problem(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "this Content-Encoding is not accepted: send the body "
                    + "as it is, or gzip-compressed");
            return;
        }
        var held = new Held();
        try {
            // Declared too large: only its head is read, to answer it (an HL7 ACK names the message's MSH-10).
            boolean declaredTooLarge = request.getContentLengthLong() > limit;
            InputStream in = gzip ? new GZIPInputStream(request.getInputStream(), CHUNK) : request.getInputStream();
            byte[] read = read(in, held, declaredTooLarge ? HEAD_BYTES : limit + 1);
            if (read == null) {
                problem(response, HttpStatus.SERVICE_UNAVAILABLE, "Lab Ops is receiving more than it can hold "
                        + "right now: nothing was stored; send the same request again in a few seconds");
                return;
            }
            boolean tooLarge = declaredTooLarge || read.length > limit;
            byte[] body = tooLarge ? Arrays.copyOf(read, Math.min(HEAD_BYTES, read.length)) : read;
            if (tooLarge) {
                request.setAttribute(TOO_LARGE, limit);
            }
            chain.doFilter(new Body(request, body), response);
        } catch (java.util.zip.ZipException e) {
            problem(response, HttpStatus.BAD_REQUEST, "Content-Encoding gzip, but the body is not gzip data");
        } finally {
            held.release();
        }
    }

    /**
     * Up to {@code most} bytes (one past the limit tells a body over it), each chunk taken from the budget first; null
     * when the budget stays exhausted.
     */
    private static byte[] read(InputStream in, Held held, int most) throws IOException {
        var out = new ByteArrayOutputStream(Math.min(most, CHUNK));
        byte[] chunk = new byte[CHUNK];
        while (out.size() < most) {
            int n = in.read(chunk, 0, Math.min(CHUNK, most - out.size()));
            if (n < 0) {
                break;
            }
            if (!held.take(n)) {
                return null;
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    private static int kilobytes(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, (bytes + 1023) / 1024);
    }

    private static void problem(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        response.setStatus(status.value());
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            response.setHeader("Retry-After", "5");
        }
        response.setContentType("application/problem+json");
        response.getOutputStream().write(JSON.writeValueAsBytes(ProblemDetail.forStatusAndDetail(status, detail)));
    }

    /** What one request holds of the budget, in kilobytes, given back when it is answered. */
    private final class Held {

        private int kilobytes;

        boolean take(int bytes) {
            int wanted = kilobytes(bytes);
            try {
                if (!budget.tryAcquire(wanted, 2, TimeUnit.SECONDS)) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            kilobytes += wanted;
            return true;
        }

        void release() {
            budget.release(kilobytes);
            kilobytes = 0;
        }
    }

    /** The request with its body read: decoded, its length what was read, no Content-Encoding any more. */
    private static final class Body extends HttpServletRequestWrapper {

        private final byte[] body;

        Body(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            var in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            String charset = getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding();
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
                    java.nio.charset.Charset.forName(charset)));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public String getHeader(String name) {
            if ("Content-Encoding".equalsIgnoreCase(name)) {
                return null;
            }
            if ("Content-Length".equalsIgnoreCase(name)) {
                return Integer.toString(body.length);
            }
            return super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            String value = getHeader(name);
            if ("Content-Encoding".equalsIgnoreCase(name) || "Content-Length".equalsIgnoreCase(name)) {
                return value == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(value));
            }
            return super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(name -> !"Content-Encoding".equalsIgnoreCase(name)).toList());
        }
    }
}
