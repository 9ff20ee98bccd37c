package net.gpt2j.converter;

import java.nio.file.Path;
import java.util.List;

/** What a conversion wrote: the folder, every output tensor with its checksum, and what it skipped. */
public record ConversionResult(Path outputDir, List<OutputTensor> tensors, List<String> ignoredVariables,
        long safetensorsBytes) {

    /** One tensor of model.safetensors: name, shape and the CRC-32C of its little-endian float32 bytes. */
    public record OutputTensor(String name, long[] shape, int crc32c) {

        /** As manifest.json writes it: 8 lowercase hex digits, the plain (unmasked) CRC-32C. */
        public String crc32cHex() {
            return String.format("%08x", crc32c);
        }
    }

    public ConversionResult {
        tensors = List.copyOf(tensors);
        ignoredVariables = List.copyOf(ignoredVariables);
    }
}
