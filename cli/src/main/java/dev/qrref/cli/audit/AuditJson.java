package dev.qrref.cli.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.util.List;

/**
 * The JSON form of an audit report (Jackson). The shape is documented in {@code qr audit --help}; a
 * number that is not finite (an exact output's SQNR, a figure over no element) is written as {@code null}.
 */
public final class AuditJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AuditJson() {
    }

    public static ObjectNode tree(AuditReport r) {
        AuditInput in = r.input();
        Auditor.Options o = r.options();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("world_size", in.worldSize());
        root.put("dtype", in.dtype().id());
        root.put("data_path", o.path().id());
        root.put("calls", in.calls().size());
        root.put("elements_per_rank", in.elementsPerRank());
        root.put("inputs", in.description());
        ArrayNode profiles = root.putArray("profiles");
        o.profiles().forEach(p -> profiles.add(p.id()));
        number(root, "min_sqnr_db", o.minSqnrDb());
        ObjectNode th = root.putObject("thresholds");
        number(th, "overflow", Thresholds.overflow(o.path().compute));
        ObjectNode cliffs = th.putObject("reciprocal_cliff");
        for (QuantLevel c : o.codecs()) {
            if (c.quantized()) {
                number(cliffs, c.cliName(), Thresholds.cliff(c, o.path().compute));
            }
        }
        ObjectNode codecs = root.putObject("codecs");
        for (QuantLevel c : o.codecs()) {
            AuditReport.CodecSummary sum = r.summary(c);
            ObjectNode cn = codecs.putObject(c.cliName());
            number(cn, "wire_bits_per_element", AuditReport.wireBits(c));
            number(cn, "sqnr_db", sum.worstSqnrDb());
            number(cn, "rel_mae", sum.worstRelMae());
            number(cn, "max_abs_error", sum.worstMaxAbsError());
            cn.put("nonfinite_from_finite", sum.nonFiniteFromFinite());
            cn.put("meets", sum.meets());
            ObjectNode hz = cn.putObject("hazards");
            for (Hazard h : Hazard.values()) {
                long groups = 0;
                long elements = 0;
                for (Profile p : o.profiles()) {
                    HazardTally t = r.setup(c, p).hazard(h);
                    groups = Math.max(groups, t.groups());
                    elements = Math.max(elements, t.elements());
                }
                ObjectNode hn = hz.putObject(h.id());
                hn.put("groups", groups);
                hn.put("elements", elements);
            }
            ObjectNode pn = cn.putObject("profiles");
            for (Profile p : o.profiles()) {
                pn.set(p.id(), setup(r.setup(c, p), in.calls()));
            }
        }
        root.put("recommendation", r.recommendation());
        root.put("recommendation_reason", r.reason());
        return root;
    }

    private static ObjectNode setup(SetupTally s, List<AuditInput.Call> calls) {
        ObjectNode n = MAPPER.createObjectNode();
        number(n, "sqnr_db", s.sqnrDb());
        number(n, "rel_mae", s.relativeMae());
        number(n, "max_abs_error", s.accuracy().maxAbsError());
        n.put("nonfinite_from_finite", s.nonFiniteFromFinite());
        ObjectNode hz = n.putObject("hazards");
        for (Hazard h : Hazard.values()) {
            HazardTally t = s.hazard(h);
            ObjectNode hn = hz.putObject(h.id());
            hn.put("groups", t.groups());
            hn.put("elements", t.elements());
            for (int phase = 1; phase <= 2; phase++) {
                ObjectNode ph = hn.putObject("phase" + phase);
                ph.put("groups", t.groups(phase));
                ph.put("elements", t.elements(phase));
                ph.put("spread", t.spread(phase));
            }
            if (calls.size() > 1) {
                ArrayNode cn = hn.putArray("calls");
                t.byCall().forEach((call, counts) -> {
                    ObjectNode c = cn.addObject();
                    c.put("call", calls.get(call).name());
                    c.put("groups", counts[0]);
                    c.put("elements", counts[1]);
                });
            }
            number(hn, "sqnr_db", t.sqnrDb());
            number(hn, "rel_mae", t.relativeMae());
            number(hn, "max_abs_error", t.maxAbsError());
            hn.put("nonfinite_from_finite", t.lostFinite());
            ArrayNode worst = hn.putArray("worst");
            for (WorstGroup w : t.worst()) {
                Geometry.Coordinates c = w.coordinates();
                ObjectNode wn = worst.addObject();
                wn.put("phase", w.phase());
                wn.put("rank", w.rank());
                wn.put("call", w.callName());
                wn.put("tile", c.tile());
                wn.put("atom", c.atom());
                wn.put("group", c.group());
                wn.put("element", w.element());
                wn.put("trigger_element", w.trigger());
                number(wn, "severity", w.severity());
                number(wn, "gain", w.gain());
                wn.put("detail", w.detail());
                if (w.explain() == null) {
                    wn.putNull("explain");
                } else {
                    wn.put("explain", w.explain());
                }
            }
        }
        return n;
    }

    private static void number(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.putNull(key);
        }
    }

    public static String write(AuditReport r) {
        try {
            return MAPPER.writeValueAsString(tree(r)) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the audit as JSON", e);
        }
    }
}
