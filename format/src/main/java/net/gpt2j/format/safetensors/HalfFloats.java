package net.gpt2j.format.safetensors;

import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/** Upcasts 16-bit floats to float32; exact, since float32 holds every F16 and BF16 value. */
final class HalfFloats {

    private HalfFloats() {}

    /** IEEE binary16: 1 sign, 5 exponent, 10 mantissa bits. */
    static FloatBuffer fromF16(ShortBuffer in) {
        float[] out = new float[in.remaining()];
        for (int i = 0; i < out.length; i++) {
            out[i] = f16(in.get(in.position() + i));
        }
        return FloatBuffer.wrap(out);
    }

    /** One binary16 value (Java 17 has no Float.float16ToFloat). */
    static float f16(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) { // infinity or NaN: keep the payload
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) { // zero or subnormal: mantissa * 2^-24, exact in float
            float v = mantissa * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
    }

    /** bfloat16: float32's upper 16 bits. */
    static FloatBuffer fromBf16(ShortBuffer in) {
        float[] out = new float[in.remaining()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.intBitsToFloat((in.get(in.position() + i) & 0xFFFF) << 16);
        }
        return FloatBuffer.wrap(out);
    }
}
