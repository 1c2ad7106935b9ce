package dev.qrref.conformance.primitives;

import dev.qrref.spec.Primitive;

import dev.qrref.spec.Format16;
import dev.qrref.spec.Profile;
import java.util.ArrayList;
import java.util.List;

/** A captured table against one profile's model: how many entries differ and the first few of them. */
public final class TableComparison {
    private TableComparison() {
    }

    /** One entry where the table and the model differ. */
    public record Mismatch(int input, int got, int want) {
    }

    /**
     * @param profile    the profile compared with
     * @param cases      entries compared
     * @param mismatches entries that differ (NaN as a class)
     * @param first      the first {@code limit} of them, in table order
     */
    public record Verdict(Profile profile, int cases, int mismatches, List<Mismatch> first) {
        public boolean matches() {
            return mismatches == 0;
        }
    }

    public static Verdict compare(Primitive op, Format16 format, Profile profile, int[] inputs, int[] outputs, int limit) {
        if (inputs.length != outputs.length) {
            throw new IllegalArgumentException(op.id() + "/" + format.id() + ": " + inputs.length + " inputs but " + outputs.length
                    + " outputs");
        }
        int wrong = 0;
        List<Mismatch> first = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            int want = ProfileModel.expected(op, format, profile, inputs[i]);
            if (!ProfileModel.same(op, format, profile, outputs[i], want)) {
                wrong++;
                if (first.size() < limit) {
                    first.add(new Mismatch(inputs[i], outputs[i], want));
                }
            }
        }
        return new Verdict(profile, inputs.length, wrong, List.copyOf(first));
    }
}
