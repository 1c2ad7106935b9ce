package dev.qrref.conformance;

import dev.qrref.conformance.checks.BuffersMatch;
import dev.qrref.conformance.checks.ExactIntegerSums;
import dev.qrref.conformance.checks.OutputsMatch;
import dev.qrref.conformance.checks.RanksIdentical;
import dev.qrref.conformance.checks.ScaleWordsMatch;
import dev.qrref.conformance.checks.TailUntouched;
import dev.qrref.conformance.checks.ZeroGroupSign;
import dev.qrref.conformance.properties.CompiledSpec;
import dev.qrref.conformance.properties.DeviceSoak;
import dev.qrref.conformance.properties.ErrorContract;
import dev.qrref.conformance.properties.GraphReplay;
import dev.qrref.conformance.properties.LeakCycles;
import dev.qrref.conformance.properties.TwoProcesses;
import dev.qrref.conformance.properties.PeerTimeout;
import dev.qrref.conformance.properties.PerRankThreads;
import dev.qrref.conformance.properties.VariableSizes;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.QrException;
import dev.qrref.spec.QuantLevel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * The conformance suite: the case matrix with every {@link CaseCheck}, then every {@link SuiteProperty}. The same
 * bodies run against every backend; what changes is the oracle ({@link Expected}).
 */
public final class Suite {
    /** The part of a {@code --budget} the cases may spend when suite properties run after them. */
    static final double CASE_SHARE = 0.6;

    private Suite() {
    }

    public static List<CaseCheck> caseChecks() {
        return List.of(new OutputsMatch(), new RanksIdentical(), new TailUntouched(), new BuffersMatch(), new ScaleWordsMatch(), new ZeroGroupSign(),
                new ExactIntegerSums());
    }

    public static List<SuiteProperty> suiteProperties() {
        return List.of(new CompiledSpec(), new ErrorContract(), new PeerTimeout(), new VariableSizes(), new PerRankThreads(),
                new GraphReplay(), new DeviceSoak(), new TwoProcesses(), new LeakCycles());
    }

    public static SuiteResult run(Target target, SuiteConfig config, Listener listener) {
        long t0 = System.nanoTime();
        SuiteResult result = new SuiteResult(target.name(), target.backend().describe(), config.level().number(), config.baseSeed(),
                fullMatrix(target, config));
        List<CaseCheck> checks = new ArrayList<>();
        for (CaseCheck c : caseChecks()) {
            if (config.wants(c.name())) {
                checks.add(c);
                result.property(c.name(), c.description(), c.rules());
            }
        }
        List<CaseSpec> cases = checks.isEmpty() ? List.of() : CaseMatrix.cases(target, config);
        if (config.budgetSeconds() > 0) {
            cases = cases.stream().sorted(java.util.Comparator.comparingLong(CaseSpec::n)).toList();
        }
        listener.phase("cases on " + target.name(), cases.size());
        int done = 0;
        // with a budget and suite properties to follow, the cases get 60 % of it and the properties the rest
        boolean propertiesFollow = config.caseId() == null && suiteProperties().stream().anyMatch(p -> config.wants(p.name()));
        double caseBudget = config.budgetSeconds() * (propertiesFollow ? CASE_SHARE : 1.0);
        for (CaseSpec spec : cases) {
            if (config.budgetSeconds() > 0 && (System.nanoTime() - t0) / 1e9 > caseBudget) {
                result.casesNotRun = cases.size() - done;
                result.notRunReason = "the cases' share (" + Math.round(caseBudget) + " s) of the budget of " + config.budgetSeconds()
                        + " s was spent after " + done + " of " + cases.size()
                        + " cases (smallest first); the largest " + result.casesNotRun + " did not run";
                break;
            }
            listener.progress(done, cases.size(), spec.id());
            runCase(target, config, spec, checks, result, listener);
            done++;
        }
        listener.progress(done, cases.size(), "");
        result.caseSeconds = (System.nanoTime() - t0) / 1e9;
        for (CaseCheck c : checks) {
            SuiteResult.PropertyResult pr = result.properties.get(c.name());
            if (pr.passed == 0 && pr.failures.isEmpty()) {
                pr.skipped.add(c.whyNotApplicable(target));
            }
        }
        for (SuiteProperty p : suiteProperties()) {
            if (!config.wants(p.name()) || config.caseId() != null) {
                continue;
            }
            SuiteResult.PropertyResult pr = result.property(p.name(), p.description(), p.rules());
            if (config.budgetSeconds() > 0 && (System.nanoTime() - t0) / 1e9 > config.budgetSeconds()) {
                pr.skipped.add("not run: the budget of " + config.budgetSeconds() + " s was spent before it started");
                continue;
            }
            listener.phase(p.name(), 1);
            long p0 = System.nanoTime();
            p.run(target, config, new SuiteProperty.Sink() {
                @Override
                public void pass(String label) {
                    pr.pass(label);
                }

                @Override
                public void fail(Failure failure) {
                    pr.failures.add(failure);
                    listener.failure(failure);
                }

                @Override
                public void skip(String reason) {
                    pr.skipped.add(reason);
                }
            });
            pr.seconds += (System.nanoTime() - p0) / 1e9;
        }
        result.seconds = (System.nanoTime() - t0) / 1e9;
        return result;
    }

