package io.scasml.pde;

import io.scasml.kernels.pde.Domain;
import io.scasml.pde.expr.Node;
import java.util.List;

/** A parsed and validated spec for one dimension: every number known, every expression resolved. */
final class SpecModel {
    /** The Cole–Hopf reference solution of an exact: {@code method: cole_hopf} entry. */
    record ColeHopf(double lambda, int samples, long seed) {
    }

    /**
     * The finite-difference reference of an exact: {@code method: radial} entry (radial g, F(t, u), μ = 0;
     * {@link RadialReference}): grid intervals in s = ‖x‖² and time steps.
     */
    record Radial(int sPoints, int tSteps) {
    }

    String source;
    String name;
    String description;
    int dim;
    int defaultDim;
    boolean dimIsParameter;
    double horizon;
    double sigma;
    double[] mu;
    Domain domain;
    Double clipMlp;
    Double clipScasml;
    Node generator;
    Node terminal;
    /** The exact solution as an expression, or null. */
    Node exact;
    /** The Cole–Hopf reference, or null. */
    ColeHopf coleHopf;
    /** The radial finite-difference reference, or null. */
    Radial radial;
    List<double[]> vectors;
    List<Reference> references;
}
