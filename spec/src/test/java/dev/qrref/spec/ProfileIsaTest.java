package dev.qrref.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProfileIsaTest {
    @Test
    void everyProfileHasItsRowAndEveryTargetOneProfile() {
        Set<String> seen = new HashSet<>();
        for (Profile p : Profile.values()) {
            assertEquals(p, p.isa().profile());
            for (String t : p.isa().targets()) {
                assertTrue(seen.add(t), t + " is listed by two profiles");
                assertEquals(p, ProfileIsa.nativeProfileOf(t));
            }
        }
        assertEquals(Profile.CDNA3, ProfileIsa.nativeProfileOf("gfx942"));
        assertNull(ProfileIsa.nativeProfileOf("gfx90a"));
    }

    @Test
    void theModeWriteFollowsTheSaturationOfTheProfile() {
        // FP16_OVFL is what makes fp16 overflow saturate: the row and the profile's summary must agree
        for (Profile p : Profile.values()) {
            if (p.isa().targets().isEmpty()) {
                continue;
            }
            boolean saturates = p.summary().contains("FP16_OVFL saturation");
            assertEquals(saturates, p.isa().modeWrite() == ProfileIsa.ModeWrite.SET_AT_ENTRY, p.id());
        }
    }

    @Test
    void patternsAreAGlobWithAnOptionalNontemporalCondition() {
        for (Profile p : Profile.values()) {
            for (ProfileIsa.InstructionClass c : p.isa().classes()) {
                assertFalse(c.expected().isEmpty() && c.forbidden().isEmpty(), c.name() + " checks nothing");
                for (String pattern : c.expected()) {
                    assertTrue(pattern.matches("[a-z0-9_*]+( (nt|!nt))?"), c.name() + ": " + pattern);
                }
                for (String pattern : c.forbidden()) {
                    assertTrue(pattern.matches("[a-z0-9_*]+( (nt|!nt))?"), c.name() + ": " + pattern);
                }
                assertEquals(c.scope() != ProfileIsa.Scope.KERNEL, !c.functions().isEmpty(), c.name() + ": scope and functions");
            }
        }
    }
}
