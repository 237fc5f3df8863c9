package dev.wisp.bench.live;

import dev.wisp.bench.sim.Window;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;

/**
 * Carries out a {@link LivePlan} against a Wisp endpoint: creates the keys (one per source label,
 * one deployer per tenant), deploys the synthetic functions with the Lambda API, and turns every
 * planned call and control into a step for the {@link LoadGenerator}. Records outcomes and the
 * realised injection and benign windows on the scenario's clock.
 */
final class LiveActions implements AutoCloseable {
    private final WispEndpoint endpoint;
    private final LivePlan plan;
    private final DependencyServer dependency;
    private final PrintStream out;
    private final Map<String, WispEndpoint.Key> keys = new LinkedHashMap<>();
    private final Map<String, LambdaClient> clients = new LinkedHashMap<>();
    private final Map<String, URI> urls = new LinkedHashMap<>();
    private final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    private final Map<String, List<Window>> injectionWindows = new LinkedHashMap<>();
    private final Map<String, List<Window>> benignWindows = new LinkedHashMap<>();
    private final Map<String, Long> open = new LinkedHashMap<>();
    private Duration timeout = Duration.ofSeconds(60);
    private volatile TelemetryShift shift;
    /** A dispatch-capacity cut is in force on the server (restored on close if the run ends early). */
    private volatile boolean collapsed;

    LiveActions(WispEndpoint endpoint, LivePlan plan, DependencyServer dependency, PrintStream out) {
        this.endpoint = endpoint;
        this.plan = plan;
        this.dependency = dependency;
        this.out = out;
    }

    /** Keys, deployments, function URLs and one Lambda client per key, all before the clock starts. */
    void prepare() throws IOException, InterruptedException {
        int maxTimeout = plan.functions.values().stream().mapToInt(LivePlan.FunctionSpec::timeoutSeconds).max().orElse(30);
        timeout = Duration.ofSeconds(maxTimeout + 60L);
        for (String tenant : tenants()) key(tenant, "deployer");
        plan.sources.forEach((tenant, labels) -> labels.forEach(l -> uncheckedKey(tenant, l)));
        for (LivePlan.FunctionSpec f : plan.functions.values()) deploy(f);
    }

    private List<String> tenants() {
        List<String> t = new ArrayList<>();
        for (LivePlan.FunctionSpec f : plan.functions.values()) if (!t.contains(f.tenant())) t.add(f.tenant());
        return t;
    }

