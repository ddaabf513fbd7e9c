package io.scasml.surrogate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scasml.kernels.surrogate.Surrogate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code inspect DIR [--at t,x1,…,xd | --at t,c] [--json] [--precision fp64|fp32] [--surrogate-max-… N]}: validates a format-v1 surrogate and prints its
 * type, dimension, layers, parameter count, activation and checksum, and at the given point its value, ∂t, gradient
 * and Laplacian. With {@code --json}: one object with keys {@code value}, {@code dt}, {@code grad}, {@code laplacian}
 * (present with {@code --at}) besides the metadata. The {@link SurrogateLimitsOptions} raise or lower the resource
 * limits. Exit status 0, 2 for an invalid surrogate or argument.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Validate and describe a format-v1 surrogate directory; evaluate it at a point.")
public class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "surrogate directory (local path or Hadoop URI)")
    String dir;

    @Option(names = "--at", paramLabel = "t,x1,...,xd", description = "evaluate at this point (time first); t,c with"
            + " two numbers: every coordinate equal to c (for large d)")
    String at;

    /** Text output lists the whole gradient up to this dimension, else its first entries and its norm. */
    static final int GRAD_PRINT_MAX = 20;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Option(names = "--precision", defaultValue = "fp64", description = "fp64 or fp32 (default ${DEFAULT-VALUE})")
    String precision;

    @CommandLine.Mixin
    SurrogateLimitsOptions limits = new SurrogateLimitsOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** For picocli. */
    public InspectCommand() {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
        PrintWriter err = spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
        SurrogateModel m;
        try {
            m = SurrogateLoader.load(dir, new org.apache.hadoop.conf.Configuration(), limits.toLimits());
        } catch (IllegalArgumentException e) {
            err.println("inspect: " + e.getMessage());
            err.flush();
            return 2;
        } catch (SurrogateFormatException e) {
            err.println("inspect: " + e.getMessage());
            err.flush();
            return 2;
        }
        Precision p = "fp32".equalsIgnoreCase(precision) ? Precision.FP32 : Precision.FP64;
        if (!"fp32".equalsIgnoreCase(precision) && !"fp64".equalsIgnoreCase(precision)) {
            err.println("inspect: --precision must be fp64 or fp32, got '" + precision + "'");
            err.flush();
            return 2;
        }
        int d = m.dim();
        double[] point = null;
        if (at != null) {
            String[] parts = at.split(",");
            if (parts.length != d + 1 && parts.length != 2) {
                err.println("inspect: --at needs t and " + d + " coordinates (" + (d + 1) + " numbers), or t,c"
                        + " (every coordinate c), got " + parts.length + " numbers");
                err.flush();
                return 2;
            }
            point = new double[d + 1];
            try {
                for (int i = 0; i <= d; i++) {
                    point[i] = Double.parseDouble(parts[Math.min(i, parts.length - 1)].strip());
                }
            } catch (NumberFormatException e) {
                err.println("inspect: --at: not a number: " + e.getMessage());
                err.flush();
                return 2;
            }
        }
        double u = 0;
        double dt = 0;
        double lap = 0;
        double[] grad = new double[d];
        if (point != null) {
            Surrogate s = m.evaluator(p);
            double[] t = {point[0]};
            double[] x = java.util.Arrays.copyOfRange(point, 1, d + 1);
            double[] uu = new double[1];
            double[] dd = new double[1];
            double[] ll = new double[1];
            s.residualTerms(1, t, x, uu, dd, grad, ll);
            u = uu[0];
            dt = dd[0];
            lap = ll[0];
        }
        if (json) {
            ObjectMapper om = new ObjectMapper();
            ObjectNode o = om.createObjectNode();
            o.put("source", m.source());
            o.put("type", m.type());
            o.put("dim", d);
            o.put("parameters", m.parameterCount());
            o.put("checksum", m.checksum());
            if (m instanceof MlpModel mm) {
                o.put("activation", mm.activation().id());
                ArrayNode ws = o.putArray("widths");
                for (int wv : mm.widths()) {
                    ws.add(wv);
                }
                ArrayNode ln = o.putArray("layers");
                mm.layerNames().forEach(ln::add);
            } else if (m instanceof RbfModel rm) {
                o.put("lengthscale", rm.lengthscale());
                ObjectNode b = o.putObject("blocks");
                for (RbfModel.Block blk : RbfModel.Block.values()) {
                    if (rm.has(blk)) {
                        b.put(blk.id(), rm.count(blk));
                    }
                }
            }
            if (point != null) {
                o.put("precision", p.name().toLowerCase(java.util.Locale.ROOT));
                o.put("value", u);
                o.put("dt", dt);
                ArrayNode g = o.putArray("grad");
                for (double v : grad) {
                    g.add(v);
                }
                o.put("laplacian", lap);
            }
            out.println(om.writeValueAsString(o));
        } else {
            out.println("source: " + m.source());
            out.print(m.describe());
            out.println("checksum: sha256:" + m.checksum());
            if (point != null) {
                out.println("at t=" + point[0] + " (" + p + "):");
                out.println("  value: " + u);
                out.println("  dt: " + dt);
                if (d <= GRAD_PRINT_MAX) {
                    out.println("  grad: " + java.util.Arrays.toString(grad));
                } else {
                    double n2 = 0;
                    for (double g : grad) {
                        n2 += g * g;
                    }
                    out.println("  grad: " + java.util.Arrays.toString(java.util.Arrays.copyOf(grad, 8))
                            .replace("]", ", ...] (" + d + " entries; --json lists all)"));
                    out.println("  |grad|: " + Math.sqrt(n2));
                }
                out.println("  laplacian: " + lap);
            }
        }
        out.flush();
        return 0;
    }

    /** Standalone entry point. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new InspectCommand()).execute(args));
    }
}
