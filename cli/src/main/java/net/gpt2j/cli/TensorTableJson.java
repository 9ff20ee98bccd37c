package net.gpt2j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import net.gpt2j.converter.checkpoint.TensorEntry;

/** {@code inspect --json}: the tensor table as one JSON object (source, tensors, count, bytes). */
final class TensorTableJson {

    private TensorTableJson() {}

    static String of(String source, List<TensorEntry> tensors) throws JsonProcessingException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("source", source);
        ArrayNode list = root.putArray("tensors");
        long total = 0;
        for (TensorEntry e : tensors) {
            ObjectNode t = list.addObject();
            t.put("name", e.name());
            t.put("dtype", e.dtype());
            ArrayNode shape = t.putArray("shape");
            for (long d : e.shape()) {
                shape.add(d);
            }
            t.put("shard", e.shardId());
            t.put("offset", e.offset());
            t.put("size", e.size());
            total += e.size();
        }
        root.put("count", tensors.size());
        root.put("bytes", total);
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }
}