    private void uncheckedKey(String tenant, String label) {
        try {
            key(tenant, label);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private WispEndpoint.Key key(String tenant, String label) throws IOException, InterruptedException {
        String id = tenant + "/" + label;
        WispEndpoint.Key k = keys.get(id);
        if (k == null) {
            k = endpoint.createKey(tenant);
            keys.put(id, k);
            clients.put(id, endpoint.lambda(k, timeout));
        }
        return k;
    }

    private void deploy(LivePlan.FunctionSpec f) {
        LambdaClient lambda = clients.get(f.tenant() + "/deployer");
        Map<String, String> env = new LinkedHashMap<>(f.env());
        if (dependency != null && plan.dependencyTarget(f.name())) env.put("WISP_SYN_DEPENDENCY_URL", dependency.urlFor(f.name()));
        f.env().clear();
        f.env().putAll(env);
        lambda.createFunction(r -> r.functionName(f.name()).runtime(f.code().runtime()).handler(f.code().handler())
                .role("arn:aws:iam::000000000000:role/bench-" + (f.role() == null ? "fn" : f.role()))
                .memorySize(f.memoryMb()).timeout(f.timeoutSeconds()).description("wisp bench synthetic function")
                .environment(e -> e.variables(env)).code(c -> c.zipFile(SdkBytes.fromByteArray(f.code().zip()))));
        if (f.reservedConcurrency() != null) {
            lambda.putFunctionConcurrency(r -> r.functionName(f.name()).reservedConcurrentExecutions(f.reservedConcurrency()));
        }
        if (f.url()) {
            String url = lambda.createFunctionUrlConfig(r -> r.functionName(f.name()).authType(FunctionUrlAuthType.AWS_IAM)).functionUrl();
            urls.put(f.name(), URI.create(url));
        }
        out.printf("live: deployed %s (%s, %d MB%s)%n", f.name(), f.code().runtime(), f.memoryMb(), f.url() ? ", function URL" : "");
    }

    /**
     * Warms each function as the simulated history left it: a few instances already up, so the
     * live part does not open with a wave of cold starts that the history never had. Sends, at
     * once, about one request per expected benign arrival in the first seconds (an attack that
     * starts early must meet the instances the history left, not ones warmed for it); nothing of
     * this is scored (it happens before the scenario's clock starts).
     */
    void warmUp(long scenarioStart) throws InterruptedException {
        Map<String, Integer> firstSeconds = new LinkedHashMap<>();
        for (LivePlan.Call c : plan.calls) {
            if (!c.injected() && c.at() >= scenarioStart && c.at() < scenarioStart + WARM_WINDOW_MILLIS) firstSeconds.merge(c.function(), 1, Integer::sum);
        }
        List<Thread> threads = new ArrayList<>();
        firstSeconds.forEach((name, n) -> {
            LivePlan.FunctionSpec f = plan.functions.get(name);
            int parallel = Math.max(1, Math.min(WARM_MAX_INSTANCES, (int) Math.ceil(n / (WARM_WINDOW_MILLIS / 1000.0))));
            for (int i = 0; i < parallel; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        clients.get(f.tenant() + "/deployer").invoke(b -> b.functionName(name)
                                .payload(SdkBytes.fromUtf8String("{}")));
                    } catch (RuntimeException ignored) {
                        // a failed warm-up call only means a colder start
                    }
                }));
            }
            out.printf("live: warming %s with %d instance(s)%n", name, parallel);
        });
        for (Thread t : threads) t.join();
    }

    private static final long WARM_WINDOW_MILLIS = 10_000;
    private static final int WARM_MAX_INSTANCES = 8;

    Map<String, String> sourceKeyIds() {
        Map<String, String> m = new LinkedHashMap<>();
        keys.forEach((id, k) -> {
            if (id.startsWith(LivePlan.TENANT + "/")) m.put(id.substring(LivePlan.TENANT.length() + 1), k.accessKeyId());
        });
        return m;
    }

    void clock(TelemetryShift shift) { this.shift = shift; }

    List<LoadGenerator.Step> steps() {
        List<LoadGenerator.Step> steps = new ArrayList<>(plan.calls.size() + plan.controls.size());
        for (LivePlan.Control c : plan.controls) steps.add(new LoadGenerator.Step(c.at(), false, () -> control(c)));
        for (LivePlan.Call c : plan.calls) steps.add(new LoadGenerator.Step(c.at(), true, () -> call(c)));
        return steps;
    }

    private void control(LivePlan.Control c) {
        long now = shift.toScenario(System.currentTimeMillis());
        switch (c) {
            case LivePlan.OpenWindow w -> {
                synchronized (this) { open.putIfAbsent(windowKey(w.id(), w.benign()), now); }
            }
            case LivePlan.CloseWindow w -> closeWindow(w.id(), w.benign(), now);
            case LivePlan.Reconfigure r -> {
                LivePlan.FunctionSpec f = plan.functions.get(r.function());
                Map<String, String> env = new LinkedHashMap<>(r.env());
                String dep = f.env().get("WISP_SYN_DEPENDENCY_URL");
                if (dep != null) env.put("WISP_SYN_DEPENDENCY_URL", dep);
                clients.get(f.tenant() + "/deployer").updateFunctionConfiguration(b -> b.functionName(f.name())
                        .environment(e -> e.variables(env)));
                out.println("live: " + r.why());
            }
            case LivePlan.DispatchCollapse d -> dispatch(d);
            case LivePlan.DependencyFault d -> {
                if (d.fault() == null) dependency.heal(d.function());
                else dependency.fail(d.function(), d.fault());
            }
        }
    }

    private void dispatch(LivePlan.DispatchCollapse d) {
        try {
            if (d.factor() < 1) {
                String state = endpoint.collapseDispatch(d.factor(), d.durationMillis());
                collapsed = true;
                out.println("live: " + d.id() + ": dispatch capacity cut: " + state);
            } else if (collapsed) {
                collapsed = false;
                out.println("live: " + d.id() + ": dispatch capacity restored: " + endpoint.restoreDispatch());
            }
        } catch (IOException e) {
            if (d.factor() < 1) {
                // not realised: its window is dropped, so the injection is left out of scoring (and said so)
                synchronized (this) { open.remove(windowKey(d.id(), false)); }
                out.println("live: " + d.id() + " (queueing-collapse) not realised: " + e.getMessage());
            } else {
                out.println("live: " + d.id() + ": restoring dispatch capacity failed: " + e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void closeWindow(String id, boolean benign, long now) {
        Long from = open.remove(windowKey(id, benign));
        if (from == null) return;
        (benign ? benignWindows : injectionWindows).computeIfAbsent(id, k -> new ArrayList<>()).add(new Window(from, now));
    }

    /** Windows still open when the scored part ends close there. */
    synchronized void closeOpenWindows() {
        long now = shift.toScenario(System.currentTimeMillis());
        for (String k : List.copyOf(open.keySet())) closeWindow(k.substring(2), k.startsWith("b:"), now);
    }

    private static String windowKey(String id, boolean benign) { return (benign ? "b:" : "i:") + id; }

    private void call(LivePlan.Call c) {
        String id = c.tenant() + "/" + c.source();
        switch (c.trigger()) {
            case "http" -> http(c, keys.get(id));
            case "event", "schedule", "queue" -> sdk(c, clients.get(id), InvocationType.EVENT);
            default -> sdk(c, clients.get(id), InvocationType.REQUEST_RESPONSE);
        }
    }

    private void sdk(LivePlan.Call c, LambdaClient lambda, InvocationType type) {
        try {
            InvokeResponse r = lambda.invoke(b -> b.functionName(c.function()).invocationType(type)
                    .payload(SdkBytes.fromUtf8String(c.payload())));
            count(r.functionError() != null ? "function-error" : type == InvocationType.EVENT ? "accepted" : "ok");
        } catch (LambdaException e) {
            count(e.statusCode() == 429 ? "throttled" : "http-" + e.statusCode());
        }
    }

    private void http(LivePlan.Call c, WispEndpoint.Key key) {
        try {
            HttpResponse<String> r = endpoint.send(key, "POST", urls.get(c.function()), c.payload(), timeout);
            int s = r.statusCode();
            count(s == 200 ? "ok" : s == 429 ? "throttled" : s == 502 ? "function-error" : "http-" + s);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
    }

    Map<String, Long> outcomes() {
        Map<String, Long> m = new LinkedHashMap<>();
        outcomes.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> m.put(e.getKey(), e.getValue().get()));
        return m;
    }

    synchronized Map<String, List<Window>> injectionWindows() { return copy(injectionWindows); }

    synchronized Map<String, List<Window>> benignWindows() { return copy(benignWindows); }

    private static Map<String, List<Window>> copy(Map<String, List<Window>> m) {
        Map<String, List<Window>> c = new LinkedHashMap<>();
        m.forEach((k, v) -> c.put(k, List.copyOf(v)));
        return c;
    }

    @Override
    public void close() {
        if (collapsed) {
            try {
                endpoint.restoreDispatch();
            } catch (IOException | RuntimeException e) {
                out.println("live: restoring the server's dispatch capacity failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        clients.values().forEach(LambdaClient::close);
    }
}
