package net.gpt2j.cli;

import java.util.regex.Pattern;
import net.gpt2j.format.Gpt2Constants;
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

    @Option(names = "--n-vocab", description = "Vocabulary size: GPT-2's 50257 or more (a padded vocabulary, e.g. 50304).",
            defaultValue = "50257")
    int nVocab;

    /**
     * The hparams, or a usage error naming the options: when Hparams refuses them (n_head 0, n_embd not
     * divisible), or for an n_vocab below the tokenizer's size, since no converter takes such a checkpoint.
     */
    Hparams toHparams(CommandSpec command) {
        int tokenizerSize = Gpt2Constants.END_OF_TEXT + 1; // the fixture ships GPT-2's own encoder.json
        if (nVocab < tokenizerSize) {
            throw OptionValue.refused(command, "--n-vocab must be at least " + tokenizerSize + ", the size of GPT-2's"
                    + " tokenizer the fixture ships, got " + nVocab);
        }
        try {
            return new Hparams(nVocab, nCtx, nEmbd, nHead, nLayer);
        } catch (IllegalArgumentException e) {
            // Hparams names hparams.json's keys (n_embd); each option is its key with dashes (--n-embd)
            throw OptionValue.refused(command, HPARAMS_KEY.matcher(e.getMessage()).replaceAll(m -> "--" + m.group().replace('_', '-')));
        }
    }
}
