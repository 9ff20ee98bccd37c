package net.gpt2j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import net.gpt2j.format.Gpt2Constants;
import net.gpt2j.runtime.Gpt2Runtime;
import net.gpt2j.runtime.generate.BeamLengthConvention;
import net.gpt2j.runtime.generate.BeamResult;
import net.gpt2j.runtime.generate.EarlyStopping;
import net.gpt2j.runtime.generate.GenerationConfig;
import net.gpt2j.runtime.generate.InvalidGenerationSetting;
import net.gpt2j.runtime.generate.PromptBatch;
import net.gpt2j.runtime.generate.TokenListener;
import net.gpt2j.runtime.model.DeviceChoice;
import net.gpt2j.runtime.tokenizer.Gpt2Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate text from a converted model with HuggingFace's generate() semantics: greedy by default, "
                + "beam search with --num-beams, sampling with --sample.",
            "Settings no option gives come from the model folder's generation_config.json where it sets them, as for "
                + "HuggingFace's generate() (lengths, sampling, beams, penalties, end tokens); an option given here wins.",
            "Greedy and sampled text is printed as it is generated (one prompt, one sequence); a summary line "
                + "(load time, tokens, tok/s, device) ends on stderr."})
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A hub GPT-2 folder (written by gpt2 convert, or any GPT-2 HuggingFace's save_pretrained wrote), "
            + "or an OpenAI release folder or archive, converted once into the cache (--cache-dir).")
    Path model;

    @Mixin
    PromptInput prompts;

    @Option(names = "--max-new-tokens", paramLabel = "N", defaultValue = "32", description = "Tokens to generate after each prompt.")
    int maxNewTokens;

    @Option(names = "--min-new-tokens", paramLabel = "N", defaultValue = "0", description = "End token suppressed before this many new tokens.")
    int minNewTokens;

    @Option(names = "--num-beams", paramLabel = "N", defaultValue = "1", description = "Beam search with this many beams (1: no beam search).")
    int numBeams;

    @Option(names = "--num-return-sequences", paramLabel = "N", defaultValue = "1",
            description = "Sequences per prompt: at most --num-beams for beam search; any number with --sample.")
    int numReturnSequences;

    @Option(names = "--length-penalty", paramLabel = "X", defaultValue = "1.0", description = "Beam search: score / generated_length ^ this.")
    double lengthPenalty;

    @Option(names = "--early-stopping", paramLabel = "WHEN", defaultValue = "false", description = "Beam search: false, true or never.")
    String earlyStopping;

    @Option(names = "--beam-scoring", paramLabel = "CONVENTION", defaultValue = "HF_4_57",
            description = "Beam length normalisation convention: ${COMPLETION-CANDIDATES}.")
    BeamLengthConvention convention;

    @Option(names = "--no-repeat-ngram-size", paramLabel = "N", defaultValue = "0", description = "Ban repeating any n-gram of this size (0: off).")
    int noRepeatNgramSize;

    @Option(names = "--repetition-penalty", paramLabel = "X", defaultValue = "1.0", description = "CTRL's repetition penalty (1.0: off).")
    double repetitionPenalty;

    @Option(names = "--sample", negatable = true,
            description = "Sample instead of greedy/beam search; --no-sample: do not, even where the folder's generation_config.json sets do_sample.")
    boolean sample;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "1.0", description = "Sampling temperature.")
    double temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "50", description = "Sampling: keep the k most likely ids (0: off; 50 is HF's default).")
    int topK;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "1.0", description = "Sampling: nucleus probability mass (1.0: off).")
    double topP;

    @Option(names = "--seed", paramLabel = "SEED", description = "Sampling seed; without it a fresh one is drawn and printed on stderr.")
    Long seed;

    @Option(names = "--eos-token-id", paramLabel = "ID", split = ",",
            description = "Stop a sequence at this id, or at any of several (HF's eos_token_id as a list); -1 never stops early."
                    + " Default: the model folder's generation_config.json eos_token_id, as HF's generate() takes it, else 50256"
                    + " (GPT-2's <|endoftext|>).")
    int[] eosTokenIds;

    /** The end tokens in force and where they were given (an option, or a folder's file), for the vocabulary check's message. */
    private record EndTokens(int[] ids, String from) {}

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "auto", description = "auto (CUDA when available), cpu or cuda.")
    String device;

    @Option(names = "--cache-dir", description = "Where an OpenAI release given as --model is converted to "
            + "(default: $GPT2J_CACHE, else ~/.cache/gpt2j).")
    Path cacheDir;

    @Option(names = "--no-verify-weights", description = "Skip checking each tensor's CRC-32C against the folder's "
            + "manifest.json at load (NaN/Inf weights are refused regardless).")
    boolean noVerifyWeights;

    @Option(names = "--ids", description = "Also print each sequence's token ids.")
    boolean printIds;

    @Option(names = "--json", description = "Print one JSON object (ids, text, scores, timings) instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        long callNanos = System.nanoTime();
        PrintStream out = System.out;
        PrintStream err = System.err;
        // arguments first: a wrong value is a usage error (status 2) whatever the model and prompts
        DeviceChoice deviceChoice = OptionValue.parse(spec, "--device", device, DeviceChoice::parse);
        for (int id : eosTokenIds == null ? new int[0] : eosTokenIds) {
            if (id < -1 || (id == -1 && eosTokenIds.length > 1)) {
                throw OptionValue.refused(spec, "--eos-token-id must be token ids, or -1 alone (never stop early), got "
                        + Arrays.stream(eosTokenIds).mapToObj(String::valueOf).collect(Collectors.joining(",")));
            }
        }
        long chosenSeed = seed != null ? seed : new SecureRandom().nextLong() >>> 1; // non-negative: easy to retype
        try {
            settings(chosenSeed).build(); // every option checked by the runtime's rules, before the model is found
        } catch (InvalidGenerationSetting e) {
            if (GenerationSettingOptions.allTyped(e, spec)) {
                throw GenerationSettingOptions.usageError(e, spec);
            } // else a setting left at its default is involved, which the folder's file may set: checked once it is read
        }
        if (!Files.exists(model)) {
            throw new IllegalArgumentException("--model " + model + ": not found");
        }
        List<String> texts = prompts.read(System.in);

        Path folder;
        try (ProgressBarListener progress = new ProgressBarListener(System.err)) {
            folder = new ModelResolver(ModelResolver.cacheRoot(cacheDir, System.getenv(), Path.of(System.getProperty("user.home"))),
                    progress).resolve(model);
        }
        // what the options left unsaid, the folder's generation_config.json says, as for HF's generate()
        FolderGenerationSettings fromFolder = FolderGenerationSettings.read(folder, spec);
        takeFolderSettings(fromFolder);
        try {
            settings(chosenSeed).build(); // the settings in force, checked before the model is loaded
        } catch (InvalidGenerationSetting e) {
            throw fromFolder.refusal(e, spec);
        }
        List<String> warnings = new ArrayList<>(SamplingFlagWarnings.of(spec.commandLine().getParseResult(), sample, numBeams,
                temperature, topK, topP, lengthPenalty, earlyStopping));
        fromFolder.unsupported().forEach(setting -> warnings.add(fromFolder.file() + " sets " + setting
                + ", which HuggingFace's generate() applies and gpt2 does not implement: ignored"));
        if (!Verbosity.quiet()) {
            String taken = fromFolder.describeTaken();
            if (!taken.isEmpty()) {
                err.println("gpt2 generate: from " + fromFolder.file() + ": " + taken + " (options given here override it)");
            }
            warnings.forEach(w -> err.println("gpt2 generate: warning: " + w));
            if (sample && seed == null) {
                err.println("gpt2 generate: seed " + chosenSeed + " (repeat this run with --seed " + chosenSeed + ")");
            }
        }
        EndTokens endTokens = endTokens(fromFolder);
        GenerationConfig.Builder b = settings(chosenSeed).eosTokenIds(endTokens.ids());
        long t0 = System.nanoTime();
        try (Gpt2Runtime runtime = Gpt2Runtime.load(folder, deviceChoice, !noVerifyWeights)) {
            long loadEnd = System.nanoTime();
            double loadSeconds = (loadEnd - t0) / 1e9;
            Gpt2Tokenizer tokenizer = runtime.tokenizer();
            int vocab = runtime.hparams().nVocab();
            for (int id : endTokens.ids()) {
                if (id >= vocab) {
                    throw new IllegalArgumentException(endTokens.from() + " " + id + " is outside the model's vocabulary of "
                            + vocab + " ids: the model can never generate it");
                }
            }
            int[][] promptIds = encode(tokenizer, texts);
            int perPrompt = sample ? numReturnSequences : Math.max(numBeams, 1);
            RequestBudget.check(runtime.hparams(), promptIds.length * perPrompt, promptIds.length + " prompt(s) x "
                    + (sample ? numReturnSequences + " return sequences" : numBeams + " beam(s)"));
            // sampling returns num_return_sequences rows per prompt (the runtime expands them, as HF does)
            PromptBatch batch = leftPadded(promptIds);
            // the folder's max_length and min_length count the (padded) prompt, as HF's input_ids.shape[-1]
            maxNewTokens = fromFolder.maxNewTokens(maxNewTokens, batch.length());
            minNewTokens = fromFolder.minNewTokens(minNewTokens, batch.length());
            b.maxNewTokens(maxNewTokens).minNewTokens(minNewTokens);
            if (minNewTokens > maxNewTokens && !Verbosity.quiet()) {
                // HF's generate warns ("Unfeasible length constraints") and goes on: the end token is never allowed
                err.println("gpt2 generate: warning: --min-new-tokens (" + minNewTokens + ") is larger than --max-new-tokens ("
                        + maxNewTokens + "): the end token can never be generated (HuggingFace warns the same)");
            }

            boolean oneRow = promptIds.length == 1 && numBeams == 1 && (!sample || numReturnSequences == 1);
            TokenStreamer streamer = oneRow && !json ? new TokenStreamer(tokenizer, promptIds[0], out) : null;
            // -v: the time of the first decided token splits prefill from decode (one clock read per token)
            GenerationTimings timings = Verbosity.verbose() && oneRow
                    ? new GenerationTimings(streamer != null ? streamer : TokenListener.NONE) : null;
            if (timings != null) {
                b.tokenListener(timings);
            } else if (streamer != null) {
                b.tokenListener(streamer);
            }
            GenerationConfig config;
            try {
                config = b.build();
            } catch (InvalidGenerationSetting e) { // only a length the folder's max_length or min_length gave can get here
                throw fromFolder.refusal(e, spec);
            }
            // a request the model's context cannot hold is refused here, before the prompt is streamed
            try {
                config.newTokensFor(batch.length(), runtime.hparams().nCtx());
            } catch (IllegalArgumentException e) {
                throw fromFolder.lengthRefusal(e);
            }
            long g0 = System.nanoTime();
            int[][] rows;
            float[] scores = null;
            long g1;
            try {
                if (streamer != null) {
                    streamer.start();
                }
                if (!sample && numBeams > 1) {
                    BeamResult beams = runtime.beam(batch, config, convention);
                    rows = beams.sequences();
                    scores = beams.sequencesScores();
                } else {
                    rows = runtime.generate(batch, config, convention);
                }
                g1 = System.nanoTime();
                if (streamer != null) {
                    streamer.finish();
                }
            } catch (StdoutClosed e) { // `| head` has read enough (or the disk is full): stop
                return StdoutClosed.exitStatus(spec.qualifiedName(), err);
            }
            double generateSeconds = (g1 - g0) / 1e9;

            int perRow = rows.length / promptIds.length;
            int newTokens = 0;
            int promptTokens = 0;
            for (int[] p : promptIds) {
                promptTokens += p.length;
            }
            IntPredicate eos = config::isEos;
            for (int r = 0; r < rows.length; r++) {
                newTokens += GenerationSummary.newTokens(rows[r], batch.length(), eos);
            }
            GenerationSummary summary = new GenerationSummary(loadSeconds, promptTokens, newTokens, generateSeconds,
                    runtime.model().device().toString());
            if (json) {
                ObjectNode root = toJson(tokenizer, texts, promptIds, rows, perRow, batch.length(), scores, summary,
                        sample ? chosenSeed : null, eos);
                root.set("settings", settingsJson(config, fromFolder));
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
            } else {
                for (int r = 0; r < rows.length; r++) {
                    int[] ids = trimmed(rows[r], batch.length(), promptIds[r / perRow].length, eos);
                    if (streamer == null) {
                        out.println(tokenizer.decode(ids));
                    }
                    if (printIds) {
                        out.println(Arrays.toString(ids));
                    }
                }
            }
            if (!Verbosity.quiet()) {
                err.println("gpt2 generate: " + summary.line());
            }
            if (Verbosity.verbose()) {
                err.println("gpt2 generate: " + (timings != null ? timings : new GenerationTimings(TokenListener.NONE))
                        .line(callNanos, t0, loadEnd, g0, g1, promptTokens, newTokens));
                err.println("gpt2 generate: " + runtime.model().decodeThreads());
                err.println("gpt2 generate: " + runtime.model().matrixProducts());
                err.println("gpt2 generate: " + runtime.model().weightMemory());
            }
        }
        return 0; // whether the results reached stdout is checked for every command, by Gpt2
    }

    /** The options as the runtime's settings, HF's generate() arguments. */
    private GenerationConfig.Builder settings(long chosenSeed) {
        GenerationConfig.Builder b = GenerationConfig.builder()
                .maxNewTokens(maxNewTokens).minNewTokens(minNewTokens)
                .numBeams(numBeams).numReturnSequences(numReturnSequences)
                .lengthPenalty(lengthPenalty).earlyStopping(EarlyStopping.parse(earlyStopping))
                .noRepeatNgramSize(noRepeatNgramSize).repetitionPenalty(repetitionPenalty)
                .doSample(sample).temperature(temperature).topK(topK).topP(topP).seed(chosenSeed);
        return eosTokenIds == null ? b : b.eosTokenIds(optionEndTokens());
    }

    /** --eos-token-id's ids; -1 (alone) is none. */
    private int[] optionEndTokens() {
        return Arrays.stream(eosTokenIds).filter(id -> id >= 0).toArray();
    }

    /**
     * The option's end tokens, else the folder's generation_config.json's, as HF's generate() takes them
     * (GPT-2's folders, ours and HF's, hold 50256 there), else GPT-2's 50256.
     */
    private EndTokens endTokens(FolderGenerationSettings fromFolder) {
        if (eosTokenIds != null) {
            return new EndTokens(optionEndTokens(), "--eos-token-id");
        }
        if (fromFolder.endTokens() != null) {
            return new EndTokens(fromFolder.endTokens(), fromFolder.file() + ": eos_token_id");
        }
        return new EndTokens(new int[] {Gpt2Constants.END_OF_TEXT}, "--eos-token-id");
    }

    /** Each setting no option gave, from the folder's file where it sets one (lengths: once the prompts are known). */
    private void takeFolderSettings(FolderGenerationSettings f) {
        maxNewTokens = f.integer("max_new_tokens", maxNewTokens);
        minNewTokens = f.integer("min_new_tokens", minNewTokens);
        numBeams = f.integer("num_beams", numBeams);
        numReturnSequences = f.integer("num_return_sequences", numReturnSequences);
        lengthPenalty = f.number("length_penalty", lengthPenalty);
        earlyStopping = f.text("early_stopping", earlyStopping);
        noRepeatNgramSize = f.integer("no_repeat_ngram_size", noRepeatNgramSize);
        repetitionPenalty = f.number("repetition_penalty", repetitionPenalty);
        sample = f.bool("do_sample", sample);
        temperature = f.number("temperature", temperature);
        topK = f.integer("top_k", topK);
        topP = f.number("top_p", topP);
    }

    private static int[][] encode(Gpt2Tokenizer tokenizer, List<String> texts) {
        int[][] ids = new int[texts.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokenizer.encode(texts.get(i));
            if (ids[i].length == 0) {
                throw new IllegalArgumentException((texts.size() == 1 ? "the prompt" : "prompt " + (i + 1))
                        + " encodes to no tokens; GPT-2 needs at least one token to condition on");
            }
        }
        return ids;
    }

    /** Prompts of different lengths padded on the left with the end token, masked out, as HF pads GPT-2. */
    static PromptBatch leftPadded(int[][] prompts) {
        int len = Arrays.stream(prompts).mapToInt(p -> p.length).max().orElse(0);
        int[][] ids = new int[prompts.length][len];
        int[][] mask = new int[prompts.length][len];
        for (int r = 0; r < prompts.length; r++) {
            int pad = len - prompts[r].length;
            Arrays.fill(ids[r], 0, pad, Gpt2Constants.END_OF_TEXT);
            System.arraycopy(prompts[r], 0, ids[r], pad, prompts[r].length);
            Arrays.fill(mask[r], pad, len, 1);
        }
        return new PromptBatch(ids, mask);
    }

    /** A row without the batch's left padding and without the padding after its end token. */
    private static int[] trimmed(int[] row, int paddedPromptLength, int promptLength, IntPredicate eos) {
        int end = paddedPromptLength + GenerationSummary.newTokens(row, paddedPromptLength, eos);
        return Arrays.copyOfRange(row, paddedPromptLength - promptLength, end);
    }

    /**
     * The settings the generation ran with, by HF's names, and which of them the folder's
     * generation_config.json gave: enough to repeat the run with options alone.
     */
    private static ObjectNode settingsJson(GenerationConfig c, FolderGenerationSettings fromFolder) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("max_new_tokens", c.maxNewTokens().orElseThrow());
        o.put("min_new_tokens", c.minNewTokens());
        o.put("do_sample", c.doSample());
        o.put("num_beams", c.numBeams());
        o.put("num_return_sequences", c.numReturnSequences());
        o.put("temperature", c.temperature());
        o.put("top_k", c.topK());
        o.put("top_p", c.topP());
        o.put("repetition_penalty", c.repetitionPenalty());
        o.put("no_repeat_ngram_size", c.noRepeatNgramSize());
        o.put("length_penalty", c.lengthPenalty());
        switch (c.earlyStopping()) {
            case HEURISTIC -> o.put("early_stopping", false);
            case WHEN_BEAMS_FULL -> o.put("early_stopping", true);
            default -> o.put("early_stopping", "never");
        }
        ids(o.putArray("eos_token_id"), c.eosTokenIds());
        ArrayNode taken = o.putArray("from_generation_config");
        fromFolder.takenFields().forEach(taken::add);
        return o;
    }

    private static ObjectNode toJson(Gpt2Tokenizer tokenizer, List<String> texts, int[][] promptIds, int[][] rows, int perRow,
            int paddedLength, float[] scores, GenerationSummary s, Long seed, IntPredicate eos) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode ps = root.putArray("prompts");
        for (int i = 0; i < texts.size(); i++) {
            ObjectNode p = ps.addObject();
            p.put("text", texts.get(i));
            ids(p.putArray("ids"), promptIds[i]);
        }
        ArrayNode seqs = root.putArray("sequences");
        for (int r = 0; r < rows.length; r++) {
            int prompt = r / perRow;
            int[] ids = trimmed(rows[r], paddedLength, promptIds[prompt].length, eos);
            int[] generated = Arrays.copyOfRange(ids, promptIds[prompt].length, ids.length);
            ObjectNode o = seqs.addObject();
            o.put("prompt", prompt);
            ids(o.putArray("ids"), ids);
            ids(o.putArray("new_ids"), generated);
            o.put("text", tokenizer.decode(ids));
            o.put("new_text", tokenizer.decode(generated));
            if (scores != null) {
                o.put("score", scores[r]);
            }
        }
        if (seed != null) {
            root.put("seed", seed);
        }
        ObjectNode t = root.putObject("timings");
        t.put("load_s", s.loadSeconds());
        t.put("generate_s", s.generateSeconds());
        t.put("prompt_tokens", s.promptTokens());
        t.put("new_tokens", s.newTokens());
        t.put("tokens_per_s", s.tokensPerSecond());
        root.put("device", s.device());
        return root;
    }

    private static void ids(ArrayNode array, int[] ids) {
        for (int id : ids) {
            array.add(id);
        }
    }
}
