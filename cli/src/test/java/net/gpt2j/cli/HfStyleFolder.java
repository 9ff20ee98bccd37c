package net.gpt2j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.gpt2j.format.Hparams;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.golden.SyntheticWeights;

/**
 * Writes a GPT-2 folder the way HuggingFace's {@code save_pretrained} does, with none of this
 * project's format or converter code: its own OpenAI-to-hub name rule, its own safetensors writer,
 * config.json and tokenizer.json as literal text. It writes the variations real hub folders have, so
 * the runtime is tested on folders it did not write itself: tensors sorted by name (the
 * {@code safetensors} library's order, not the converter's), an optional {@code transformer.} prefix,
 * the old attention-mask buffers, a duplicated {@code lm_head.weight}, two shards with an index,
 * F16 or BF16 tensors, and the tokenizer as {@code tokenizer.json} only (merges as pairs, the newer
 * spelling).
 */
final class HfStyleFolder {

    enum Dtype { F32, F16, BF16 }

    record Options(boolean prefixed, boolean buffers, boolean duplicateLmHead, int shards, Dtype dtype) {
        static final Options PLAIN = new Options(false, false, false, 1, Dtype.F32);
    }

    private HfStyleFolder() {}

    /** The hub name of an OpenAI variable: model/h3/attn/c_attn/w -> h.3.attn.c_attn.weight. */
    static String hubName(String openAi) {
        String s = openAi.substring("model/".length()).replaceFirst("^h(\\d+)/", "h.$1.");
        if (s.equals("wte") || s.equals("wpe")) {
            return s + ".weight";
        }
        return s.replace('/', '.').replaceAll("\\.(w|g)$", ".weight").replaceAll("\\.b$", ".bias");
    }

    static void write(SyntheticWeights weights, Options o, Path dir) throws IOException {
        Files.createDirectories(dir);
        Hparams h = weights.hparams();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        String prefix = o.prefixed() ? "transformer." : "";
        for (SyntheticWeights.Variable v : weights.variables()) {
            long[] shape = v.shape().length == 3 ? new long[] {v.shape()[1], v.shape()[2]} : v.shape();
            tensors.put(prefix + hubName(v.name()), new Tensor(shape, weights.values(v)));
        }
        if (o.duplicateLmHead()) {
            tensors.put("lm_head.weight", tensors.get(prefix + "wte.weight"));
        }
        if (o.buffers()) {
            int c = h.nCtx();
            float[] mask = new float[c * c];
            for (int r = 0; r < c; r++) {
                for (int k = 0; k <= r; k++) {
                    mask[r * c + k] = 1;
                }
            }
            for (int i = 0; i < h.nLayer(); i++) {
                tensors.put(prefix + "h." + i + ".attn.bias", new Tensor(new long[] {1, 1, c, c}, mask));
                tensors.put(prefix + "h." + i + ".attn.masked_bias", new Tensor(new long[] {}, new float[] {-1e4f}));
            }
        }
        List<String> names = new ArrayList<>(tensors.keySet());
        names.sort(Comparator.naturalOrder());
        if (o.shards() == 1) {
            writeSafetensors(dir.resolve("model.safetensors"), names, tensors, o.dtype());
        } else {
            ObjectNode index = new ObjectMapper().createObjectNode();
            index.putObject("metadata").put("total_size", 0);
            ObjectNode map = index.putObject("weight_map");
            int per = (names.size() + o.shards() - 1) / o.shards();
            for (int s = 0; s < o.shards(); s++) {
                String file = String.format("model-%05d-of-%05d.safetensors", s + 1, o.shards());
                List<String> part = names.subList(s * per, Math.min(names.size(), (s + 1) * per));
                writeSafetensors(dir.resolve(file), part, tensors, o.dtype());
                part.forEach(n -> map.put(n, file));
            }
            Files.write(dir.resolve("model.safetensors.index.json"), new ObjectMapper().writeValueAsBytes(index));
        }
        Files.writeString(dir.resolve("config.json"), "{\n  \"activation_function\": \"gelu_new\",\n"
                + "  \"architectures\": [\"GPT2LMHeadModel\"],\n  \"bos_token_id\": 50256,\n  \"eos_token_id\": 50256,\n"
                + "  \"layer_norm_epsilon\": 1e-05,\n  \"model_type\": \"gpt2\",\n  \"n_embd\": " + h.nEmbd() + ",\n"
                + "  \"n_head\": " + h.nHead() + ",\n  \"n_inner\": null,\n  \"n_layer\": " + h.nLayer() + ",\n"
                + "  \"n_positions\": " + h.nCtx() + ",\n  \"reorder_and_upcast_attn\": false,\n"
                + "  \"scale_attn_by_inverse_layer_idx\": false,\n  \"scale_attn_weights\": true,\n"
                + "  \"torch_dtype\": \"" + o.dtype().name().toLowerCase().replace("f", "float") + "\",\n"
                + "  \"transformers_version\": \"4.57.6\",\n  \"use_cache\": true,\n  \"vocab_size\": " + h.nVocab() + "\n}\n");
        writeTokenizerJson(dir.resolve("tokenizer.json"));
    }

