package net.gpt2j.cli;

import java.util.regex.Pattern;
import net.gpt2j.format.Hparams;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The five hparams of a synthetic model, as command-line options (defaults: the "tiny" fixture). */
final class HparamsOptions {

    private static final Pattern HPARAMS_KEY = Pattern.compile("\\bn_(vocab|ctx|embd|head|layer)\\b");

    @Option(names = "--n-layer", description = "Blocks.", defaultValue = "2")
    int nLayer;

    @Option(names = "--n-embd", description = "Embedding width.", defaultValue = "64")
    int nEmbd;

    @Option(names = "--n-head", description = "Attention heads.", defaultValue = "4")
    int nHead;

    @Option(names = "--n-ctx", description = "Context length.", defaultValue = "64")
    int nCtx;

    @Option(names = "--n-vocab", description = "Vocabulary size (GPT-2's).", defaultValue = "50257")
    int nVocab;

    /** The hparams, or a usage error naming the options when Hparams refuses them (n_head 0, n_embd not divisible). */
    Hparams toHparams(CommandSpec command) {
        try {
            return new Hparams(nVocab, nCtx, nEmbd, nHead, nLayer);
        } catch (IllegalArgumentException e) {
            // Hparams names hparams.json's keys (n_embd); each option is its key with dashes (--n-embd)
            throw OptionValue.refused(command, HPARAMS_KEY.matcher(e.getMessage()).replaceAll(m -> "--" + m.group().replace('_', '-')));
        }
    }
}
