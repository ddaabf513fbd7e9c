package io.scasml.pde.expr;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The whitelisted functions, with their arities and the Java each one becomes. */
public final class Functions {
    private Functions() {
    }

    /** Functions of one scalar. */
    static final List<String> SCALAR1 = Arrays.asList(
        "exp", "log", "log1p", "expm1", "sqrt", "abs", "sin", "cos", "tan", "atan", "sinh", "cosh", "tanh",
        "floor", "ceil", "logistic");
    /** Functions of two scalars. */
    static final List<String> SCALAR2 = Arrays.asList("min", "max", "pow");
    /** Functions of one vector. */
    static final List<String> VECTOR1 = Arrays.asList("sum", "norm", "norm2", "min", "max");
    /** Reductions {@code f(k, lo, hi, expr)}. */
    static final List<String> REDUCTIONS = Arrays.asList("sum", "prod", "min", "max");

    /** Every function name. */
    public static Set<String> names() {
        Set<String> s = new LinkedHashSet<>(SCALAR1);
        s.addAll(SCALAR2);
        s.addAll(VECTOR1);
        s.addAll(REDUCTIONS);
        s.add("dot");
        s.add("if");
        return s;
    }

    /** Applies a function of one scalar (the interpreter's and folding's semantics, equal to the generated Java). */
    static double apply1(String f, double a) {
        switch (f) {
            case "exp": return Math.exp(a);
            case "log": return Math.log(a);
            case "log1p": return Math.log1p(a);
            case "expm1": return Math.expm1(a);
            case "sqrt": return Math.sqrt(a);
            case "abs": return Math.abs(a);
            case "sin": return Math.sin(a);
            case "cos": return Math.cos(a);
            case "tan": return Math.tan(a);
            case "atan": return Math.atan(a);
            case "sinh": return Math.sinh(a);
            case "cosh": return Math.cosh(a);
            case "tanh": return Math.tanh(a);
            case "floor": return Math.floor(a);
            case "ceil": return Math.ceil(a);
            case "logistic": return SpecMath.logistic(a);
            default: throw new IllegalStateException(f);
        }
    }

    /** Java call prefix of a function of one scalar; the argument and ')' follow. */
    static String java1(String f) {
        return f.equals("logistic") ? "io.scasml.pde.expr.SpecMath.logistic(" : "Math." + f + "(";
    }

    static double apply2(String f, double a, double b) {
        switch (f) {
            case "min": return Math.min(a, b);
            case "max": return Math.max(a, b);
            default: throw new IllegalStateException(f);
        }
    }
}
