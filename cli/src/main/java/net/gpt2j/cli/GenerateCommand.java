package net.gpt2j.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import net.gpt2j.runtime.Gpt2Runtime;
import net.gpt2j.runtime.generate.BeamLengthConvention;
import net.gpt2j.runtime.generate.EarlyStopping;
import net.gpt2j.runtime.generate.GenerationConfig;
import net.gpt2j.runtime.generate.PromptBatch;
import net.gpt2j.runtime.model.DeviceChoice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text from a converted model with HuggingFace's generate() semantics.")
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "A hub GPT-2 folder (written by gpt2 convert, or any GPT-2 HuggingFace's save_pretrained wrote), "
            + "or an OpenAI release folder or archive, converted once into the cache (--cache-dir).")
    Path model;

    @Option(names = "--prompt", required = true)
    String prompt;

    @Option(names = "--max-new-tokens", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.")
    int maxNewTokens;

    @Option(names = "--min-new-tokens", defaultValue = "0")
    int minNewTokens;

    @Option(names = "--num-beams", defaultValue = "1")
    int numBeams;

    @Option(names = "--num-return-sequences", defaultValue = "1")
    int numReturnSequences;

    @Option(names = "--length-penalty", defaultValue = "1.0")
    double lengthPenalty;

    @Option(names = "--early-stopping", defaultValue = "false", description = "false, true or never.")
    String earlyStopping;

    @Option(names = "--beam-scoring", defaultValue = "HF_4_57",
            description = "Beam length normalisation convention: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    BeamLengthConvention convention;

    @Option(names = "--no-repeat-ngram-size", defaultValue = "0")
    int noRepeatNgramSize;

    @Option(names = "--repetition-penalty", defaultValue = "1.0")
    double repetitionPenalty;

    @Option(names = "--sample", description = "Sample instead of greedy/beam search.")
    boolean sample;

    @Option(names = "--temperature", defaultValue = "1.0")
    double temperature;

    @Option(names = "--top-k", defaultValue = "50", description = "0 turns top-k off. Default: ${DEFAULT-VALUE} (HF's).")
    int topK;

    @Option(names = "--top-p", defaultValue = "1.0")
    double topP;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Option(names = "--eos-token-id", description = "Stop a sequence at this id (default 50256, GPT-2's <|endoftext|>); -1 never stops early.")
    Integer eosTokenId;

    @Option(names = "--device", defaultValue = "auto", description = "auto (CUDA when available), cpu or cuda.")
    String device;

    @Option(names = "--cache-dir", description = "Where an OpenAI release given as --model is converted to "
            + "(default: $GPT2J_CACHE, else ~/.cache/gpt2j).")
    Path cacheDir;

    @Option(names = "--no-verify-weights", description = "Skip checking each tensor's CRC-32C against the folder's "
            + "manifest.json at load (NaN/Inf weights are refused regardless).")
    boolean noVerifyWeights;

    @Option(names = "--ids", description = "Also print the token ids.")
    boolean printIds;

    @Override
    public Integer call() throws Exception {
        GenerationConfig.Builder b = GenerationConfig.builder()
                .maxNewTokens(maxNewTokens).minNewTokens(minNewTokens)
                .numBeams(numBeams).numReturnSequences(numReturnSequences)
                .lengthPenalty(lengthPenalty).earlyStopping(EarlyStopping.parse(earlyStopping))
                .noRepeatNgramSize(noRepeatNgramSize).repetitionPenalty(repetitionPenalty)
                .doSample(sample).temperature(temperature).topK(topK).topP(topP).seed(seed);
        if (eosTokenId != null) {
            if (eosTokenId < 0) {
                b.noEosToken();
            } else {
                b.eosTokenId(eosTokenId);
            }
        }
        GenerationConfig config = b.build();
        Path folder;
        try (ProgressBarListener progress = new ProgressBarListener(System.err)) {
            folder = new ModelResolver(ModelResolver.cacheRoot(cacheDir, System.getenv(), Path.of(System.getProperty("user.home"))),
                    progress).resolve(model);
        }
        try (Gpt2Runtime runtime = Gpt2Runtime.load(folder, DeviceChoice.parse(device), !noVerifyWeights)) {
            int[] ids = runtime.tokenizer().encode(prompt);
            if (ids.length == 0) {
                throw new IllegalArgumentException("--prompt encodes to no tokens; GPT-2 needs at least one token to condition on");
            }
            int[][] out = runtime.generate(PromptBatch.single(ids), config, convention);
            for (int[] row : out) {
                System.out.println(runtime.tokenizer().decode(row));
                if (printIds) {
                    System.out.println(Arrays.toString(row));
                }
            }
        }
        return 0;
    }
}
