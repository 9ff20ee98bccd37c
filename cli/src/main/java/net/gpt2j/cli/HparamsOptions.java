package net.gpt2j.cli;

import net.gpt2j.format.Gpt2Constants;
import net.gpt2j.format.Hparams;
import picocli.CommandLine.Option;

/** The five hparams of a synthetic model, as command-line options (defaults: the "tiny" fixture). */
final class HparamsOptions {
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

    /** The hparams; an n_vocab below the tokenizer's size is refused, since no converter takes such a checkpoint. */
    Hparams toHparams() {
        int tokenizerSize = Gpt2Constants.END_OF_TEXT + 1; // the fixture ships GPT-2's own encoder.json
        if (nVocab < tokenizerSize) {
            throw new IllegalArgumentException("--n-vocab must be at least " + tokenizerSize + ", the size of GPT-2's tokenizer"
                    + " the fixture ships, got " + nVocab);
        }
        return new Hparams(nVocab, nCtx, nEmbd, nHead, nLayer);
    }
}
