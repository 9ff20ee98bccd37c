package net.gpt2j.converter.checkpoint;

import net.gpt2j.tf.TensorFlowCheckpointReader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A checkpoint with two shards, made by TensorFlow itself (two SaveV2 runs joined by
 * MergeV2Checkpoints, as a sharded tf.train.Saver does): both readers find each tensor in its shard.
 */
class MultiShardCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void tensorsOfATensorFlowMergedTwoShardCheckpointAreReadFromTheirShards() throws Exception {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            save(tf, s, dir.resolve("part-a").toString(), "a/first", new float[] {1f, 2f, 3f});
            save(tf, s, dir.resolve("part-b").toString(), "b/second", new float[] {-4f, 5.5f});
            s.runner().addTarget(tf.train.mergeV2Checkpoints(
                    tf.constant(StandardCharsets.UTF_8, new String[] {dir.resolve("part-a").toString(), dir.resolve("part-b").toString()}),
                    tf.constant(dir.resolve("model.ckpt").toString()))).run().close();
        }
        Files.writeString(dir.resolve("checkpoint"), "model_checkpoint_path: \"model.ckpt\"\n");
        assertThat(dir.resolve("model.ckpt.data-00000-of-00002")).exists();
        assertThat(dir.resolve("model.ckpt.data-00001-of-00002")).exists();

        try (JavaCheckpointReader java = JavaCheckpointReader.open(dir);
                TensorFlowCheckpointReader tfReader = TensorFlowCheckpointReader.open(dir)) {
            assertThat(java.header().numShards()).isEqualTo(2);
            assertThat(java.tensors()).extracting(TensorEntry::name).containsExactly("a/first", "b/second");
            assertThat(java.tensors()).extracting(TensorEntry::shardId).containsExactlyInAnyOrder(0, 1);
            assertThat(floats(java, 0)).containsExactly(1f, 2f, 3f);
            assertThat(floats(java, 1)).containsExactly(-4f, 5.5f);
            assertThat(floats(tfReader, 0)).containsExactly(1f, 2f, 3f);
            assertThat(floats(tfReader, 1)).containsExactly(-4f, 5.5f);
            assertThat(tfReader.tensors()).extracting(TensorEntry::shardId).containsOnly(-1);
        }
    }

    private static void save(Ops tf, Session s, String prefix, String name, float[] values) {
        try (TFloat32 t = TFloat32.vectorOf(values)) {
            var p = tf.placeholder(TFloat32.class);
            s.runner().feed(p, t).addTarget(tf.train.save(tf.constant(prefix), tf.constant(StandardCharsets.UTF_8, new String[] {name}),
                    tf.constant(StandardCharsets.UTF_8, new String[] {""}), List.<Operand<?>>of(p))).run().close();
        }
    }

    private static float[] floats(CheckpointReader reader, int i) throws Exception {
        FloatBuffer b = reader.read(reader.tensors().get(i)).asFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }
}
