package io.scasml.pde;

import io.scasml.kernels.random.StreamKeys;
import io.scasml.pde.expr.JavaEmitter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.rng.UniformRandomProvider;
import org.codehaus.janino.SimpleCompiler;

/**
 * Compiles specs with Janino, once per JVM per (content, d, source). The generated class is loaded by a fresh class
 * loader whose parent is the loader of {@link SpecKernels} — never the thread context class loader — so it sees this
 * module's classes wherever they were loaded from (a Spark application jar, a test class path).
 */
final class SpecCompiler {
    /** Name of every generated class (each lives in its own class loader). */
    static final String CLASS_NAME = "GeneratedSpecKernels";
    /** Stack of the compiling thread: Janino's parser recurses once per parenthesis. */
    private static final long COMPILER_STACK = 64L << 20;

    private static final ConcurrentMap<String, FutureTask<SpecPde>> CACHE = new ConcurrentHashMap<>();

    private SpecCompiler() {
    }

    static SpecPde compileCached(PdeSpec spec) {
        String key = spec.cacheKey();
        FutureTask<SpecPde> task = CACHE.get(key);
        if (task == null) {
            FutureTask<SpecPde> mine = new FutureTask<>(() -> compile(spec));
            task = CACHE.putIfAbsent(key, mine);
            if (task == null) {
                task = mine;
                mine.run();
            }
        }
        try {
            return task.get();
        } catch (ExecutionException e) {
            CACHE.remove(key, task);
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling " + spec.source(), e);
        }
    }

    /** Number of specs compiled by this JVM (cache misses); for tests. */
    static int cacheSize() {
        return CACHE.size();
    }

    /** The Java source generated for a spec (for diagnostics and tests). */
    static String javaSource(SpecModel m) {
        return JavaEmitter.classSource(CLASS_NAME, m.dim, m.vectors.size(), m.generator, m.terminal, m.exact);
    }

    static SpecPde compile(PdeSpec spec) {
        SpecModel m = spec.model();
        String src = javaSource(m);
        AtomicReference<Object> result = new AtomicReference<>();
        Thread th = new Thread(null, () -> {
            try {
                SimpleCompiler c = new SimpleCompiler();
                c.setParentClassLoader(SpecKernels.class.getClassLoader());
                c.cook(src);
                Class<?> cls = c.getClassLoader().loadClass(CLASS_NAME);
                Object k = cls.getConstructor(double[][].class).newInstance((Object) m.vectors.toArray(new double[0][]));
                result.set(k);
            } catch (Throwable e) {
                result.set(e);
            }
        }, "pde-spec-compiler", COMPILER_STACK);
        th.start();
        try {
            th.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling " + spec.source(), e);
        }
        Object r = result.get();
        if (r instanceof Throwable e) {
            throw new SpecException(spec.source(), null, null,
                "internal error: the generated code did not compile (" + e + "); please report this spec", e);
        }
        SpecPde pde = new SpecPde(spec, m, (SpecKernels) r);
        if (m.coleHopf != null) {
            checkColeHopf(pde, m);
        }
        if (m.radial != null) {
            checkRadial(pde, m);
        }
        return pde;
    }

    /**
     * The radial reference is only valid for μ = 0, a radial g and F(t, u) free of x and z: check μ exactly, the
     * others on a few random arguments (g at x against g at (‖x‖, 0, …, 0); F at (x, z) against F at (0, 0)).
     */
    private static void checkRadial(SpecPde pde, SpecModel m) {
        for (double v : m.mu) {
            if (v != 0) {
                throw new SpecException(m.source, "exact", "method radial needs mu = 0, got a component " + v);
            }
        }
        int d = m.dim;
        int n = 4;
        UniformRandomProvider rng = StreamKeys.stream(StreamKeys.mix64(0x4AD1A1L));
        double[] t = new double[n];
        double[] x = new double[n * d];
        double[] e1 = new double[n * d];
        double[] u = new double[n];
        double[] z = new double[n * d];
        double[] zero = new double[n * d];
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = m.horizon * rng.nextDouble();
            u[i] = rng.nextDouble() * 2 - 1;
            double s = 0;
            for (int k = 0; k < d; k++) {
                x[i * d + k] = (rng.nextDouble() * 2 - 1) / Math.sqrt(d);
                z[i * d + k] = rng.nextDouble() * 2 - 1;
                s += x[i * d + k] * x[i * d + k];
            }
            e1[i * d] = Math.sqrt(s);
        }
        pde.terminal(n, x, a);
        pde.terminal(n, e1, b);
        for (int i = 0; i < n; i++) {
            if (!(Math.abs(a[i] - b[i]) <= 1e-9 * (1 + Math.abs(a[i])))) {
                throw new SpecException(m.source, "exact", "method radial needs a terminal condition that depends on "
                    + "|x| only, but g(x) = " + a[i] + " and g(|x|, 0, ..., 0) = " + b[i]);
            }
        }
        pde.generator(n, t, x, u, z, a);
        pde.generator(n, t, zero, u, zero, b);
        for (int i = 0; i < n; i++) {
            if (!(Math.abs(a[i] - b[i]) <= 1e-12 * (1 + Math.abs(a[i])))) {
                throw new SpecException(m.source, "exact", "method radial needs a generator F(t, u) free of x and z, "
                    + "but F(t, x, u, z) = " + a[i] + " and F(t, 0, u, 0) = " + b[i]);
            }
        }
    }

    /** The Cole–Hopf reference is only valid when F = −(λ/2)‖z‖²; check it on a few random arguments. */
    private static void checkColeHopf(SpecPde pde, SpecModel m) {
        int d = m.dim;
        int n = 8;
        UniformRandomProvider rng = StreamKeys.stream(StreamKeys.mix64(0xC0E4_0BFL));
        double[] t = new double[n];
        double[] x = new double[n * d];
        double[] u = new double[n];
        double[] z = new double[n * d];
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = m.horizon * rng.nextDouble();
            u[i] = rng.nextDouble() * 2 - 1;
        }
        for (int k = 0; k < n * d; k++) {
            x[k] = rng.nextDouble() * 2 - 1;
            z[k] = rng.nextDouble() * 2 - 1;
        }
        pde.generator(n, t, x, u, z, out);
        double lambda = m.coleHopf.lambda();
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += z[i * d + k] * z[i * d + k];
            }
            double want = -0.5 * lambda * s;
            if (!(Math.abs(out[i] - want) <= 1e-12 * (1 + Math.abs(want)))) {
                throw new SpecException(m.source, "exact", "method cole_hopf needs generator = -(lambda/2)*norm2(z) with lambda = "
                    + lambda + ", but F = " + out[i] + " where that gives " + want);
            }
        }
    }
}