    /** Whether {@code config} leaves nothing of the target's matrix out (then coverage classes are required). */
    static boolean fullMatrix(Target target, SuiteConfig config) {
        return config.caseId() == null && config.worldSizes().containsAll(Geometry.WORLD_SIZES)
                && config.codecs().containsAll(EnumSet.allOf(QuantLevel.class))
                && config.paths().containsAll(EnumSet.allOf(DataPath.class)) && config.profiles().containsAll(target.profiles());
    }

    private static void runCase(Target target, SuiteConfig config, CaseSpec spec, List<CaseCheck> checks, SuiteResult result,
                                Listener listener) {
        List<CaseCheck> applicable = checks.stream().filter(c -> c.appliesTo(target, spec)).toList();
        if (applicable.isEmpty()) {
            return;
        }
        short[][] inputs = Inputs.generate(spec);
        if (config.isolate() >= 0) {
            inputs = Inputs.isolate(inputs, config.isolate());
        }
        boolean buffers = applicable.stream().anyMatch(CaseCheck::needsBuffers);
        List<String> failed = new ArrayList<>();
        CaseRun run;
        try {
            run = CaseRun.execute(target, spec, inputs, buffers);
        } catch (QrException e) {
            Failure f = reproducible(target, spec, config, Failure.message(dev.qrref.spec.Rule.API_ARGS, applicable.get(0).name(),
                    spec.id(), e.getClass().getSimpleName() + ": " + e.getMessage(), CaseCheck.repro(target, spec)));
            SuiteResult.PropertyResult pr = result.properties.get(applicable.get(0).name());
            pr.failures.add(f);
            listener.failure(f);
            result.cases.add(new SuiteResult.CaseRecord(spec.id(), 0, List.of(applicable.get(0).name()), 0));
            return;
        }
        Expected expected = Expected.of(target, spec, inputs, run.layout(), buffers);
        result.coverage.addAll(CoverageScanner.scan(spec, inputs, run.layout().maxBlocks()));
        for (CaseCheck check : applicable) {
            SuiteResult.PropertyResult pr = result.properties.get(check.name());
            long k0 = System.nanoTime();
            Optional<Failure> f = check.check(target, run, expected);
            if (f.isPresent() && check instanceof OutputsMatch && config.isolate() < 0) {
                f = Optional.of(minimise(target, spec, inputs, check, f.get()));
            }
            f = f.map(x -> reproducible(target, spec, config, x));
            pr.seconds += (System.nanoTime() - k0) / 1e9;
            if (f.isPresent()) {
                pr.failures.add(f.get());
                failed.add(check.name());
                listener.failure(f.get());
            } else {
                pr.pass(spec.id());
            }
        }
        if (spec.kind() == InputKind.GAUSSIAN) {
            ErrorHistogram.add(result, spec, inputs, run.outputs()[0]);
        }
        result.cases.add(new SuiteResult.CaseRecord(spec.id(), run.seconds(), failed, (long) spec.worldSize() * spec.n()));
    }

    /**
     * A failure of a run whose inputs were isolated to one span must say so in its repro: the same case without
     * {@code --isolate} has other inputs and may well pass. Whatever element a check names, the repro isolates the span
     * this run isolated.
     */
    static Failure reproducible(Target target, CaseSpec spec, SuiteConfig config, Failure f) {
        if (config.isolate() < 0 || f.repro() == null) {
            return f;
        }
        return f.withRepro(CaseCheck.repro(target, spec) + " --isolate " + config.isolate());
    }

    /**
     * Re-runs a failing case with only the 64-element span of the first wrong element kept (every other input +0). If
     * that still fails inside the span, the failure is reported for the isolated input, which names the first wrong
     * quantization group on its own.
     */
    static Failure minimise(Target target, CaseSpec spec, short[][] inputs, CaseCheck check, Failure original) {
        short[][] isolated = Inputs.isolate(inputs, original.element());
        try {
            CaseRun run = CaseRun.execute(target, spec, isolated, false);
            Expected exp = Expected.of(target, spec, isolated, run.layout(), false);
            Optional<Failure> again = check.check(target, run, exp);
            long span = original.element() / 64 * 64;
            if (again.isPresent() && again.get().element() >= span && again.get().element() < span + 64) {
                Failure g = again.get();
                return new Failure(g.rule(), g.property(), g.caseId(), g.rank(), g.element(), g.inputs(), g.got(), g.want(),
                        original.wrong(), "(minimised: only the span of element " + original.element()
                        + " kept, every other input +0; " + g.wrong() + " wrong there)", g.repro(), g.seed());
            }
        } catch (QrException e) {
            // keep the original report
        }
        return new Failure(original.rule(), original.property(), original.caseId(), original.rank(), original.element(),
                original.inputs(), original.got(), original.want(), original.wrong(),
                "(not reproduced with the span alone: depends on other groups)", original.repro(), original.seed());
    }
}
