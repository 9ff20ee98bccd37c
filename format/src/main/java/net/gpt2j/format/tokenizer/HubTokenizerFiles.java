package net.gpt2j.format.tokenizer;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import net.gpt2j.format.Gpt2Constants;

/**
 * Writes a GPT-2 tokenizer as the hub's {@code gpt2} folder holds it, so both of HuggingFace's
 * tokenizers and other tools load it: {@code vocab.json} + {@code merges.txt} (the slow
 * {@code GPT2Tokenizer}'s files), {@code tokenizer.json} (the {@code tokenizers} library's, which
 * {@code GPT2TokenizerFast} and most non-Python readers use), {@code tokenizer_config.json} and
 * {@code special_tokens_map.json}.
 *
 * <p>tokenizer.json is the hub's {@code gpt2} one: ByteLevel pre-tokenizer (GPT-2's regex,
 * {@code use_regex}, no prefix space), ByteLevel post-processor and decoder, a BPE model with no
 * unk token, and {@code <|endoftext|>} as added special token 50256. Merges are written as "left
 * right" strings, the spelling every version of the library reads (newer ones also write pairs).
 */
public final class HubTokenizerFiles {

    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    public static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";
    /** Every file {@link #write} creates. */
    public static final List<String> FILES = List.of(BpeFiles.VOCAB_JSON, BpeFiles.MERGES_TXT, BpeFiles.TOKENIZER_JSON,
            TOKENIZER_CONFIG, SPECIAL_TOKENS_MAP);

    private static final JsonFactory JSON = new JsonFactory();

    private HubTokenizerFiles() {}

    /** Writes the five files into {@code dir}; {@code modelMaxLength} is the model's n_ctx. */
    public static void write(BpeModel bpe, int modelMaxLength, Path dir) throws IOException {
        String eot = Gpt2Constants.END_OF_TEXT_TOKEN;
        int eotId = bpe.tokensById().indexOf(eot);
        if (eotId < 0) {
            throw new IllegalArgumentException("the vocabulary has no " + eot + " token");
        }
        try (JsonGenerator g = generator(dir.resolve(BpeFiles.VOCAB_JSON), false)) {
            writeVocab(g, bpe.tokensById());
        }
        try (Writer w = Files.newBufferedWriter(dir.resolve(BpeFiles.MERGES_TXT), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE_NEW)) {
            w.write("#version: 0.2\n");
            for (String[] m : bpe.merges()) {
                w.write(m[0]);
                w.write(' ');
                w.write(m[1]);
                w.write('\n');
            }
        }
        try (JsonGenerator g = generator(dir.resolve(BpeFiles.TOKENIZER_JSON), true)) {
            g.writeStartObject();
            g.writeStringField("version", "1.0");
            g.writeNullField("truncation");
            g.writeNullField("padding");
            g.writeArrayFieldStart("added_tokens");
            g.writeStartObject();
            g.writeNumberField("id", eotId);
            g.writeStringField("content", eot);
            g.writeBooleanField("single_word", false);
            g.writeBooleanField("lstrip", false);
            g.writeBooleanField("rstrip", false);
            g.writeBooleanField("normalized", true);
            g.writeBooleanField("special", true);
            g.writeEndObject();
            g.writeEndArray();
            g.writeNullField("normalizer");
            byteLevel(g, "pre_tokenizer", false, true);
            byteLevel(g, "post_processor", true, false);
            byteLevel(g, "decoder", true, true);
            g.writeObjectFieldStart("model");
            g.writeStringField("type", "BPE");
            g.writeNullField("dropout");
            g.writeNullField("unk_token");
            g.writeStringField("continuing_subword_prefix", "");
            g.writeStringField("end_of_word_suffix", "");
            g.writeBooleanField("fuse_unk", false);
            g.writeBooleanField("byte_fallback", false);
            g.writeBooleanField("ignore_merges", false);
            g.writeFieldName("vocab");
            writeVocab(g, bpe.tokensById());
            g.writeArrayFieldStart("merges");
            for (String[] m : bpe.merges()) {
                g.writeString(m[0] + " " + m[1]);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        }
        try (JsonGenerator g = generator(dir.resolve(TOKENIZER_CONFIG), true)) {
            g.writeStartObject();
            g.writeBooleanField("add_bos_token", false);
            g.writeBooleanField("add_prefix_space", false);
            g.writeObjectFieldStart("added_tokens_decoder");
            g.writeObjectFieldStart(Integer.toString(eotId));
            g.writeStringField("content", eot);
            g.writeBooleanField("lstrip", false);
            g.writeBooleanField("normalized", true);
            g.writeBooleanField("rstrip", false);
            g.writeBooleanField("single_word", false);
            g.writeBooleanField("special", true);
            g.writeEndObject();
            g.writeEndObject();
            g.writeStringField("bos_token", eot);
            g.writeBooleanField("clean_up_tokenization_spaces", false);
            g.writeStringField("eos_token", eot);
            g.writeStringField("errors", "replace");
            g.writeNumberField("model_max_length", modelMaxLength);
            g.writeNullField("pad_token");
            g.writeStringField("tokenizer_class", "GPT2Tokenizer");
            g.writeStringField("unk_token", eot);
            g.writeEndObject();
        }
        try (JsonGenerator g = generator(dir.resolve(SPECIAL_TOKENS_MAP), true)) {
            g.writeStartObject();
            g.writeStringField("bos_token", eot);
            g.writeStringField("eos_token", eot);
            g.writeStringField("unk_token", eot);
            g.writeEndObject();
        }
    }

    private static void writeVocab(JsonGenerator g, List<String> tokensById) throws IOException {
        g.writeStartObject();
        for (int id = 0; id < tokensById.size(); id++) {
            g.writeNumberField(tokensById.get(id), id);
        }
        g.writeEndObject();
    }

    private static void byteLevel(JsonGenerator g, String field, boolean addPrefixSpace, boolean trimOffsets)
            throws IOException {
        g.writeObjectFieldStart(field);
        g.writeStringField("type", "ByteLevel");
        g.writeBooleanField("add_prefix_space", addPrefixSpace);
        g.writeBooleanField("trim_offsets", trimOffsets);
        g.writeBooleanField("use_regex", true);
        g.writeEndObject();
    }

    private static JsonGenerator generator(Path file, boolean pretty) throws IOException {
        OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW);
        JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8);
        if (pretty) {
            g.setPrettyPrinter(new DefaultPrettyPrinter());
        }
        return g;
    }
}
