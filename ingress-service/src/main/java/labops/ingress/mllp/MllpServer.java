package labops.ingress.mllp;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import labops.ingress.IngressProperties;
import labops.ingress.endpoint.EndpointDirectory;
import labops.ingress.endpoint.MllpEndpoint;
import labops.ingress.hl7.Hl7Receiver;
import labops.platform.kafka.LabOpsKafkaProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** One MLLP listener per endpoint; opens and closes sockets as the tenant directory's endpoint list changes. */
@Component
class MllpServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MllpServer.class);

    /** Linux's epoll where Netty's native transport loads (fewer system calls per message), else NIO. */
    private static final boolean EPOLL = Epoll.isAvailable();

    private final EndpointDirectory directory;
    private final Hl7Receiver receiver;
    private final IngressProperties properties;
    private final int maxMessageBytes;
    private final Optional<SslContext> tls;
    private final Map<Integer, Channel> listeners = new ConcurrentHashMap<>();
    /** Connections counted against each tenant environment's cap, and against each source address's. */
    private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final Map<InetAddress, AtomicInteger> sources = new ConcurrentHashMap<>();
    private final FrameBudget frameBudget;
    private final MeterRegistry meters;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private volatile boolean running;

    MllpServer(EndpointDirectory directory, Hl7Receiver receiver, IngressProperties properties,
               LabOpsKafkaProperties kafka, MeterRegistry meters) {
        this.maxMessageBytes = kafka.maxMessageBytes();
        this.frameBudget = new FrameBudget(properties.frameBudgetBytes());
        this.meters = meters;
        this.tls = MllpTls.context(properties.tls());
        this.directory = directory;
        this.receiver = receiver;
        this.properties = properties;
    }

    /** Connections ingress closed, by why: {@code labops.ingress.mllp.connections.closed{reason}}. */
    private void closed(String reason) {
        meters.counter("labops.ingress.mllp.connections.closed", "reason", reason).increment();
    }

    @Override
    public void start() {
        boss = new MultiThreadIoEventLoopGroup(1, io());
        // One event loop per core: more only adds context switches on a small machine.
        workers = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), io());
        running = true;
        directory.onChange(this::reconcile);
    }

    private static IoHandlerFactory io() {
        return EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    private static Class<? extends ServerChannel> serverChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    @Override
    public void stop() {
        running = false;
        listeners.values().forEach(Channel::close);
        listeners.clear();
        boss.shutdownGracefully();
        workers.shutdownGracefully();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private synchronized void reconcile(Map<Integer, MllpEndpoint> endpoints) {
        if (!running) {
            return;
        }
        listeners.keySet().stream().filter(port -> !endpoints.containsKey(port)).toList().forEach(port -> {
            listeners.remove(port).close();
            log.info("event=mllp-listener-closed port={}", port);
        });
        endpoints.values().stream().filter(e -> !listeners.containsKey(e.port())).forEach(this::listen);
    }

    private void listen(MllpEndpoint endpoint) {
        int port = endpoint.port();
        SslContext tls = null;
        if (endpoint.tls()) {
            tls = this.tls.orElse(null);
            if (tls == null) {
                log.error("event=mllp-listener-not-opened port={} reason=tls-requested-but-no-key-store", port);
                return;
            }
        }
        SslContext secured = tls;
        try {
            Channel channel = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(serverChannel())
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (secured != null) {
                                ch.pipeline().addLast(secured.newHandler(ch.alloc()));
                            }
                            ch.pipeline().addLast(
                                    new IdleStateHandler(0, 0, properties.idleTimeout().toMillis(), TimeUnit.MILLISECONDS),
                                    new MllpFrameDecoder(maxMessageBytes, properties.frameTimeout(), frameBudget),
                                    new Connection(port, secured != null));
                        }
                    })
                    .bind(port).sync().channel();
            listeners.put(port, channel);
            log.info("event=mllp-listener-open port={} tls={} transport={}", port, secured != null,
                    EPOLL ? "epoll" : "nio");
        } catch (Exception e) {
            log.error("event=mllp-listener-failed port={} reason={}", port, e.getClass().getSimpleName());
        }
    }

    /**
     * One sender connection. ACKs go back in the order the messages came. The work per message runs on this
     * connection's event loop and never waits; Kafka's callback only completes the answer, which is written from the
     * event loop. With {@code max-in-flight} messages awaiting Kafka, ingress stops reading until one is answered:
     * back-pressure on the socket instead of an unbounded queue. A source address holding its connection cap has the
     * next one closed at connect; a tenant environment holding its cap has the next one closed once its source is known
     * to be allowed and its TLS handshake is done (so neither a stranger nor a failed handshake uses up the tenant's
     * connections, and sandbox never uses up production's). A connection with nothing owed to it and nothing sent for
     * the idle timeout is closed; so is one whose frame is too slow or does not fit the instance's budget.
     */
    private final class Connection extends SimpleChannelInboundHandler<Object> {

        private final int port;
        private final boolean tls;
        private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);
        private int inFlight;
        private AtomicInteger sourceConnections;
        private AtomicInteger tenantConnections;

        Connection(int port, boolean tls) {
            this.port = port;
            this.tls = tls;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            InetAddress source = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
            sourceConnections = sources.computeIfAbsent(source, s -> new AtomicInteger());
            if (sourceConnections.incrementAndGet() > properties.maxConnectionsPerSource()) {
                refuse(ctx, "source-connection-limit", properties.maxConnectionsPerSource());
                return;
            }
            if (!tls) {
                countForTenant(ctx, source);
            }
            super.channelActive(ctx);
        }

        /** Counts the connection against its tenant environment's cap, once its source is allowed there. */
        private void countForTenant(ChannelHandlerContext ctx, InetAddress source) {
            var endpoint = directory.byPort(port);
            if (endpoint.isEmpty() || !endpoint.get().admits(source.getHostAddress())) {
                return;
            }
            tenantConnections = connections.computeIfAbsent(endpoint.get().tenantId() + "/"
                    + endpoint.get().environment(), t -> new AtomicInteger());
            if (tenantConnections.incrementAndGet() > properties.maxConnectionsPerTenant()) {
                refuse(ctx, "tenant-connection-limit", properties.maxConnectionsPerTenant());
            }
        }

        private void refuse(ChannelHandlerContext ctx, String reason, int limit) {
            closed(reason);
            log.info("event=mllp-connection-refused port={} reason={} limit={}", port, reason, limit);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (tenantConnections != null) {
                tenantConnections.decrementAndGet();
                tenantConnections = null;
            }
            if (sourceConnections != null) {
                sourceConnections.decrementAndGet();
                sourceConnections = null;
            }
            super.channelInactive(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof SslHandshakeCompletionEvent handshake && handshake.isSuccess() && ctx.channel().isActive()) {
                countForTenant(ctx, ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress());
            }
            if (event instanceof MllpFrameDecoder.Closed why) {
                closed(why.name().toLowerCase(Locale.ROOT).replace('_', '-'));
                log.info("event=mllp-connection-closed port={} reason={}", port, why);
                return;
            }
            // A connection waiting for an answer (the broker slow or down) is not idle: the sender is owed an ACK.
            if (event instanceof IdleStateEvent && inFlight == 0) {
                closed("idle");
                log.info("event=mllp-connection-idle-closed port={} after={}", port, properties.idleTimeout());
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object frame) {
            var sender = (InetSocketAddress) ctx.channel().remoteAddress();
            // A whole message stays in memory (and in Kafka's batch) until it is answered: it counts till then.
            long held = frame instanceof byte[] message ? message.length : 0;
            frameBudget.hold(held);
            var answer = frame instanceof MllpFrameDecoder.Oversize oversize
                    ? receiver.receiveOversize(oversize.head(), oversize.limit(), port, sender)
                    : receiver.receive((byte[]) frame, port, sender, ctx.executor());
            if (++inFlight >= properties.maxInFlight()) {
                ctx.channel().config().setAutoRead(false);
            }
            previous = previous.thenCombineAsync(answer, (ignored, answered) -> answered.ack(), ctx.executor())
                    .thenAccept(ack -> {
                        frameBudget.release(held);
                        // Enhanced mode may ask for no acknowledgement in this case (MSH-15 NE, ER or SU).
                        if (ack.length > 0) {
                            ctx.writeAndFlush(Unpooled.wrappedBuffer(MllpFrameDecoder.frame(ack)));
                        }
                        if (--inFlight < properties.maxInFlight()) {
                            ctx.channel().config().setAutoRead(true);
                        }
                    });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.warn("event=mllp-connection-error port={} reason={}", port, cause.getClass().getSimpleName());
            ctx.close();
        }
    }
}
