package dev.qrref.cli;

import dev.qrref.cpu.gen.Seeds;
import dev.qrref.spec.DType;
import dev.qrref.spec.InvalidArgumentException;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters for the spec's enums. They use the spec's own name lookups, so the accepted names and the error
 * text ("unknown codec 'int5' (expected one of fp, int8, ...)") are defined once, in {@code spec}.
 */
public final class Converters {
    private Converters() {
    }

    public static final class Codec implements ITypeConverter<QuantLevel> {
        @Override
        public QuantLevel convert(String value) {
            try {
                return QuantLevel.fromName(value);
            } catch (InvalidArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    public static final class Dtype implements ITypeConverter<DType> {
        @Override
        public DType convert(String value) {
            try {
                return DType.fromName(value);
            } catch (InvalidArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    public static final class ProfileName implements ITypeConverter<Profile> {
        @Override
        public Profile convert(String value) {
            try {
                return Profile.fromName(value);
            } catch (InvalidArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * Every {@code --seed} of every command: decimal or {@code 0x} hex, through {@link Seeds#parse}, so that the seed a
     * failure line prints ({@code seed=0x...}) can be pasted into any command.
     */
    public static final class Seed implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Seeds.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Candidates shown in {@code --help}: every codec of the spec. */
    public static final class CodecNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(QuantLevel.values()).map(QuantLevel::cliName).iterator();
        }
    }

    public static final class DtypeNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(DType.values()).map(DType::id).iterator();
        }
    }

    public static final class PathNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(dev.qrref.spec.DataPath.values()).map(dev.qrref.spec.DataPath::id).iterator();
        }
    }

    public static final class ProfileNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Profile.values()).map(Profile::id).iterator();
        }
    }
}