    private record Tensor(long[] shape, float[] values) {}

    /** [8-byte little-endian header length][JSON header, space-padded to 8][data], tensors in the order given. */
    private static void writeSafetensors(Path file, List<String> names, Map<String, Tensor> tensors, Dtype dtype)
            throws IOException {
        int size = dtype == Dtype.F32 ? 4 : 2;
        StringBuilder json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        for (String n : names) {
            Tensor t = tensors.get(n);
            long bytes = (long) t.values().length * size;
            json.append(",\"").append(n).append("\":{\"dtype\":\"").append(dtype.name()).append("\",\"shape\":[");
            for (int d = 0; d < t.shape().length; d++) {
                json.append(d == 0 ? "" : ",").append(t.shape()[d]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        json.append('}');
        while ((json.length() % 8) != 0) {
            json.append(' ');
        }
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
        out.write(len.array());
        out.write(header);
        for (String n : names) {
            float[] v = tensors.get(n).values();
            ByteBuffer b = ByteBuffer.allocate(v.length * size).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : v) {
                switch (dtype) {
                    case F32 -> b.putFloat(f);
                    case F16 -> b.putShort(toF16(f));
                    case BF16 -> b.putShort(toBf16(f));
                }
            }
            out.write(b.array());
        }
        Files.write(file, out.toByteArray());
    }

    /** tokenizer.json of the tokenizers library (0.20+ spelling: merges as pairs), from OpenAI's files. */
    private static void writeTokenizerJson(Path file) throws IOException {
        ObjectMapper m = new ObjectMapper();
        JsonNode encoder = m.readTree(GoldenData.read(GoldenData.ENCODER_JSON));
        ObjectNode root = m.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.putArray("added_tokens").addObject().put("id", 50256).put("content", "<|endoftext|>")
                .put("single_word", false).put("lstrip", false).put("rstrip", false).put("normalized", false)
                .put("special", true);
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        root.putObject("post_processor").put("type", "TemplateProcessing");
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true)
                .put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.set("vocab", encoder);
        ArrayNode merges = model.putArray("merges");
        String[] lines = new String(GoldenData.read(GoldenData.VOCAB_BPE), StandardCharsets.UTF_8).split("\n");
        for (int i = 1; i < lines.length; i++) {
            if (!lines[i].isEmpty()) {
                String[] pair = lines[i].split(" ");
                merges.addArray().add(pair[0]).add(pair[1]);
            }
        }
        Files.write(file, m.writeValueAsBytes(root));
    }

    /** float32 to IEEE binary16, round to nearest even (as torch's .half()). */
    static short toF16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = ((bits >>> 23) & 0xFF) - 127 + 15;
        int mant = bits & 0x7FFFFF;
        if (exp >= 31) {
            return (short) (sign | 0x7C00);
        }
        if (exp <= 0) {
            if (exp < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - exp;
            int half = mant >> shift;
            int rem = mant & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (half & 1) == 1)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (exp << 10) | (mant >> 13);
        int rem = mant & 0x1FFF;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }

    /** float32 to bfloat16, round to nearest even. */
    static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }
}
